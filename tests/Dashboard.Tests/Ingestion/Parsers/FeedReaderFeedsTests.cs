using Dashboard.Web.Ingestion;
using Xunit.Abstractions;

namespace Dashboard.Tests.Ingestion.Parsers;

/// <summary>FeedReader's 50 captured news feeds: each parses into dated, titled articles or fails with a reason naming it.</summary>
public class FeedReaderFeedsTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_captured_feed_parses_or_fails_with_a_clear_reason()
    {
        var files = Directory.GetFiles(Path.Combine(TestPaths.Shared, "data", "feeds", "feedreader"), "*.xml").Order().ToList();
        Assert.True(files.Count >= 45, $"only {files.Count} feeds found");
        var parsed = 0;
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            try
            {
                var articles = ArticleParser.Parse(name, File.ReadAllBytes(file));
                parsed++;
                Assert.All(articles, a =>
                {
                    Assert.False(string.IsNullOrWhiteSpace(a.Title), $"{name}: an article without a title");
                    Assert.False(string.IsNullOrWhiteSpace(a.Text), $"{name}: an article without text");
                    Assert.DoesNotContain("<p>", a.Title);
                });
                output.WriteLine($"{name}: {articles.Count} articles, {articles.Count(a => a.Date is not null)} dated, source \"{articles[0].Source}\"");
            }
            catch (ArticleParseException ex)
            {
                Assert.StartsWith(name + ": ", ex.Message);
                output.WriteLine($"{name}: refused: {ex.Message}");
            }
        }
        // Two are not readable feeds: one has no items, one is not well-formed XML (a raw 0x0F byte is repaired; see output).
        Assert.True(parsed >= files.Count - 2, $"{parsed} of {files.Count} feeds parsed");
    }

    [Fact]
    public void A_news_feed_gives_one_article_per_item_with_source_link_author_and_date()
    {
        var articles = ArticleParser.Parse("nyt.xml", File.ReadAllBytes(Path.Combine(TestPaths.Shared, "data", "feeds", "feedreader", "Rss20NYTimes.xml")));

        Assert.Equal(33, articles.Count);
        Assert.All(articles, a => Assert.Equal("NYT > Home Page", a.Source));
        Assert.All(articles, a => Assert.StartsWith("http", a.Url));
        Assert.Contains(articles, a => a.Author is { Length: > 0 });
        Assert.All(articles, a => Assert.NotNull(a.PublishedAt));
        Assert.Contains(articles, a => a.Categories.Count > 0);
    }
}
