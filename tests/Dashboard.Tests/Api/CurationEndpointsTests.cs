using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Web.Curation;
using Dashboard.Web.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Api;

public sealed class CurationEndpointsTests : IAsyncLifetime
{
    private readonly DashboardAppFactory _app = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _app.CreateClient();
        await _app.Services.GetRequiredService<IngestQueue>().EnqueueAsync("seed.txt", await File.ReadAllBytesAsync(TestPaths.SeedArticle));
        var ingestor = _app.Services.GetRequiredService<ArticleIngestor>();
        await ingestor.DrainAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Alias_then_merge_through_the_api_and_old_links_say_where_the_entity_went()
    {
        var added = await _client.PostAsJsonAsync("/api/entities/person/ebrahim-raisi/aliases", new { name = "the late president" });
        Assert.Equal(HttpStatusCode.Accepted, added.StatusCode);
        await _app.Services.GetRequiredService<Reextraction>().WhenDoneAsync();

        var raisi = await JsonAsync("/api/entities/person/ebrahim-raisi");
        Assert.Contains(raisi.GetProperty("aliases").EnumerateArray(), a => a.GetProperty("name").GetString() == "the late president" && a.GetProperty("userDefined").GetBoolean());

        var merged = await _client.PostAsync("/api/entities/person/hossein-amirabdollahian/merge?into=person:ebrahim-raisi", null);
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        Assert.Equal("person:ebrahim-raisi", (await JsonAsync("/api/entities/person/hossein-amirabdollahian")).GetProperty("mergedInto").GetString());
        var people = await JsonAsync("/api/mentions?kind=person");
        Assert.DoesNotContain(people.EnumerateArray(), p => p.GetProperty("key").GetString() == "hossein-amirabdollahian");

        var status = await JsonAsync("/api/admin/reextract");
        Assert.False(status.GetProperty("running").GetBoolean());
        Assert.Equal(1, status.GetProperty("done").GetInt32());
    }

    [Fact]
    public async Task A_name_set_aside_through_the_api_is_listed_said_so_on_its_link_and_can_be_counted_again()
    {
        var ignored = await _client.PostAsync("/api/entities/organization/organization-of-the-islamic-cooperation/ignore", null);
        Assert.Equal(HttpStatusCode.OK, ignored.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await ignored.Content.ReadAsStringAsync()).RootElement.GetProperty("articles").GetInt32());

        Assert.True((await JsonAsync("/api/entities/organization/organization-of-the-islamic-cooperation")).GetProperty("ignored").GetBoolean());
        var listed = Assert.Single((await JsonAsync("/api/ignored-entities")).EnumerateArray());
        Assert.Equal("organization", listed.GetProperty("kind").GetString());
        Assert.Equal("Organization of the Islamic Cooperation", listed.GetProperty("name").GetString());
        Assert.DoesNotContain((await JsonAsync("/api/mentions?kind=organization")).EnumerateArray(), o => o.GetProperty("key").GetString() == "organization-of-the-islamic-cooperation");

