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
