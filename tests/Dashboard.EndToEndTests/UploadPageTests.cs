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
/// The Upload page reports what became of each file: stored, duplicate or failed with a reason, and tries failed ones
/// again; a web address typed in is fetched (from a page server on loopback) and stored like a file.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class UploadPageTests(AppFixture app)
{
    [Fact]
    public async Task Uploading_the_same_file_again_shows_duplicate()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var path = app.WriteArticle("2023-02-10", $"Duplicate check {tag}: ministers of Kenya and Uganda met in Nairobi. They talked about trade.");
        var name = Path.GetFileName(path);
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(path);

        // Reopened, as a reader coming back later would: the browser fires no change event when the same
        // file is picked again in the same input.
        await page.UploadAsync(path);

        await Expect(page.UploadRows(name)).ToHaveAttributeAsync("data-status", "duplicate");
        await Expect(page.UploadRows(name)).ToContainTextAsync("duplicate of article");
        // The first upload, from the earlier visit, is among the recent uploads, stored, with its article.
        var earlier = page.Locator("[data-recent-upload]", new() { HasText = name });
        await Expect(earlier).ToHaveAttributeAsync("data-status", "stored");
        await Expect(earlier.Locator("a[data-article-link]")).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "upload-recent.png");
    }

    [Fact]
    public async Task A_web_address_is_fetched_stored_and_opens_as_an_article_with_its_link()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        // A story naming no country or actor: the dashboard tests sharing this app count exactly what they did before.
        var html = "<!doctype html><html><head><title>Link check " + tag + ": the reading room reopens</title>" +
            "<meta property=\"og:site_name\" content=\"The Town Crier\"></head><body><nav>Home | Archive | Subscribe</nav><article>" +
            $"<h1>Link check {tag}: the reading room reopens</h1><p>The reading room of the old library reopens on Monday after a year of repairs to its roof and windows.</p>" +
            "<p>Opening hours stay the same, and the newspaper archive can be consulted every weekday morning.</p></article></body></html>";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        await using var server = builder.Build();
        server.Run(context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            // Another page for the bookmarklet's visit: its own story, so it is not a duplicate of the first.
            return context.Response.WriteAsync(context.Request.Path.Value!.Contains("/market")
                ? html.Replace("the reading room reopens", "the market moves to the square").Replace("The reading room of the old library reopens", "The weekly market moves to the square")
                : html);
        });
        await server.StartAsync();
        var address = new Uri(new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), $"town/reading-room-{tag}").AbsoluteUri;
        var page = await app.NewPageAsync();
        await page.OpenAsync("upload");

        await page.GetByLabel("Or the web address of an article").FillAsync(address);
        await page.Locator("button[data-action=add-link]").ClickAsync();

        var row = page.UploadRows(address);
        await Expect(row).ToHaveAttributeAsync("data-status", "stored");
        await AppFixture.ScreenshotAsync(page, "upload-link.png");
        await row.Locator("a[data-article-link]").ClickAsync();
        await Expect(page.Locator("#article-title")).ToContainTextAsync($"Link check {tag}: the reading room reopens");
        await Expect(page.Locator("[data-field=url]")).ToHaveAttributeAsync("href", address);
        await Expect(page.Locator("[data-field=source]")).ToHaveTextAsync("The Town Crier");
        await Expect(page.GetByText("Subscribe")).ToHaveCountAsync(0);

        // The bookmarklet, clicked on a page someone reads: its script runs in that page and sends its address here.
        await page.OpenAsync("upload");
        var bookmarklet = await page.Locator("a[data-bookmarklet]").GetAttributeAsync("href");
        var market = address.Replace("/reading-room-", "/market-");
        await page.GotoAsync(market);
        await page.EvaluateAsync(bookmarklet!["javascript:".Length..]);
        await Expect(page.UploadRows(market)).ToHaveAttributeAsync("data-status", "stored");
        Assert.EndsWith("/upload", page.Url);

        // A link dragged from another tab onto the drop zone: the page stays, and the article is fetched.
        var dropped = address.Replace("/reading-room-", "/dropped-reading-room-");
        await page.Locator("[data-drop-zone] input[type=file]").EvaluateAsync(
            "(input, link) => { const data = new DataTransfer(); data.setData('text/uri-list', link); " +
            "input.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true })); }", dropped);
        await Expect(page.UploadRows(dropped)).ToHaveAttributeAsync("data-status", "duplicate");
        Assert.EndsWith("/upload", page.Url);
    }

    [Fact]
    public async Task A_list_of_links_is_fetched_in_the_background_and_a_dead_link_is_fetched_again_from_the_failed_list()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var back = false;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        await using var server = builder.Build();
        server.Run(context =>
        {
            // Stories naming no country or actor: the dashboard tests sharing this app count exactly what they did before.
            var path = context.Request.Path.Value!;
            if (path.EndsWith("/later", StringComparison.Ordinal) && !back)
            {
                context.Response.StatusCode = 404;
                return Task.CompletedTask;
            }
            var subject = path.EndsWith("/later", StringComparison.Ordinal) ? "the ferry timetable changes" : "the night buses return";
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync($"<!doctype html><html><head><title>List check {tag}: {subject}</title></head><body><article>" +
                $"<h1>List check {tag}: {subject}</h1><p>From next month {subject}, the transport office said on Monday after a long consultation.</p>" +
                "<p>Passengers can read the details at every station and on the notice boards of the town hall.</p></article></body></html>");
        });
        await server.StartAsync();
        var root = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var now = new Uri(root, $"town/{tag}/buses").AbsoluteUri;
        var later = new Uri(root, $"town/{tag}/later").AbsoluteUri;
        var name = $"links-{tag}.txt";
        var page = await app.NewPageAsync();

        await page.UploadAsync(app.WriteFile(name, $"# reading list\n{now}\n{later}\n"));

        var row = page.UploadRows(name);
        await Expect(row).ToHaveAttributeAsync("data-status", "listed");
        await Expect(row).ToContainTextAsync("2 web addresses queued");
        // Each address follows in the recent uploads; the one whose page is had is stored with its article.
        var stored = page.Locator("[data-recent-upload]", new() { HasText = $"{tag}/buses" });
        await Expect(stored).ToHaveAttributeAsync("data-status", "stored");
        await Expect(stored.Locator("a[data-article-link]")).ToBeVisibleAsync();
        // The list's row follows its links as they come in.
        await Expect(row.Locator("[data-list-progress]")).ToContainTextAsync("1 stored");
        await AppFixture.ScreenshotAsync(page, "upload-links.png");

        // The dead one failed with the reason (a 404 is not tried again by itself), and the failed list shows it without
        // a reload; once the page is there, one click fetches it.
        var failed = page.Locator("[data-failed-upload]", new() { HasText = $"{tag}/later" });
        await Expect(failed).ToContainTextAsync("the page answered HTTP 404");
        await Expect(row.Locator("[data-list-progress]")).ToHaveTextAsync("1 stored · 1 failed");
        back = true;
        await failed.Locator("[data-action=retry]").ClickAsync();
        var retried = page.Locator("[data-upload-file]", new() { HasText = $"{tag}/later" });
        await Expect(retried).ToHaveAttributeAsync("data-status", "stored");
        await retried.Locator("a[data-article-link]").ClickAsync();
        await Expect(page.Locator("#article-title")).ToContainTextAsync($"List check {tag}: the ferry timetable changes");
        await Expect(page.Locator("[data-field=url]")).ToHaveAttributeAsync("href", later);
    }

    [Fact]
    public async Task On_a_phone_the_upload_page_fits_its_width()
    {
        var page = await app.NewPageAsync(new ViewportSize { Width = 375, Height = 812 });

        await page.OpenAsync("upload");
        await Expect(page.Locator("button[data-action=add-link]")).ToBeVisibleAsync();

        // Nothing wider than the phone: the formats, the drop zone and the link field wrap instead.
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than the phone");
        await AppFixture.ScreenshotAsync(page, "upload-phone.png");
    }

    [Fact]
    public async Task A_binary_file_fails_with_a_reason_naming_the_file()
    {
        var name = $"junk-{Guid.NewGuid():N}.bin";
        var junk = new byte[4096];
        new Random(7).NextBytes(junk);
        junk[10] = 0;
        var page = await app.NewPageAsync();

        await page.UploadAsync(app.WriteFile(name, junk));

        var row = page.UploadRows(name);
        await Expect(row).ToHaveAttributeAsync("data-status", "failed");
        // The reason comes from the parser, which starts every message with the file name.
        await Expect(row).ToContainTextAsync($"{name}: this is a binary file");

        // Coming back later, the failed upload is listed, and one click tries every failed upload again.
        await page.OpenAsync("upload");
        var listed = page.Locator("[data-failed-upload]", new() { HasText = name });
        await Expect(listed).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "upload-failed.png");
        await page.Locator("[data-action=retry-all]").ClickAsync();

        await Expect(page.Locator("[data-retry-message]")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ failed uploads? queued again"));
        // Still junk, so it went through the queue and failed again, in this visit's rows.
        await Expect(page.UploadRows(name)).ToHaveAttributeAsync("data-status", "failed");
        await Expect(page.UploadRows(name)).ToContainTextAsync($"{name}: this is a binary file");
    }
}