        Assert.Equal(HttpStatusCode.Accepted, (await _client.DeleteAsync("/api/entities/organization/organization-of-the-islamic-cooperation/ignore")).StatusCode);
        await _app.Services.GetRequiredService<Reextraction>().WhenDoneAsync();
        Assert.Contains((await JsonAsync("/api/mentions?kind=organization")).EnumerateArray(), o => o.GetProperty("key").GetString() == "organization-of-the-islamic-cooperation");
        Assert.Empty((await JsonAsync("/api/ignored-entities")).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync("/api/entities/organization/organization-of-the-islamic-cooperation/ignore")).StatusCode);
    }

    [Fact]
    public async Task Views_are_saved_listed_and_removed_through_the_api_and_a_bad_one_is_400()
    {
        var saved = await _client.PostAsJsonAsync("/api/views", new { name = "Iran", url = "/?entity=country:IR" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var id = JsonDocument.Parse(await saved.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();

        var listed = Assert.Single((await JsonAsync("/api/views")).EnumerateArray());
        Assert.Equal("Iran", listed.GetProperty("name").GetString());
        Assert.Equal("/?entity=country:IR", listed.GetProperty("url").GetString());
        Assert.Equal(0, listed.GetProperty("newArticles").GetInt32());
        await _app.Services.GetRequiredService<IngestQueue>().EnqueueAsync("later.txt", "date 2024-06-05 Iran and Oman discussed shipping in Muscat."u8.ToArray());
        await _app.Services.GetRequiredService<ArticleIngestor>().DrainAsync();
        Assert.Equal(1, Assert.Single((await JsonAsync("/api/views")).EnumerateArray()).GetProperty("newArticles").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/api/views/{id}/seen", null)).StatusCode);
        Assert.Equal(0, Assert.Single((await JsonAsync("/api/views")).EnumerateArray()).GetProperty("newArticles").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync("/api/views/999999/seen", null)).StatusCode);

        var bad = await _client.PostAsJsonAsync("/api/views", new { name = "elsewhere", url = "https://example.org/" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("not a dashboard address", await bad.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/views/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/api/views/{id}")).StatusCode);
        Assert.Empty((await JsonAsync("/api/views")).EnumerateArray());
    }

    [Fact]
    public async Task An_article_deleted_through_the_api_is_gone_its_link_says_when_and_it_can_be_allowed_again()
    {
        var id = (await JsonAsync("/api/articles")).GetProperty("articles")[0].GetProperty("id").GetInt64();

        var deleted = await _client.DeleteAsync($"/api/articles/{id}");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(id, JsonDocument.Parse(await deleted.Content.ReadAsStringAsync()).RootElement.GetProperty("deleted").GetInt64());
        Assert.Equal(0, (await JsonAsync("/api/articles")).GetProperty("total").GetInt32());
        var gone = await _client.GetAsync($"/api/articles/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains($"article {id} (", await gone.Content.ReadAsStringAsync());
        Assert.Contains("was deleted on", await gone.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/api/articles/{id}")).StatusCode);

        var listed = Assert.Single((await JsonAsync("/api/deleted-articles")).EnumerateArray());
        Assert.Equal(id, listed.GetProperty("articleId").GetInt64());
        var deletion = listed.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/deleted-articles/{deletion}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/api/deleted-articles/{deletion}")).StatusCode);
        Assert.Empty((await JsonAsync("/api/deleted-articles")).EnumerateArray());
    }

    [Fact]
    public async Task The_articles_of_a_filter_are_deleted_through_the_api_only_with_their_number_confirmed()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.DeleteAsync("/api/articles?entity=country:IR")).StatusCode);
        var unfiltered = await _client.DeleteAsync("/api/articles?confirm=1");
        Assert.Equal(HttpStatusCode.BadRequest, unfiltered.StatusCode);
        Assert.Contains("needs a filter", await unfiltered.Content.ReadAsStringAsync());
        var changed = await _client.DeleteAsync("/api/articles?entity=country:IR&confirm=5");
        Assert.Equal(HttpStatusCode.Conflict, changed.StatusCode);
        Assert.Contains("holds 1 article now, not the 5 shown", await changed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.DeleteAsync("/api/articles?q=%22open&confirm=1")).StatusCode);
        Assert.Equal(1, (await JsonAsync("/api/articles")).GetProperty("total").GetInt32());

        var deleted = await _client.DeleteAsync("/api/articles?entity=country:IR&confirm=1");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await deleted.Content.ReadAsStringAsync()).RootElement.GetProperty("deleted").GetInt32());
        Assert.Equal(0, (await JsonAsync("/api/articles")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Renamed_and_moved_to_the_organisations_through_the_api_an_actor_keeps_its_articles()
    {
        var renamed = await _client.PostAsJsonAsync("/api/entities/person/ebrahim-raisi/rename", new { name = "Ebrahim Raisi (1960–2024)" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var raisi = await JsonAsync("/api/entities/person/ebrahim-raisi");
        Assert.Equal("Ebrahim Raisi (1960–2024)", raisi.GetProperty("name").GetString());
        Assert.Contains(raisi.GetProperty("aliases").EnumerateArray(), a => a.GetProperty("name").GetString() == "Ebrahim Raisi");
        Assert.Contains((await JsonAsync("/api/mentions?kind=person")).EnumerateArray(), p => p.GetProperty("name").GetString() == "Ebrahim Raisi (1960–2024)");

        var moved = await _client.PostAsync("/api/entities/person/ebrahim-raisi/kind?to=organization", null);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("organization:ebrahim-raisi", JsonDocument.Parse(await moved.Content.ReadAsStringAsync()).RootElement.GetProperty("to").GetString());
        Assert.Equal("organization:ebrahim-raisi", (await JsonAsync("/api/entities/person/ebrahim-raisi")).GetProperty("mergedInto").GetString());
        var organisation = await JsonAsync("/api/entities/organization/ebrahim-raisi");
        Assert.Equal(1, organisation.GetProperty("articles").GetInt32());
        Assert.Equal("Ebrahim Raisi (1960–2024)", organisation.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("/api/entities/country/IR/kind?to=person", "Only an actor can change kind")]
    [InlineData("/api/entities/person/ebrahim-raisi/kind?to=person", "a person already")]
    [InlineData("/api/entities/person/ebrahim-raisi/kind", "to is required")]
    [InlineData("/api/entities/person/nobody/kind?to=organization", "no person")]
    [InlineData("/api/entities/country/IR/ignore", "Only people and organisations")]
    [InlineData("/api/entities/person/nobody/ignore", "no person")]
    [InlineData("/api/entities/person/ebrahim-raisi/merge?into=person:ebrahim-raisi", "itself")]
    [InlineData("/api/entities/person/ebrahim-raisi/merge?into=nonsense", "kind:key")]
    [InlineData("/api/entities/planet/mars/merge?into=person:ebrahim-raisi", "planet")]
    [InlineData("/api/entities/person/nobody/merge?into=person:ebrahim-raisi", "no person")]
    public async Task Bad_corrections_are_400_with_the_reason(string url, string expected)
    {
        var response = await _client.PostAsync(url, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("", "1 to 100 characters")]
    [InlineData("   ", "1 to 100 characters")]
    [InlineData("???", "no letters or digits")]
    public async Task A_bad_new_name_is_400_with_the_reason(string name, string expected)
    {
        var response = await _client.PostAsJsonAsync("/api/entities/person/ebrahim-raisi/rename", new { name });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
        Assert.Equal("Ebrahim Raisi", (await JsonAsync("/api/entities/person/ebrahim-raisi")).GetProperty("name").GetString());
    }

    private async Task<JsonElement> JsonAsync(string url)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
