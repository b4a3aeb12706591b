using System.Text;
using Dashboard.Web.Data;
using Dashboard.Web.Feeds;
using Dashboard.Web.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Feeds;

/// <summary>
/// A stored article's text replaced by its page's (a feed item stored as its summary), over a real SQLite file with
/// the page served by a local server: the text, hashes, mentions, counts and search follow; nothing changes otherwise.
/// </summary>
public sealed class FullTextFetchTests : IAsyncLifetime
{
    private FeedTestStore _store = null!;
    private LocalWebServer _server = null!;
    private byte[] _page = TestPages.ChileAndPeru();

    public async Task InitializeAsync()
    {
        _store = await FeedTestStore.StartAsync(new() { ["Dashboard:Feeds:TimeoutSeconds"] = "6" });
        _server = await LocalWebServer.StartAsync(context => context.Request.Path.Value switch
        {
            "/news/chile-peru" => LocalWebServer.SendAsync(context, _page, "text/html"),
            "/wire.xml" => LocalWebServer.SendAsync(context, Encoding.UTF8.GetBytes($"""
                <?xml version="1.0" encoding="utf-8"?>
                <rss version="2.0"><channel><title>Andes Wire</title><link>{_server.Url("")}</link><description>Teasers only</description>
                <item><title>Chile signs a trade deal</title><link>{_server.Url("news/chile-peru")}</link><description>Chile signed a trade deal on Monday.</description><pubDate>Mon, 02 Mar 2026 07:00:00 GMT</pubDate></item>
                <item><title>Nowhere to be read</title><link>{_server.Url("news/gone")}</link><description>Ministers of Kenya met in Nairobi.</description><pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate></item>
                </channel></rss>
                """), "application/rss+xml"),
            _ => LocalWebServer.SendAsync(context, "gone"u8.ToArray(), "text/plain", 404),
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _store.DisposeAsync();
    }

    private FullTextFetch FullText => _store.Services.GetRequiredService<FullTextFetch>();

    /// <summary>The feed polled without its full-text option: both items stored as their summaries.</summary>
    private async Task<(Article Teaser, Article Gone)> StoreSummariesAsync()
    {
        var (feed, _) = await _store.Subscriptions.AddAsync(_server.Url("wire.xml"));
        await _store.Poller.PollAsync(feed!.Id);
        await _store.DrainQueueAsync();
        await using var db = await _store.DbAsync();
        var articles = await db.Articles.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["Chile signed a trade deal on Monday.", "Ministers of Kenya met in Nairobi."], articles.Select(a => a.Text));
        return (articles[0], articles[1]);
    }

    private async Task<List<string>> EntitiesOfAsync(long articleId)
    {
        await using var db = await _store.DbAsync();
        return await db.Mentions.Where(m => m.ArticleId == articleId).Select(m => m.Entity!.Key).OrderBy(k => k).ToListAsync();
    }

    private async Task<List<string>> CountsAsync()
    {
        await using var db = await _store.DbAsync();
        return await db.EntityDays.OrderBy(d => d.EntityId).ThenBy(d => d.Day).Select(d => $"{d.EntityId} {d.Day} {d.Articles} {d.Mentions} {d.FocusArticles}").ToListAsync();
    }

    [Fact]
    public async Task A_summary_takes_its_pages_text_and_its_mentions_counts_and_search_follow_while_title_date_and_outlet_stay()
    {
        var (teaser, _) = await StoreSummariesAsync();
        Assert.DoesNotContain("PE", await EntitiesOfAsync(teaser.Id));
        var queries = _store.Services.GetRequiredService<DashboardQueries>();
        // Remembered before the fetch: the search must not answer from it afterwards.
        Assert.Equal(0, (await queries.TimelineAsync(new ArticleFilter { Text = "copper" }, 0, 10)).Total);

        var result = await FullText.FetchAsync(teaser.Id);

        Assert.True(result.Updated, result.Reason);
        Assert.Equal(teaser.Text.Length, result.CharsBefore);
        await using (var db = await _store.DbAsync())
        {
            var article = await db.Articles.AsNoTracking().SingleAsync(a => a.Id == teaser.Id);
            Assert.StartsWith("Chile and Peru signed a trade deal in Lima on Monday", article.Text);
            Assert.Equal(article.Text.Length, result.CharsAfter);
            // The feed item's own fields stay.
            Assert.Equal((teaser.Title, teaser.PublishedDate, teaser.Source, teaser.Url, teaser.FeedId),
                (article.Title, article.PublishedDate, article.Source, article.Url, article.FeedId));
            Assert.Equal(Dashboard.Web.Ingestion.ArticleIngestor.ContentHash(article.Text), article.ContentHash);
            Assert.NotEqual(teaser.Fingerprint, article.Fingerprint);
        }
        Assert.Contains("PE", await EntitiesOfAsync(teaser.Id));
        Assert.Contains("CL", await EntitiesOfAsync(teaser.Id));
        Assert.Equal(1, (await queries.TimelineAsync(new ArticleFilter { Text = "copper" }, 0, 10)).Total);
        // The counts the writer adjusted are the counts a rebuild from the mentions gives.
        var counts = await CountsAsync();
        await using (var db = await _store.DbAsync())
        {
            await DailyCounts.RebuildAsync(db);
        }
        Assert.Equal(await CountsAsync(), counts);

        // Fetched again, the page says nothing more: nothing changes.
        var again = await FullText.FetchAsync(teaser.Id);
        Assert.False(again.Updated);
        Assert.Contains("no longer than the stored one", again.Reason);
    }

    [Fact]
    public async Task A_page_that_cannot_be_had_or_says_less_leaves_the_article_as_it_was()
    {
        var (teaser, gone) = await StoreSummariesAsync();

        var failure = await Assert.ThrowsAsync<FullTextException>(() => FullText.FetchAsync(gone.Id));
        Assert.Equal(StatusCodes.Status502BadGateway, failure.Status);
        Assert.Contains("404", failure.Message);

        _page = TestPages.Story("Chile signs a trade deal", "Chile signed.", "");
        var shorter = await FullText.FetchAsync(teaser.Id);
        Assert.False(shorter.Updated);

        await using var db = await _store.DbAsync();
        Assert.Equal([teaser.Text, gone.Text], await db.Articles.OrderBy(a => a.Id).Select(a => a.Text).ToListAsync());
    }

    [Fact]
    public async Task An_article_without_an_address_a_missing_one_and_a_page_stored_as_another_article_are_refused_by_name()
    {
        var (teaser, _) = await StoreSummariesAsync();
        var queue = _store.Services.GetRequiredService<Dashboard.Web.Ingestion.IngestQueue>();
        await queue.EnqueueManyAsync([("note.txt", Encoding.UTF8.GetBytes("date 2024-06-01\n\nThe foreign ministers of Iran and Algeria met in Tehran."))]);
        // The page's story uploaded on its own, as a saved page with another address.
        await queue.EnqueueManyAsync([("chile-peru.html", TestPages.ChileAndPeru())]);
        await _store.DrainQueueAsync();
        long note, copy;
        await using (var db = await _store.DbAsync())
        {
            note = await db.Articles.Where(a => a.Url == null && a.Title != "Chile and Peru sign a trade deal").Select(a => a.Id).SingleAsync();
            copy = await db.Articles.Where(a => a.Title == "Chile and Peru sign a trade deal").Select(a => a.Id).SingleAsync();
        }

        var noAddress = await Assert.ThrowsAsync<FullTextException>(() => FullText.FetchAsync(note));
        Assert.Equal((StatusCodes.Status422UnprocessableEntity, $"article {note} has no web address to fetch its page from"), (noAddress.Status, noAddress.Message));
        var missing = await Assert.ThrowsAsync<FullTextException>(() => FullText.FetchAsync(999));
        Assert.Equal(StatusCodes.Status404NotFound, missing.Status);
        var stored = await Assert.ThrowsAsync<FullTextException>(() => FullText.FetchAsync(teaser.Id));
        Assert.Equal((StatusCodes.Status409Conflict, $"the page's text is stored already, as article {copy}"), (stored.Status, stored.Message));

        await using (var db = await _store.DbAsync())
        {
            Assert.Equal(teaser.Text, await db.Articles.Where(a => a.Id == teaser.Id).Select(a => a.Text).SingleAsync());
        }
    }
}
