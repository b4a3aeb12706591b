using System.Text;
using Dashboard.Web.Feeds;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Feeds;

/// <summary>
/// The feed poller against feeds served from a local server: conditional requests, backoff, Retry-After,
/// timeouts, full-article fetching and date fallbacks, with the schedule driven by a hand-moved clock.
/// </summary>
public sealed class FeedPollerTests : IAsyncLifetime
{
    private static readonly string FeedReaderFolder = Path.Combine(TestPaths.Shared, "data", "feeds", "feedreader");

    private FeedTestStore _store = null!;

    // Short enough that the timeout test stays quick, long enough for a page fetch on a loaded 2-core CI machine (2 s flaked).
    // No pause between two pages of one site, so the link queue's rounds need no waiting on the hand-moved clock.
    public async Task InitializeAsync() => _store = await FeedTestStore.StartAsync(new()
    {
        ["Dashboard:Feeds:TimeoutSeconds"] = "6",
        ["Dashboard:Links:SiteGapSeconds"] = "0",
        ["Dashboard:Links:MaxAttempts"] = "2",
    });

    /// <summary>The items' pages the poll queued, fetched as the link fetcher would, then everything queued stored.</summary>
    private async Task FetchPagesAndStoreAsync()
    {
        await _store.Services.GetRequiredService<LinkFetcher>().DrainAsync();
        await _store.DrainQueueAsync();
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task First_poll_stores_the_items_and_a_second_poll_sends_the_etag_gets_304_and_stores_nothing()
    {
        var feedBytes = await File.ReadAllBytesAsync(Path.Combine(FeedReaderFolder, "Rss20BreakingNews.xml"));
        const string etag = "\"breaking-v1\"";
        const string lastModified = "Fri, 06 Jan 2017 22:30:00 GMT";
        await using var server = await LocalWebServer.StartAsync(async context =>
        {
            if (context.Request.Headers.IfNoneMatch.ToString() == etag)
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            context.Response.Headers.ETag = etag;
            context.Response.Headers.LastModified = lastModified;
            await LocalWebServer.SendAsync(context, feedBytes, "application/rss+xml");
        });
        var (feed, _) = await _store.Subscriptions.AddAsync(server.Url("business.xml"));

        var first = await _store.Poller.PollAsync(feed!.Id);
        await _store.DrainQueueAsync();

        var expected = ArticleParser.Read("feed.xml", feedBytes).Articles.Count;
        Assert.Equal(FeedPollOutcome.Fetched, first!.Outcome);
        Assert.Equal(expected, first.Items);
        await using (var db = await _store.DbAsync())
        {
            Assert.Equal(expected, await db.Articles.CountAsync(a => a.FeedId == feed.Id));
            var upload = await db.Uploads.SingleAsync();
            Assert.Equal(UploadStatus.Stored, upload.Status);
            Assert.Equal(feed.Id, upload.FeedId);
            // The upload is named after the feed's own title, read on the first poll.
            Assert.Equal("Business- BreakingNews.ie.xml", upload.FileName);
        }

        var second = await _store.Poller.PollAsync(feed.Id);

        Assert.Equal(FeedPollOutcome.NotModified, second!.Outcome);
        var requests = server.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].IfNoneMatch);
        Assert.Equal(etag, requests[1].IfNoneMatch);
        Assert.Equal(lastModified, requests[1].IfModifiedSince);
        Assert.Equal(FeedPoller.DefaultUserAgent, requests[0].UserAgent);
        await using (var db = await _store.DbAsync())
        {
            Assert.Equal(1, await db.Uploads.CountAsync());
            Assert.Equal(expected, await db.Articles.CountAsync());
        }
        var health = (await _store.Subscriptions.ListAsync()).Single();
        Assert.Equal("ok", health.Health);
        Assert.Equal("Business: BreakingNews.ie", health.Title);
        Assert.Equal(expected, health.ItemsPerDay[^1].Items);
        Assert.Equal(expected, health.ItemsLastWeek);
        Assert.Equal(_store.Clock.GetUtcNow().UtcDateTime.AddMinutes(30), health.NextPollAt);
    }

    [Fact]
    public async Task A_server_error_backs_off_exponentially_shows_in_health_and_the_clock_decides_when_it_is_due()
    {
        var failing = true;
        var feedBytes = await File.ReadAllBytesAsync(Path.Combine(FeedReaderFolder, "Rss20BreakingNews.xml"));
        await using var server = await LocalWebServer.StartAsync(async context =>
        {
            if (failing)
            {
                await LocalWebServer.SendAsync(context, Encoding.UTF8.GetBytes("boom"), "text/plain", StatusCodes.Status500InternalServerError);
                return;
            }
            await LocalWebServer.SendAsync(context, feedBytes, "application/rss+xml");
        });
        var (feed, _) = await _store.Subscriptions.AddAsync(server.Url("feed.xml"), pollMinutes: 10);
        Assert.Equal("never", (await _store.Subscriptions.ListAsync()).Single().Health);
        var start = _store.Clock.GetUtcNow().UtcDateTime;

        var first = Assert.Single(await _store.Poller.PollDueAsync());

        Assert.Equal(FeedPollOutcome.Failed, first.Outcome);
        Assert.Equal(start.AddMinutes(20), first.NextPollAt);
        var health = (await _store.Subscriptions.ListAsync()).Single();
        Assert.Equal("failing", health.Health);
        Assert.Equal(1, health.ConsecutiveFailures);
        Assert.Contains("HTTP 500", health.LastError);
        Assert.Equal(start, health.LastErrorAt);

        // Ten minutes on, the usual interval has passed but the backoff has not: nothing is fetched.
        _store.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(await _store.Poller.PollDueAsync());
        Assert.Single(server.Requests);

        _store.Clock.Advance(TimeSpan.FromMinutes(10));
        var second = Assert.Single(await _store.Poller.PollDueAsync());
        Assert.Equal(_store.Clock.GetUtcNow().UtcDateTime.AddMinutes(40), second.NextPollAt);
        Assert.Equal(2, (await _store.Subscriptions.ListAsync()).Single().ConsecutiveFailures);

        failing = false;
        _store.Clock.Advance(TimeSpan.FromMinutes(40));
        var recovered = Assert.Single(await _store.Poller.PollDueAsync());
        Assert.Equal(FeedPollOutcome.Fetched, recovered.Outcome);
        health = (await _store.Subscriptions.ListAsync()).Single();
        Assert.Equal("ok", health.Health);
        Assert.Equal(0, health.ConsecutiveFailures);
        // The last error stays on show after a recovery, with its time, so a flaky feed is visible.
        Assert.Contains("HTTP 500", health.LastError);
        Assert.Equal(_store.Clock.GetUtcNow().UtcDateTime.AddMinutes(10), health.NextPollAt);
    }

    [Fact]
    public void Backoff_doubles_per_failure_and_stops_at_a_day()
    {
        Assert.Equal(TimeSpan.FromMinutes(60), FeedPoller.Backoff(TimeSpan.FromMinutes(30), 1));
        Assert.Equal(TimeSpan.FromMinutes(240), FeedPoller.Backoff(TimeSpan.FromMinutes(30), 3));
        Assert.Equal(TimeSpan.FromHours(24), FeedPoller.Backoff(TimeSpan.FromMinutes(30), 8));
        Assert.Equal(TimeSpan.FromHours(24), FeedPoller.Backoff(TimeSpan.FromMinutes(30), 5000));
    }

    [Fact]
    public async Task Retry_after_from_the_server_is_honoured_when_longer_than_the_backoff()
    {
        await using var server = await LocalWebServer.StartAsync(async context =>
        {
            context.Response.Headers.RetryAfter = "7200";
            await LocalWebServer.SendAsync(context, Encoding.UTF8.GetBytes("slow down"), "text/plain", StatusCodes.Status429TooManyRequests);
        });
        var (feed, _) = await _store.Subscriptions.AddAsync(server.Url("feed.xml"), pollMinutes: 5);

        var result = await _store.Poller.PollAsync(feed!.Id);

        Assert.Equal(_store.Clock.GetUtcNow().UtcDateTime.AddHours(2), result!.NextPollAt);
        Assert.Contains("HTTP 429", result.Error);
    }

    [Fact]
    public async Task A_timeout_counts_as_a_failure_with_a_readable_error()
    {
        var hang = new TaskCompletionSource();
        await using var server = await LocalWebServer.StartAsync(async context =>
        {
            // Never answers while the test runs: the poller's own timeout must end the request.
            await hang.Task.WaitAsync(context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        var (feed, _) = await _store.Subscriptions.AddAsync(server.Url("slow.xml"), pollMinutes: 15);

        var result = await _store.Poller.PollAsync(feed!.Id);
        hang.TrySetResult();

        Assert.Equal(FeedPollOutcome.Failed, result!.Outcome);
        Assert.Contains("timed out", result.Error);
        Assert.Equal(_store.Clock.GetUtcNow().UtcDateTime.AddMinutes(30), result.NextPollAt);
        var health = (await _store.Subscriptions.ListAsync()).Single();
        Assert.Equal("failing", health.Health);
        Assert.Contains("timed out", health.LastError);
    }

    [Fact]
    public async Task A_page_that_is_not_a_feed_is_an_error_of_the_feed_and_nothing_is_queued()
    {
        await using var server = await LocalWebServer.StartAsync(context =>
            LocalWebServer.SendAsync(context, Encoding.UTF8.GetBytes("\0\0binary junk"), "application/octet-stream"));
        var (feed, _) = await _store.Subscriptions.AddAsync(server.Url("junk"));

        var result = await _store.Poller.PollAsync(feed!.Id);

        Assert.Equal(FeedPollOutcome.Failed, result!.Outcome);
        Assert.Contains("binary file", result.Error);
        await using var db = await _store.DbAsync();
        Assert.Equal(0, await db.Uploads.CountAsync());
    }

    [Fact]
    public async Task A_feed_that_moved_permanently_takes_its_new_address_and_a_temporary_redirect_keeps_the_old()
    {
        var feedBytes = await File.ReadAllBytesAsync(Path.Combine(FeedReaderFolder, "Rss20BreakingNews.xml"));
        await using var server = await LocalWebServer.StartAsync(context =>
        {
            switch (context.Request.Path.Value)
            {
                case "/old.xml":
                    context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
                    context.Response.Headers.Location = "/moved.xml";
                    return Task.CompletedTask;
                case "/moved.xml":
                    context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
                    context.Response.Headers.Location = $"{context.Request.Scheme}://{context.Request.Host}/new.xml";
                    return Task.CompletedTask;
                case "/today.xml":
                    context.Response.StatusCode = StatusCodes.Status302Found;
                    context.Response.Headers.Location = "/new.xml";
                    return Task.CompletedTask;
                default:
                    return LocalWebServer.SendAsync(context, feedBytes, "application/rss+xml");
            }
        });
        var (moved, _) = await _store.Subscriptions.AddAsync(server.Url("old.xml"));
        var (temporary, _) = await _store.Subscriptions.AddAsync(server.Url("today.xml"));

        Assert.Equal(FeedPollOutcome.Fetched, (await _store.Poller.PollAsync(moved!.Id))!.Outcome);
        Assert.Equal(FeedPollOutcome.Fetched, (await _store.Poller.PollAsync(temporary!.Id))!.Outcome);

        var feeds = (await _store.Subscriptions.ListAsync()).ToDictionary(f => f.Id);
        Assert.Equal(server.Url("new.xml"), feeds[moved.Id].Url);
        Assert.Equal(server.Url("today.xml"), feeds[temporary.Id].Url);
        Assert.Equal("ok", feeds[moved.Id].Health);
        // The moved feed is fetched at its new address from now on; the other one still asks its old one first.
        server.Requests.Clear();
        await _store.Poller.PollAsync(moved.Id);
        await _store.Poller.PollAsync(temporary.Id);
        Assert.Equal(["/new.xml", "/today.xml", "/new.xml"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task A_redirect_loop_fails_with_a_reason_instead_of_hanging()
    {
        await using var server = await LocalWebServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = context.Request.Path == "/a.xml" ? "/b.xml" : "/a.xml";
            return Task.CompletedTask;
        });
        var (feed, _) = await _store.Subscriptions.AddAsync(server.Url("a.xml"));

        var result = await _store.Poller.PollAsync(feed!.Id);

        Assert.Equal(FeedPollOutcome.Failed, result!.Outcome);
        Assert.Contains("more than 5 redirects", result.Error);
        Assert.Equal(6, server.Requests.Count);
    }

    private static byte[] SitePage(params string[] feedLinks) => Encoding.UTF8.GetBytes(
        "<!DOCTYPE html><html><head><title>Breaking News</title>" +
        string.Concat(feedLinks.Select(href => $"<link rel=\"alternate\" type=\"application/rss+xml\" href=\"{href}\">")) +
        "</head><body><h1>Breaking News</h1><p>The day's stories from Ireland and the world, each behind its own link on this front page.</p></body></html>");

    [Fact]
    public async Task A_site_address_is_followed_to_the_feed_its_page_names_and_the_page_itself_is_never_stored()
    {
        var feedBytes = await File.ReadAllBytesAsync(Path.Combine(FeedReaderFolder, "Rss20BreakingNews.xml"));
        await using var server = await LocalWebServer.StartAsync(context => context.Request.Path == "/feeds/main.xml"
            ? LocalWebServer.SendAsync(context, feedBytes, "application/rss+xml")
            : LocalWebServer.SendAsync(context, SitePage("feeds/main.xml", "/feeds/comments.xml"), "text/html; charset=utf-8"));
        var (feed, _) = await _store.Subscriptions.AddAsync(server.Url("/"));

        var first = await _store.Poller.PollAsync(feed!.Id);
        await _store.DrainQueueAsync();

        var expected = ArticleParser.Read("feed.xml", feedBytes).Articles.Count;
        Assert.Equal(FeedPollOutcome.Fetched, first!.Outcome);
        Assert.Equal(expected, first.Items);
        var health = (await _store.Subscriptions.ListAsync()).Single();
        Assert.Equal(server.Url("/feeds/main.xml"), health.Url);
        Assert.Equal("ok", health.Health);
        await using (var db = await _store.DbAsync())
        {
            Assert.Equal(expected, await db.Articles.CountAsync(a => a.FeedId == feed.Id));
            Assert.False(await db.Articles.AnyAsync(a => a.Title == "Breaking News"));
        }

        // From now on only the feed is fetched.
        await _store.Poller.PollAsync(feed.Id);
        Assert.Equal(["/", "/feeds/main.xml", "/feeds/main.xml"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task A_page_that_names_no_feed_fails_with_what_to_do_and_nothing_is_queued()
    {
        await using var server = await LocalWebServer.StartAsync(context =>
            LocalWebServer.SendAsync(context, SitePage(), "text/html"));
        var (feed, _) = await _store.Subscriptions.AddAsync(server.Url("news"));

        var result = await _store.Poller.PollAsync(feed!.Id);

        Assert.Equal(FeedPollOutcome.Failed, result!.Outcome);
        Assert.Contains("web page, not a feed", result.Error);
        Assert.Contains("names no feed", result.Error);
        Assert.Contains("robots.txt list a news sitemap", result.Error);
        Assert.Equal(server.Url("news"), (await _store.Subscriptions.ListAsync()).Single().Url);
        await using var db = await _store.DbAsync();
        Assert.Equal(0, await db.Uploads.CountAsync());
    }

    [Fact]
    public async Task A_site_whose_page_names_no_feed_is_followed_to_the_news_sitemap_its_robots_txt_lists()
    {
        LocalWebServer? self = null;
        await using var server = await LocalWebServer.StartAsync(context => context.Request.Path.Value switch
        {
            "/robots.txt" => LocalWebServer.SendAsync(context, Encoding.UTF8.GetBytes(
                "User-agent: *\nDisallow: /search\n\nSitemap: /sitemap.xml\nsitemap: /sitemaps/news.xml\n"), "text/plain"),
            "/sitemaps/news.xml" => LocalWebServer.SendAsync(context, Encoding.UTF8.GetBytes($"""
                <?xml version="1.0" encoding="UTF-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
                  <url><loc>{self!.Url("world/story")}</loc><news:news><news:publication><news:name>Breaking News</news:name></news:publication>
                    <news:publication_date>2026-03-02T08:00:00Z</news:publication_date><news:title>Ministers of Chile and Peru meet in Lima</news:title></news:news></url>
                </urlset>
                """), "application/xml"),
            _ => LocalWebServer.SendAsync(context, SitePage(), "text/html"),
        });
        self = server;
        var (feed, _) = await _store.Subscriptions.AddAsync(server.Url("news"));

        var result = await _store.Poller.PollAsync(feed!.Id);
        await _store.DrainQueueAsync();

        Assert.Equal((FeedPollOutcome.Fetched, 1), (result!.Outcome, result.Items));
        Assert.Equal(server.Url("sitemaps/news.xml"), (await _store.Subscriptions.ListAsync()).Single().Url);
        await using var db = await _store.DbAsync();
        Assert.Equal("Ministers of Chile and Peru meet in Lima", (await db.Articles.SingleAsync()).Title);
    }

    [Fact]
    public async Task A_feed_that_worked_and_now_answers_with_a_page_is_failing_and_keeps_its_address()
    {
        var feedBytes = await File.ReadAllBytesAsync(Path.Combine(FeedReaderFolder, "Rss20BreakingNews.xml"));
        var moved = false;
        await using var server = await LocalWebServer.StartAsync(context => moved
            ? LocalWebServer.SendAsync(context, SitePage("/elsewhere.xml"), "text/html")
            : LocalWebServer.SendAsync(context, feedBytes, "application/rss+xml"));
        var (feed, _) = await _store.Subscriptions.AddAsync(server.Url("feed.xml"));
        Assert.Equal(FeedPollOutcome.Fetched, (await _store.Poller.PollAsync(feed!.Id))!.Outcome);
        await _store.DrainQueueAsync();

        moved = true;
        var result = await _store.Poller.PollAsync(feed.Id);

        Assert.Equal(FeedPollOutcome.Failed, result!.Outcome);
        Assert.Contains("now answers with a web page", result.Error);
        var health = (await _store.Subscriptions.ListAsync()).Single();
        Assert.Equal(server.Url("feed.xml"), health.Url);
        Assert.Equal("failing", health.Health);
        Assert.DoesNotContain(server.Requests, r => r.Path == "/elsewhere.xml");
        await using var db = await _store.DbAsync();
        Assert.Equal(1, await db.Uploads.CountAsync());
    }

    [Fact]
    public async Task A_page_naming_a_feed_already_subscribed_says_so_and_keeps_both_subscriptions_apart()
    {
        var feedBytes = await File.ReadAllBytesAsync(Path.Combine(FeedReaderFolder, "Rss20BreakingNews.xml"));
        await using var server = await LocalWebServer.StartAsync(context => context.Request.Path == "/rss"
            ? LocalWebServer.SendAsync(context, feedBytes, "application/rss+xml")
            : LocalWebServer.SendAsync(context, SitePage("/rss"), "text/html"));
        var (direct, _) = await _store.Subscriptions.AddAsync(server.Url("rss"));
        var (site, _) = await _store.Subscriptions.AddAsync(server.Url("home"));

        var result = await _store.Poller.PollAsync(site!.Id);

        Assert.Equal(FeedPollOutcome.Failed, result!.Outcome);
        Assert.Contains($"names the feed {server.Url("rss")}, which is already subscribed", result.Error);
        Assert.Equal([server.Url("rss"), server.Url("home")], (await _store.Subscriptions.ListAsync()).OrderBy(f => f.Id).Select(f => f.Url));
        Assert.NotEqual(direct!.Id, site.Id);
    }

    [Fact]
    public async Task A_news_sitemap_is_polled_like_a_feed_and_its_stories_pages_are_fetched()
    {
        var page = await File.ReadAllBytesAsync(Path.Combine(TestPaths.Shared, "data", "readability", "ars-1", "source.html"));
        LocalWebServer? self = null;
        await using var server = await LocalWebServer.StartAsync(context => context.Request.Path == "/tech/minecraft"
            ? LocalWebServer.SendAsync(context, page, "text/html; charset=utf-8")
            : LocalWebServer.SendAsync(context, Encoding.UTF8.GetBytes($"""
                <?xml version="1.0" encoding="UTF-8"?>
                <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
                  <url><loc>{self!.Url("tech/minecraft")}</loc><news:news>
                    <news:publication><news:name>Local Technica</news:name><news:language>en</news:language></news:publication>
                    <news:publication_date>2015-04-16T12:00:00Z</news:publication_date>
                    <news:title>Minecraft exploit makes it easy to crash game servers</news:title>
                  </news:news></url>
                </urlset>
                """), "application/xml"));
        self = server;
        var (feed, _) = await _store.Subscriptions.AddAsync(server.Url("news-sitemap.xml"), fetchFullArticle: true);

        var result = await _store.Poller.PollAsync(feed!.Id);
        await FetchPagesAndStoreAsync();

        Assert.Equal((FeedPollOutcome.Fetched, 1, 1), (result!.Outcome, result.Items, result.Pages));
        await using var db = await _store.DbAsync();
        var article = await db.Articles.SingleAsync();
        Assert.Equal("Minecraft exploit makes it easy to crash game servers", article.Title);
        Assert.True(article.Text.Length > 1000, $"only {article.Text.Length} characters: the page was not read");
        Assert.Equal(server.Url("tech/minecraft"), article.Url);
        Assert.Equal(new DateOnly(2015, 4, 16), article.PublishedDate);
        Assert.Equal("Local Technica", (await _store.Subscriptions.ListAsync()).Single().Title);
    }

    [Fact]
    public async Task Full_article_fetch_gets_the_pages_of_summary_items_from_the_local_server_and_keeps_one_copy()
    {
        var readability = Path.Combine(TestPaths.Shared, "data", "readability");
        var pages = new Dictionary<string, byte[]>
        {
            ["/news/one"] = await File.ReadAllBytesAsync(Path.Combine(readability, "ars-1", "source.html")),
            ["/news/two"] = await File.ReadAllBytesAsync(Path.Combine(readability, "aclu", "source.html")),
        };
        LocalWebServer? self = null;
        var laterItems = "";
        await using var server = await LocalWebServer.StartAsync(async context =>
        {
            if (pages.TryGetValue(context.Request.Path, out var page))
            {
                await LocalWebServer.SendAsync(context, page, "text/html; charset=utf-8");
                return;
            }
            var rss = $"""
                <?xml version="1.0" encoding="utf-8"?>
                <rss version="2.0"><channel><title>Local Wire</title><link>{self!.Url("")}</link>
                <item><title>First story</title><link>{self.Url("news/one")}</link><description>Only a teaser.</description><pubDate>Mon, 02 Mar 2026 07:00:00 +0100</pubDate></item>
                <item><title>Second story</title><link>{self.Url("news/two")}</link><description>Another teaser.</description></item>
                {laterItems}
                </channel></rss>
                """;
            await LocalWebServer.SendAsync(context, Encoding.UTF8.GetBytes(rss), "application/rss+xml");
        });
        self = server;
        var (feed, _) = await _store.Subscriptions.AddAsync(server.Url("wire.xml"), fetchFullArticle: true);

        var result = await _store.Poller.PollAsync(feed!.Id);
        await FetchPagesAndStoreAsync();

        Assert.Equal(2, result!.Pages);
        Assert.Contains(server.Requests, r => r.Path == "/news/one");
        Assert.Contains(server.Requests, r => r.Path == "/news/two");
        await using (var db = await _store.DbAsync())
        {
            var articles = await db.Articles.OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(2, articles.Count);
            Assert.All(articles, a => Assert.True(a.Text.Length > 1000, $"\"{a.Title}\" kept only {a.Text.Length} characters"));
            Assert.Equal(["First story", "Second story"], articles.Select(a => a.Title));
            Assert.Equal(server.Url("news/one"), articles[0].Url);
            Assert.Equal(new DateTimeOffset(2026, 3, 2, 7, 0, 0, TimeSpan.FromHours(1)), articles[0].PublishedAt);
            Assert.All(articles, a => Assert.Equal(feed.Id, a.FeedId));
            // Both items were left to the link queue, so the feed document itself was not queued to store their teasers.
            var uploads = await db.Uploads.OrderBy(u => u.Id).ToListAsync();
            Assert.Equal([server.Url("news/one"), server.Url("news/two")], uploads.Select(u => u.Url));
            Assert.All(uploads, u => Assert.Equal((UploadStatus.Stored, feed.Id), (u.Status, u.FeedId)));
        }

        // The feed gains an item: only its page is fetched, the stored stories' pages are not fetched again.
        pages["/news/three"] = await File.ReadAllBytesAsync(Path.Combine(readability, "ars-1", "source.html"));
        laterItems = $"<item><title>Third story</title><link>{server.Url("news/three")}</link><description>A third teaser.</description></item>";
        var again = await _store.Poller.PollAsync(feed.Id);
        await FetchPagesAndStoreAsync();
        Assert.Equal(1, again!.Pages);
        Assert.Single(server.Requests, r => r.Path == "/news/one");
        Assert.Single(server.Requests, r => r.Path == "/news/three");
    }

    [Fact]
    public async Task Full_article_pages_go_through_the_link_queue_and_an_item_whose_page_cannot_be_had_keeps_its_summary()
    {
        var readability = Path.Combine(TestPaths.Shared, "data", "readability");
        var story = await File.ReadAllBytesAsync(Path.Combine(readability, "ars-1", "source.html"));
        LocalWebServer? self = null;
        var edition = 1;
        await using var server = await LocalWebServer.StartAsync(context => context.Request.Path.Value switch
        {
            "/news/full" => LocalWebServer.SendAsync(context, story, "text/html; charset=utf-8"),
            "/news/gone" => LocalWebServer.SendAsync(context, "gone"u8.ToArray(), "text/plain", 404),
            "/news/down" => LocalWebServer.SendAsync(context, "busy"u8.ToArray(), "text/plain", 503),
            _ => LocalWebServer.SendAsync(context, Encoding.UTF8.GetBytes($"""
                <?xml version="1.0" encoding="utf-8"?>
                <rss version="2.0"><channel><title>Local Wire</title><link>{self!.Url("")}</link><description>Edition {edition}</description>
                <item><title>Full story</title><link>{self.Url("news/full")}</link><description>A teaser.</description><pubDate>Mon, 02 Mar 2026 07:00:00 GMT</pubDate></item>
                <item><title>Kenya and Uganda sign a trade pact</title><link>{self.Url("news/gone")}</link><description>Ministers of Kenya and Uganda signed a trade pact in Nairobi.</description><pubDate>Sun, 01 Mar 2026 10:00:00 GMT</pubDate></item>
                <item><title>Chile and Peru talk about water</title><link>{self.Url("news/down")}</link><description>Chile and Peru met in Lima about water rights.</description><pubDate>Sun, 01 Mar 2026 11:00:00 GMT</pubDate></item>
                </channel></rss>
                """), "application/rss+xml"),
        });
        self = server;
        var (feed, _) = await _store.Subscriptions.AddAsync(server.Url("wire.xml"), fetchFullArticle: true);

        var result = await _store.Poller.PollAsync(feed!.Id);
        await FetchPagesAndStoreAsync();

        Assert.Equal(3, result!.Pages);
        await using (var db = await _store.DbAsync())
        {
            var articles = await db.Articles.OrderBy(a => a.Title).ToListAsync();
            // The page that answered gave the full text under the item's title and date; the 404's item kept its summary.
            Assert.Equal(["Full story", "Kenya and Uganda sign a trade pact"], articles.Select(a => a.Title));
            Assert.True(articles[0].Text.Length > 1000, $"only {articles[0].Text.Length} characters");
            Assert.Equal(new DateOnly(2026, 3, 2), articles[0].PublishedDate);
            Assert.Equal("Ministers of Kenya and Uganda signed a trade pact in Nairobi.", articles[1].Text);
            Assert.Equal((new DateOnly(2026, 3, 1), server.Url("news/gone"), "Local Wire"), (articles[1].PublishedDate, articles[1].Url, articles[1].Source));
            Assert.All(articles, a => Assert.Equal(feed.Id, a.FeedId));
            // The site that is down for a moment gets another try later; its summary is not stored meanwhile.
            var waiting = await db.Uploads.SingleAsync(u => u.Status == UploadStatus.Fetching);
            Assert.Equal(server.Url("news/down"), waiting.Url);
            Assert.Contains("503", waiting.Reason);
        }
        Assert.Equal(1, (await _store.Subscriptions.ListAsync()).Single().PagesWaiting);

        // The next poll of the changed feed neither queues the waiting page again nor stores its teaser.
        edition = 2;
        var again = await _store.Poller.PollAsync(feed.Id);
        await _store.DrainQueueAsync();
        Assert.Equal((FeedPollOutcome.Fetched, 1), (again!.Outcome, again.Pages));
        await using (var db = await _store.DbAsync())
        {
            Assert.Equal(2, await db.Articles.CountAsync());
            Assert.Equal(1, await db.Uploads.CountAsync(u => u.Status == UploadStatus.Fetching));
        }

        // Its last try, a minute later, fails too: the item is stored as its feed gave it.
        _store.Clock.Advance(TimeSpan.FromMinutes(2));
        await FetchPagesAndStoreAsync();
        await using (var db = await _store.DbAsync())
        {
            var kept = await db.Articles.SingleAsync(a => a.Url == server.Url("news/down"));
            Assert.Equal(("Chile and Peru talk about water", "Chile and Peru met in Lima about water rights.", feed.Id), (kept.Title, kept.Text, kept.FeedId));
            Assert.Equal(0, await db.Uploads.CountAsync(u => u.Status == UploadStatus.Fetching || u.Status == UploadStatus.Failed));
        }
        Assert.Equal(0, (await _store.Subscriptions.ListAsync()).Single().PagesWaiting);
        Assert.Equal(2, server.Requests.Count(r => r.Path == "/news/down"));
        // The 404's item, stored as its summary, had its page tried once more by the second poll, and keeps its summary.
        Assert.Equal(2, server.Requests.Count(r => r.Path == "/news/gone"));
    }

    [Fact]
    public async Task Turning_full_articles_on_later_gives_items_stored_as_summaries_their_pages_text_and_a_failing_page_is_tried_once_a_day()
    {
        LocalWebServer? self = null;
        var edition = 1;
        await using var server = await LocalWebServer.StartAsync(context => context.Request.Path.Value switch
        {
            "/news/chile-peru" => LocalWebServer.SendAsync(context, TestPages.ChileAndPeru(), "text/html"),
            "/news/gone" => LocalWebServer.SendAsync(context, "gone"u8.ToArray(), "text/plain", 404),
            _ => LocalWebServer.SendAsync(context, Encoding.UTF8.GetBytes($"""
                <?xml version="1.0" encoding="utf-8"?>
                <rss version="2.0"><channel><title>Andes Wire</title><link>{self!.Url("")}</link><description>Edition {edition}</description>
                <item><title>Chile signs a trade deal</title><link>{self.Url("news/chile-peru")}</link><description>Chile signed a trade deal on Monday.</description><pubDate>Mon, 02 Mar 2026 07:00:00 GMT</pubDate></item>
                <item><title>Kenya and Uganda sign a trade pact</title><link>{self.Url("news/gone")}</link><description>Ministers of Kenya and Uganda signed a trade pact.</description><pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate></item>
                </channel></rss>
                """), "application/rss+xml"),
        });
        self = server;
        var (feed, _) = await _store.Subscriptions.AddAsync(server.Url("wire.xml"));
        await _store.Poller.PollAsync(feed!.Id);
        await _store.DrainQueueAsync();
        Assert.DoesNotContain(server.Requests, r => r.Path.StartsWith("/news/", StringComparison.Ordinal));

        // The option turned on; the feed's next edition brings the same items, both stored as their summaries.
        await _store.Subscriptions.UpdateAsync(feed.Id, fetchFullArticle: true);
        edition = 2;
        var again = await _store.Poller.PollAsync(feed.Id);

        Assert.Equal(0, again!.Pages);
        await using (var db = await _store.DbAsync())
        {
            var articles = await db.Articles.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(2, articles.Count);
            Assert.StartsWith("Chile and Peru signed a trade deal in Lima", articles[0].Text);
            Assert.Equal(("Chile signs a trade deal", feed.Id), (articles[0].Title, articles[0].FeedId));
            Assert.Equal("Ministers of Kenya and Uganda signed a trade pact.", articles[1].Text);
            Assert.Contains("PE", await db.Mentions.Where(m => m.ArticleId == articles[0].Id).Select(m => m.Entity!.Key).ToListAsync());
        }
        Assert.Single(server.Requests, r => r.Path == "/news/gone");

        // Within a day the page that failed is not asked for again; a day later it is.
        edition = 3;
        await _store.Poller.PollAsync(feed.Id);
        Assert.Single(server.Requests, r => r.Path == "/news/gone");
        _store.Clock.Advance(FeedPoller.SummaryRetry);
        edition = 4;
        await _store.Poller.PollAsync(feed.Id);
        Assert.Equal(2, server.Requests.Count(r => r.Path == "/news/gone"));
        // The upgraded article is not a summary any more: its page is not asked for again.
        Assert.Single(server.Requests, r => r.Path == "/news/chile-peru");
    }

    [Fact]
    public async Task Removing_a_feed_forgets_the_pages_of_its_items_still_waiting_and_keeps_other_links()
    {
        var (feed, _) = await _store.Subscriptions.AddAsync("https://wire.example/feed.xml", fetchFullArticle: true);
        var queue = _store.Services.GetRequiredService<IngestQueue>();
        await queue.EnqueueLinksAsync([new Uri("https://wire.example/story/1")], feedId: feed!.Id);
        await queue.EnqueueLinksAsync([new Uri("https://wire.example/story/2")]);

        Assert.True(await _store.Subscriptions.RemoveAsync(feed.Id));

        await using var db = await _store.DbAsync();
        Assert.Equal(["https://wire.example/story/2"], await db.Uploads.Where(u => u.Status == UploadStatus.Fetching).Select(u => u.Url).ToListAsync());
    }

    [Fact]
    public async Task An_item_without_a_date_takes_the_feeds_date_else_the_fetch_time_marked_as_fallback()
    {
        var documents = new Dictionary<string, string>
        {
            ["/dated.xml"] = """
                <rss version="2.0"><channel><title>Dated channel</title><pubDate>Sun, 01 Mar 2026 18:30:00 GMT</pubDate>
                <item><title>Undated item in a dated feed</title><description>Ministers of Kenya and Uganda met in Nairobi to talk about trade.</description></item>
                </channel></rss>
                """,
            ["/undated.xml"] = """
                <rss version="2.0"><channel><title>Undated channel</title>
                <item><title>Undated item in an undated feed</title><description>The parliament of Chile voted on the budget late on Tuesday.</description></item>
                </channel></rss>
                """,
        };
        await using var server = await LocalWebServer.StartAsync(context =>
            LocalWebServer.SendAsync(context, Encoding.UTF8.GetBytes(documents[context.Request.Path]), "application/rss+xml"));
        var (dated, _) = await _store.Subscriptions.AddAsync(server.Url("dated.xml"));
        var (undated, _) = await _store.Subscriptions.AddAsync(server.Url("undated.xml"));

        await _store.Poller.PollDueAsync();
        await _store.DrainQueueAsync();

        await using var db = await _store.DbAsync();
        var fromDated = await db.Articles.SingleAsync(a => a.FeedId == dated!.Id);
        Assert.Equal(new DateOnly(2026, 3, 1), fromDated.PublishedDate);
        // The feed's date stands in for the item's, and the article says it is borrowed.
        Assert.True(fromDated.DateIsFallback);
        var fromUndated = await db.Articles.SingleAsync(a => a.FeedId == undated!.Id);
        Assert.Equal(DateOnly.FromDateTime(_store.Clock.GetUtcNow().UtcDateTime), fromUndated.PublishedDate);
        Assert.True(fromUndated.DateIsFallback);
    }

    [Fact]
    public async Task A_disabled_feed_is_not_polled_and_enabling_it_makes_it_due_at_once()
    {
        await using var server = await LocalWebServer.StartAsync(context =>
            LocalWebServer.SendAsync(context, File.ReadAllBytes(Path.Combine(FeedReaderFolder, "Rss20BreakingNews.xml")), "application/rss+xml"));
        var (feed, _) = await _store.Subscriptions.AddAsync(server.Url("feed.xml"));
        await _store.Subscriptions.UpdateAsync(feed!.Id, enabled: false);

        Assert.Empty(await _store.Poller.PollDueAsync());

        await _store.Subscriptions.UpdateAsync(feed.Id, enabled: true);
        Assert.Single(await _store.Poller.PollDueAsync());
    }
}
