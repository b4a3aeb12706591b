using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Ingestion;

public sealed class NearDuplicatesTests : IAsyncLifetime
{
    private readonly TestStore _store = new();
    private string _seed = "";

    public async Task InitializeAsync() => _seed = await File.ReadAllTextAsync(TestPaths.SeedArticle);

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public void A_wire_copy_is_a_few_bits_away_and_a_different_article_is_far()
    {
        var original = NearDuplicates.Fingerprint(_seed);
        var copy = NearDuplicates.Fingerprint(_seed + "\n\n(Reporting by the foreign desk; editing by the night editor.)");
        var other = NearDuplicates.Fingerprint("Brazil and Argentina agreed on a new trade deal in Brasilia on Monday, officials said, after months of talks on tariffs.");

        Assert.InRange(NearDuplicates.Distance(original, copy), 0, NearDuplicates.MaxDistance);
        Assert.True(NearDuplicates.Distance(original, other) > NearDuplicates.MaxDistance);
        Assert.Equal(NearDuplicates.LeadHash(_seed), NearDuplicates.LeadHash(_seed + "\n\nA trailing paragraph."));
        Assert.NotEqual(NearDuplicates.LeadHash(_seed), NearDuplicates.LeadHash("Brazil " + _seed));
        Assert.Equal(0, NearDuplicates.LeadHash("Too short to have a lead."));
    }

    [Theory]
    [InlineData("https://News.Example.com/world/story-1/?utm_source=x&utm_medium=y#top", "news.example.com/world/story-1")]
    [InlineData("http://news.example.com/a?id=7&fbclid=abc", "news.example.com/a?id=7")]
    [InlineData("https://news.example.com:8443/a", "news.example.com:8443/a")]
    [InlineData("not a url", null)]
    [InlineData("ftp://files.example.com/a", null)]
    public void Urls_are_canonicalised(string url, string? expected) =>
        Assert.Equal(expected, NearDuplicates.CanonicalUrl(url));

    [Fact]
    public async Task A_wire_copy_is_stored_and_linked_to_its_story_and_charts_can_count_stories()
    {
        var services = await _store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        var ingestor = services.GetRequiredService<ArticleIngestor>();
        await queue.EnqueueAsync("original.txt", System.Text.Encoding.UTF8.GetBytes(_seed));
        await ingestor.ProcessNextBatchAsync();
        await queue.EnqueueAsync("copy.txt", System.Text.Encoding.UTF8.GetBytes(_seed.TrimEnd() + "\n\n(Reporting by the foreign desk.)"));
        await ingestor.ProcessNextBatchAsync();

        await using var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        var articles = await db.Articles.OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(2, articles.Count);
        Assert.Null(articles[0].StoryId);
        Assert.Equal(articles[0].Id, articles[1].StoryId);

        var queries = services.GetRequiredService<DashboardQueries>();
        Assert.Equal(2, (await queries.TopEntitiesAsync(EntityKind.Country, ArticleFilter.All)).Single(c => c.Key == "IR").Count);
        Assert.Equal(1, (await queries.TopEntitiesAsync(EntityKind.Country, ArticleFilter.All, countStories: true)).Single(c => c.Key == "IR").Count);
    }

    [Fact]
    public async Task The_same_url_with_tracking_parameters_is_a_duplicate()
    {
        var services = await _store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        await queue.EnqueueAsync("a.json", """{"title": "Talks", "text": "Chile and Peru met in Lima to talk about fishing.", "url": "https://news.example.com/talks", "date": "2024-01-02"}"""u8.ToArray());
        var second = await queue.EnqueueAsync("b.json", """{"title": "Talks (updated)", "text": "Chile and Peru met in Lima to talk about fishing rights and quotas.", "url": "https://NEWS.example.com/talks/?utm_source=rss", "date": "2024-01-02"}"""u8.ToArray());
        var ingestor = services.GetRequiredService<ArticleIngestor>();
        await ingestor.DrainAsync();

        var duplicate = (await queue.FindAsync(second.Id))!;
        Assert.Equal(UploadStatus.Duplicate, duplicate.Status);
        Assert.StartsWith("duplicate of article", duplicate.Reason);
    }
}
