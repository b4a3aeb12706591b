using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEndTests;

/// <summary>
/// The Feeds page in a browser: a feed added by its address is polled by the app's own poller from a feed
/// server on loopback, and its row turns healthy with its items counted; a feed whose server fails shows the error;
/// a site's own address becomes a subscription to the feed its page names.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FeedsPageTests(AppFixture app) : IAsyncLifetime
{
    private WebApplication? _feedServer;
    private Uri _feedBase = null!;

    public async Task InitializeAsync()
    {
        var feed = await File.ReadAllBytesAsync(Path.Combine(SharedFolder(), "data", "feeds", "feedreader", "Rss20BreakingNews.xml"));
        // The site's own feed: one item naming no country or actor, so the dashboard tests sharing this app count
        // exactly what they did before, and never the same items as the other feed (the two would race to store them).
        var siteFeed = System.Text.Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A news site</title>" +
            "<id>urn:site</id><updated>2017-01-06T12:00:00Z</updated><entry><title>Opening hours over the holidays</title>" +
            "<id>urn:site:1</id><link href=\"https://site.example/hours\"/><updated>2017-01-06T12:00:00Z</updated>" +
            "<summary>The newsroom answers letters every weekday morning, and the archive reopens after the holidays.</summary></entry></feed>");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _feedServer = builder.Build();
        _feedServer.Run(async context =>
        {
            if (context.Request.Path == "/broken.xml")
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return;
            }
            if (context.Request.Path.Value!.StartsWith("/full-", StringComparison.Ordinal))
            {
                await FullArticleSiteAsync(context);
                return;
            }
            if (context.Request.Path.Value!.StartsWith("/teaser-", StringComparison.Ordinal))
            {
                await TeaserSiteAsync(context);
                return;
            }
            if (context.Request.Path.Value!.StartsWith("/site-", StringComparison.Ordinal))
            {
                if (context.Request.Path.Value!.EndsWith("/atom.xml", StringComparison.Ordinal))
                {
                    context.Response.ContentType = "application/atom+xml";
                    await context.Response.Body.WriteAsync(siteFeed);
                    return;
                }
                // A site's front page, naming its feed by a relative link, as sites do.
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(
                    "<!doctype html><html><head><title>A news site</title>" +
                    "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"All stories\" href=\"atom.xml\"></head>" +
                    "<body><h1>A news site</h1><p>Today's stories are listed here, each behind its own link.</p></body></html>");
                return;
            }
            context.Response.ContentType = "application/rss+xml";
            await context.Response.Body.WriteAsync(feed);
        });
        await _feedServer.StartAsync();
        _feedBase = new Uri(_feedServer.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
    }

    public async Task DisposeAsync()
    {
        if (_feedServer is not null)
        {
            await _feedServer.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_feed_added_by_address_is_polled_and_its_row_shows_health_and_items()
    {
        var page = await app.NewPageAsync();
        await page.OpenAsync("feeds");
        var good = new Uri(_feedBase, $"business-{Guid.NewGuid():N}.xml").AbsoluteUri;
        var broken = new Uri(_feedBase, "broken.xml").AbsoluteUri;

        await AddAsync(page, good);
        await AddAsync(page, broken);

        var goodRow = page.Locator($"[data-feed-url=\"{good}\"]");
        await Expect(goodRow).ToHaveAttributeAsync("data-health", "ok");
        await Expect(goodRow.Locator("[data-last-success]")).Not.ToContainTextAsync("never");
        // The feed's ten items are stored by the ingestion worker; the row counts them for today.
        await page.ReloadAsync();
        await page.WaitUntilInteractiveAsync();
        await Expect(goodRow.Locator("[data-items-per-day]")).ToContainTextAsync("0 · 0 · 0 · 0 · 0 · 0 · 10");

        var brokenRow = page.Locator($"[data-feed-url=\"{broken}\"]");
        await Expect(brokenRow).ToHaveAttributeAsync("data-health", "failing");
        await Expect(brokenRow.Locator("[data-last-error]")).ToContainTextAsync("HTTP 500");
        await AppFixture.ScreenshotAsync(page, "feeds.png");

        await brokenRow.Locator("button[data-feed-remove]").ClickAsync();
        await Expect(brokenRow).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_site_address_becomes_a_subscription_to_the_feed_its_page_names()
    {
        var page = await app.NewPageAsync();
        await page.OpenAsync("feeds");
        var site = new Uri(_feedBase, $"site-{Guid.NewGuid():N}/").AbsoluteUri;

        // Not waiting for the row of the typed address: the first poll may replace it before the page shows it.
        await AddAsync(page, site, waitForRow: false);

        // The first poll reads the page, follows its link and fetches the feed: the row now shows the feed's address.
        var feedRow = page.Locator($"[data-feed-url=\"{site}atom.xml\"]");
        await Expect(feedRow).ToHaveAttributeAsync("data-health", "ok");
        await Expect(page.Locator($"[data-feed-url=\"{site}\"]")).ToHaveCountAsync(0);
        await AppFixture.ScreenshotAsync(page, "feeds-discovered.png");

        await feedRow.Locator("button[data-feed-remove]").ClickAsync();
        await Expect(feedRow).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task With_full_articles_on_an_items_page_is_fetched_and_one_whose_site_is_down_waits_on_the_row()
    {
        var page = await app.NewPageAsync();
        await page.OpenAsync("feeds");
        var feedUrl = new Uri(_feedBase, $"full-{Guid.NewGuid():N}/feed.xml").AbsoluteUri;

        await page.GetByLabel("Feed or site address").FillAsync(feedUrl);
        await page.GetByLabel("Fetch full article").CheckAsync();
        await page.Locator("button[data-feed-add]").ClickAsync();

        // Both items' pages go to the link queue; the one that answers is stored, the one whose site answers 503 waits
        // for its next try (a minute later), and the row counts it, live.
        var row = page.Locator($"[data-feed-url=\"{feedUrl}\"]");
        await Expect(row).ToHaveAttributeAsync("data-health", "ok");
        await Expect(row.Locator("[data-pages-waiting]")).ToHaveAttributeAsync("data-pages-waiting", "1");
        await Expect(row.Locator("[data-pages-waiting]")).ToContainTextAsync("Full articles waiting: 1");
        await AppFixture.ScreenshotAsync(page, "feeds-full-articles.png");

        // The stored item has its page's full text, not the feed's one-line teaser.
        var (_, title) = await StoredArticleAsync("lamps over the long tables");
        Assert.Equal("Reading room reopens", title);

        // Removing the feed forgets the page still waiting.
        await row.Locator("button[data-feed-remove]").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_item_stored_as_its_teaser_gets_its_pages_text_from_the_article_page()
    {
        var page = await app.NewPageAsync();
        await page.OpenAsync("feeds");
        var feedUrl = new Uri(_feedBase, $"teaser-{Guid.NewGuid():N}/feed.xml").AbsoluteUri;
        // Without the full-text option: the item is stored as the feed gives it, a one-line teaser.
        await AddAsync(page, feedUrl);
        await Expect(page.Locator($"[data-feed-url=\"{feedUrl}\"]")).ToHaveAttributeAsync("data-health", "ok");
        var (id, _) = await StoredArticleAsync("garden paths are relaid");

        await page.OpenAsync($"articles/{id}");
        await Expect(page.Locator("[data-short-text]")).ToContainTextAsync("characters are stored, perhaps a feed's summary");
        await page.GetByRole(AriaRole.Button, new() { Name = "Fetch full text from the page" }).ClickAsync();

        await Expect(page.Locator("[data-full-text-result=updated]")).ToContainTextAsync("The page's text replaced the stored one");
        await Expect(page.Locator("[data-field=text]")).ToContainTextAsync("new gravel between the beds");
        await AppFixture.ScreenshotAsync(page, "article-full-text.png");
        // Searching for words only the page had finds the article now.
        var searched = await page.APIRequest.GetAsync(new Uri(app.BaseAddress, "api/articles?q=" + Uri.EscapeDataString("\"new gravel between the beds\"")).AbsoluteUri);
        Assert.Contains("Garden paths relaid", await searched.TextAsync());
    }

    /// <summary>
    /// The id and title of the one article whose text has the phrase, once stored: a poll reports on the feed's row at
    /// once, and the ingestion worker stores the item a moment later. Read from a dashboard searching for the phrase,
    /// which shows the article as it arrives (an empty view refreshes itself), on a page of its own.
    /// </summary>
    private async Task<(long Id, string Title)> StoredArticleAsync(string phrase)
    {
        var search = await app.NewPageAsync();
        await search.OpenAsync("/?q=" + Uri.EscapeDataString($"\"{phrase}\""));
        var rows = search.Locator("[data-article-id]");
        await Expect(rows).ToHaveCountAsync(1);
        var id = long.Parse((await rows.GetAttributeAsync("data-article-id"))!, System.Globalization.CultureInfo.InvariantCulture);
        var title = await rows.Locator(".timeline-title").InnerTextAsync();
        await search.CloseAsync();
        return (id, title);
    }

    /// <summary>A site whose feed's one item carries a teaser, and whose page has the story (neutral words: the dashboard tests sharing this app count countries and actors).</summary>
    private static async Task TeaserSiteAsync(HttpContext context)
    {
        if (context.Request.Path.Value!.EndsWith("/feed.xml", StringComparison.Ordinal))
        {
            await SendFeedAsync(context, "The town garden", ("Garden paths relaid", "paths", "The garden paths are relaid this week.", "Fri, 06 Jan 2017 11:00:00 GMT"));
            return;
        }
        await SendStoryAsync(context, "Garden paths relaid", Enumerable.Range(1, 5).Select(i =>
            $"Part {i}: the garden paths are relaid with new gravel between the beds, the benches are painted green again, " +
            "and the gate by the pond stays open until the evening bell on every weekday."));
    }

    /// <summary>An RSS feed of the site at the request's folder: each item links to a page in that folder by its slug.</summary>
    private static Task SendFeedAsync(HttpContext context, string channel, params (string Title, string Slug, string Teaser, string Published)[] items)
    {
        var path = context.Request.Path.Value!;
        var folder = $"{context.Request.Scheme}://{context.Request.Host}{path[..(path.LastIndexOf('/') + 1)]}";
        context.Response.ContentType = "application/rss+xml";
        return context.Response.WriteAsync(
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>{channel}</title>" +
            string.Concat(items.Select(i => $"<item><title>{i.Title}</title><link>{folder}{i.Slug}</link><description>{i.Teaser}</description><pubDate>{i.Published}</pubDate></item>")) +
            "</channel></rss>");
    }

    /// <summary>A story's page: its title as the heading, then its paragraphs inside &lt;article&gt;.</summary>
    private static Task SendStoryAsync(HttpContext context, string title, IEnumerable<string> paragraphs)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync($"<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>{string.Concat(paragraphs.Select(p => $"<p>{p}</p>"))}</article></body></html>");
    }

    /// <summary>A site whose feed's items carry one-line teasers: one item's page answers with the story, the other's site is down (503).</summary>
    private static async Task FullArticleSiteAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        if (path.EndsWith("/feed.xml", StringComparison.Ordinal))
        {
            await SendFeedAsync(context, "The reading room",
                ("Reading room reopens", "reopens", "The reading room is open again.", "Fri, 06 Jan 2017 09:00:00 GMT"),
                ("Shorter hours on Fridays", "hours", "The reading room closes early on Fridays.", "Fri, 06 Jan 2017 10:00:00 GMT"));
            return;
        }
        if (path.EndsWith("/reopens", StringComparison.Ordinal))
        {
            // Neutral words only: the dashboard tests sharing this app count countries and actors.
            await SendStoryAsync(context, "Reading room reopens", Enumerable.Range(1, 6).Select(i =>
                $"Paragraph {i}: the reading room has new lamps over the long tables, wider aisles between the shelves and quieter chairs, " +
                "and readers may now stay until the evening bell on every weekday, with the catalogue desk open all morning."));
            return;
        }
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
    }

    private static async Task AddAsync(IPage page, string url, bool waitForRow = true)
    {
        await page.GetByLabel("Feed or site address").FillAsync(url);
        await page.Locator("button[data-feed-add]").ClickAsync();
        if (waitForRow)
        {
            await Expect(page.Locator($"[data-feed-url=\"{url}\"]")).ToBeVisibleAsync();
        }
    }

    private static string SharedFolder()
    {
        if (Environment.GetEnvironmentVariable("DASHBOARD_SHARED") is { Length: > 0 } configured)
        {
            return configured;
        }
        for (var dir = new DirectoryInfo(AppFixture.RepoRoot); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "shared", "data")))
            {
                return Path.Combine(dir.FullName, "shared");
            }
        }
        throw new InvalidOperationException("../shared/data not found beside the repository; set DASHBOARD_SHARED");
    }
}
