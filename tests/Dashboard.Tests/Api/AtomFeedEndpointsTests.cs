using System.Net;
using System.Net.Http.Json;
using System.ServiceModel.Syndication;
using System.Text.Json;
using System.Xml;
using Dashboard.Web.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Api;

/// <summary>The timeline as an Atom feed: any view by its query, a saved view by its id; read back by a feed library and by our own feed reader.</summary>
public sealed class AtomFeedEndpointsTests : IAsyncLifetime
{
    private readonly DashboardAppFactory _app = new();
    private HttpClient _client = null!;
    private string _seed = "";

    public async Task InitializeAsync()
    {
        _client = _app.CreateClient();
        var queue = _app.Services.GetRequiredService<IngestQueue>();
        _seed = System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(TestPaths.SeedArticle));
        await queue.EnqueueAsync("seed.txt", System.Text.Encoding.UTF8.GetBytes(_seed));
        await queue.EnqueueAsync("copy.txt", System.Text.Encoding.UTF8.GetBytes(_seed + "\n\n(Reporting by the IRNA news agency.)"));
        await queue.EnqueueAsync("peru.json", System.Text.Encoding.UTF8.GetBytes(
            """{"title": "Peru & Chile sign a fisheries deal", "text": "The foreign ministers of Chile and Peru met in Lima.", "date": "2024-06-03", "url": "https://news.example/peru", "source": "Andina", "author": "Ana Quispe"}"""));
        await _app.Services.GetRequiredService<ArticleIngestor>().DrainAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_view_is_an_atom_feed_of_its_latest_articles_titled_with_the_view_in_words()
    {
        var response = await _client.GetAsync("/api/articles.atom?entity=country:PE&from=2024-06-01");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        var feed = await LoadAsync(response);

        Assert.Equal("News Monitor: Peru, 2024-06-01 to …", feed.Title.Text);
        var entry = Assert.Single(feed.Items);
        Assert.Equal("Peru & Chile sign a fisheries deal", entry.Title.Text);
        Assert.Equal("https://news.example/peru", entry.Links.Single(l => l.RelationshipType == "alternate").Uri.AbsoluteUri);
        var page = entry.Links.Single(l => l.RelationshipType == "related").Uri;
        Assert.Equal(entry.Id, page.AbsoluteUri);
        Assert.Matches("/articles/[0-9]+$", page.AbsolutePath);
        Assert.Equal("Ana Quispe", Assert.Single(entry.Authors).Name);
        Assert.Equal(new DateTimeOffset(2024, 6, 3, 0, 0, 0, TimeSpan.Zero), entry.PublishDate);
        Assert.Contains(entry.Categories, c => c.Name == "PE" && c.Label == "Peru" && c.Scheme.EndsWith("/entities/country"));
        Assert.StartsWith("The foreign ministers", ((TextSyndicationContent)entry.Summary).Text);
        // The feed leads back to the same view on the dashboard.
        Assert.EndsWith("/?from=2024-06-01&entity=country:PE", feed.Links.Single(l => l.RelationshipType == "alternate").Uri.AbsoluteUri);
    }

    [Fact]
    public async Task Counting_stories_the_feed_has_one_entry_per_story_and_limit_caps_the_entries()
    {
        Assert.Equal(2, (await LoadAsync(await _client.GetAsync("/api/articles.atom?entity=country:IR"))).Items.Count());
        var stories = await LoadAsync(await _client.GetAsync("/api/articles.atom?entity=country:IR&count=stories"));
        Assert.Single(stories.Items);
        Assert.Equal("News Monitor: Iran", stories.Title.Text);

        Assert.Single((await LoadAsync(await _client.GetAsync("/api/articles.atom?limit=1"))).Items);
        Assert.Equal(3, (await LoadAsync(await _client.GetAsync("/api/articles.atom"))).Items.Count());
        // A moving window: nothing stored here is from the last week.
        Assert.Empty((await LoadAsync(await _client.GetAsync("/api/articles.atom?days=7"))).Items);
    }

    [Theory]
    [InlineData("count=words", "count must be articles or stories")]
    [InlineData("limit=0", "limit: '0' must be a whole number from 1 to 500")]
    [InlineData("limit=501", "limit: '501' must be a whole number from 1 to 500")]
    [InlineData("days=x", "days: 'x' must be a whole number from 1 to 36500")]
    [InlineData("from=2024-13-01", "from")]
    [InlineData("entity=planet:mars", "entity")]
    [InlineData("q=%22open", "quotation mark")]
    public async Task A_feed_of_a_view_that_cannot_be_read_is_refused_with_the_reason(string query, string expected)
    {
        var response = await _client.GetAsync("/api/articles.atom?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_saved_view_has_a_feed_titled_with_its_name_and_our_own_feed_reader_reads_it()
    {
        var saved = await _client.PostAsJsonAsync("/api/views", new { name = "Iran's diplomacy", url = "/?entity=country:IR&count=stories" });
        var id = JsonDocument.Parse(await saved.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
        var listed = JsonDocument.Parse(await _client.GetStringAsync("/api/views")).RootElement[0];
        Assert.Equal($"/api/views/{id}/articles.atom", listed.GetProperty("feed").GetString());

        var response = await _client.GetAsync($"/api/views/{id}/articles.atom");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var feed = SyndicationFeed.Load(XmlReader.Create(new MemoryStream(bytes)));
        Assert.Equal("News Monitor: Iran's diplomacy", feed.Title.Text);
        Assert.Single(feed.Items);

        // Subscribed to from another News Monitor, the feed gives its articles: title, link to the page, date.
        var read = Assert.Single(ArticleParser.Parse("view.atom", bytes));
        Assert.Contains("Rafah", read.Title + read.Text);
        Assert.Equal(new DateOnly(2024, 6, 1), read.Date);
        Assert.Matches("/articles/[0-9]+$", read.Url);

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/views/999/articles.atom")).StatusCode);
    }

    [Fact]
    public async Task The_words_of_a_filter_are_served_as_json_and_a_bad_limit_is_400()
    {
        var words = JsonDocument.Parse(await _client.GetStringAsync("/api/words?entity=country:IR&limit=10")).RootElement;

        Assert.InRange(words.GetArrayLength(), 1, 10);
        var first = words[0];
        Assert.True(first.GetProperty("articles").GetInt32() >= 1);
        Assert.True(first.GetProperty("share").GetDouble() > first.GetProperty("usual").GetDouble());
        var all = JsonDocument.Parse(await _client.GetStringAsync("/api/words?entity=country:IR&limit=200")).RootElement;
        Assert.Contains(all.EnumerateArray(), w => w.GetProperty("word").GetString() == "rafah");
        Assert.DoesNotContain(all.EnumerateArray(), w => w.GetProperty("word").GetString() == "fisheries");
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/words?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/words?from=yesterday")).StatusCode);
    }

    private static async Task<SyndicationFeed> LoadAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = XmlReader.Create(await response.Content.ReadAsStreamAsync());
        return SyndicationFeed.Load(reader);
    }
}
