using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dashboard.Tests.Api;

namespace Dashboard.Tests.Feeds;

/// <summary>The feed API over the real app: validation messages, health in the list, poll now, OPML both ways.</summary>
public sealed class FeedEndpointsTests : IAsyncLifetime
{
    private readonly DashboardAppFactory _app = new();
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _app.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("""{"url":"not a url"}""", "is not an absolute http:// or https:// address")]
    [InlineData("""{"url":"file:///etc/passwd"}""", "is not an absolute http:// or https:// address")]
    [InlineData("""{"title":"no address"}""", "url is required")]
    [InlineData("""{"url":"https://example.org/feed","pollMinutes":0}""", "pollMinutes must be from 1")]
    public async Task Adding_a_feed_that_is_not_usable_is_a_400_with_the_reason(string body, string message)
    {
        var response = await _client.PostAsync("/api/feeds", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_feed_is_added_listed_with_health_polled_now_refused_twice_and_removed()
    {
        var feed = await File.ReadAllBytesAsync(Path.Combine(TestPaths.Shared, "data", "feeds", "feedreader", "Rss20BreakingNews.xml"));
        await using var server = await LocalWebServer.StartAsync(context => LocalWebServer.SendAsync(context, feed, "application/rss+xml"));
        var url = server.Url("business.xml");

        var created = await _client.PostAsJsonAsync("/api/feeds", new { url, title = "Business", fetchFullArticle = false, pollMinutes = 60 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var duplicate = await _client.PostAsJsonAsync("/api/feeds", new { url });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("already subscribed", await duplicate.Content.ReadAsStringAsync());

        var poll = await _client.PostAsync($"/api/feeds/{id}/poll", null);
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
        var polled = await poll.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(polled.GetProperty("outcome").GetString(), new[] { "fetched", "unchanged" });

        var listed = Assert.Single((await _client.GetFromJsonAsync<JsonElement>("/api/feeds")).EnumerateArray());
        Assert.Equal(url, listed.GetProperty("url").GetString());
        Assert.Equal("Business", listed.GetProperty("title").GetString());
        Assert.Equal("ok", listed.GetProperty("health").GetString());
        Assert.Equal(7, listed.GetProperty("itemsPerDay").GetArrayLength());
        Assert.Equal(JsonValueKind.String, listed.GetProperty("lastSuccessAt").ValueKind);
        Assert.Equal(JsonValueKind.String, listed.GetProperty("nextPollAt").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/feeds/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/api/feeds/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync($"/api/feeds/{id}/poll", null)).StatusCode);
        Assert.Empty((await _client.GetFromJsonAsync<JsonElement>("/api/feeds")).EnumerateArray());
    }

    [Fact]
    public async Task Opml_is_imported_as_a_file_or_a_body_and_exported()
    {
        const string opml = """
            <opml version="2.0"><body><outline text="News">
              <outline title="One" xmlUrl="http://127.0.0.1:9/one.xml"/>
              <outline title="Two" xmlUrl="http://127.0.0.1:9/two.xml"/>
            </outline></body></opml>
            """;
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(opml)), "file", "subs.opml" } };

        var imported = await (await _client.PostAsync("/api/feeds/opml", form)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, imported.GetProperty("added").GetArrayLength());

        var again = await (await _client.PostAsync("/api/feeds/opml", new StringContent(opml, Encoding.UTF8, "text/x-opml"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, again.GetProperty("added").GetArrayLength());
        Assert.Equal(2, again.GetProperty("alreadySubscribed").GetArrayLength());

        var bad = await _client.PostAsync("/api/feeds/opml", new StringContent("<html><body>hi</body></html>", Encoding.UTF8, "text/html"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var export = await _client.GetAsync("/api/feeds/opml");
        Assert.Equal("text/x-opml", export.Content.Headers.ContentType?.MediaType);
        var text = await export.Content.ReadAsStringAsync();
        Assert.Contains("xmlUrl=\"http://127.0.0.1:9/one.xml\"", text);
        Assert.Contains("xmlUrl=\"http://127.0.0.1:9/two.xml\"", text);
    }
}
