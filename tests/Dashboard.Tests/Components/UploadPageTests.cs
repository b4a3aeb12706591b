using System.Globalization;
using Bunit;
using Dashboard.Web.Components.Pages;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Components;

/// <summary>Each uploaded file gets a row that follows it through the queue to its final status.</summary>
public sealed class UploadPageTests : DashboardTestContext
{
    [Fact]
    public async Task A_file_is_queued_then_shows_the_status_the_ingestion_service_reports()
    {
        var cut = Render<UploadPage>();

        cut.FindComponent<InputFile>().UploadFiles(
            InputFileContent.CreateFromText("Tehran, 1 June 2024. Iran and Algeria discussed Gaza.", "first.txt"),
            InputFileContent.CreateFromText("Not an article at all", "second.txt"));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("queued", cut.Find("[data-upload-file='first.txt']").GetAttribute("data-status"));
            Assert.Equal("queued", cut.Find("[data-upload-file='second.txt']").GetAttribute("data-status"));
        });
        var first = long.Parse(cut.Find("[data-upload-file='first.txt']").GetAttribute("data-upload-id")!);
        var second = long.Parse(cut.Find("[data-upload-file='second.txt']").GetAttribute("data-upload-id")!);
        var queued = await Services.GetRequiredService<IngestQueue>().FindAsync(first);
        Assert.Equal(UploadStatus.Queued, queued?.Status);

        var notifier = Services.GetRequiredService<ArticleNotifier>();
        notifier.Publish(new UploadProcessed(first, UploadStatus.Stored, null, 17));
        notifier.Publish(new UploadProcessed(second, UploadStatus.Failed, "second.txt: no article found", null));

        cut.WaitForAssertion(() =>
        {
            var stored = cut.Find("[data-upload-file='first.txt']");
            Assert.Equal("stored", stored.GetAttribute("data-status"));
            Assert.Equal("/articles/17", stored.QuerySelector("a[data-article-link]")?.GetAttribute("href"));
            var failed = cut.Find("[data-upload-file='second.txt']");
            Assert.Equal("failed", failed.GetAttribute("data-status"));
            Assert.Contains("second.txt: no article found", failed.TextContent);
        });

        // News of an earlier step arriving late (a link's "queued", sent from another thread) never takes back an outcome.
        notifier.Publish(new UploadProcessed(first, UploadStatus.Queued, null, null));
        notifier.Publish(new UploadProcessed(second, UploadStatus.Fetching, "trying again at 10:00", null));
        notifier.Publish(new UploadProcessed(first, UploadStatus.Duplicate, "duplicate of article 3", 3));
        cut.WaitForAssertion(() => Assert.Equal("duplicate", cut.Find("[data-upload-file='first.txt']").GetAttribute("data-status")));
        Assert.Equal("failed", cut.Find("[data-upload-file='second.txt']").GetAttribute("data-status"));
    }

    [Fact]
    public async Task A_link_is_fetched_into_a_row_that_follows_the_queue_and_a_bad_address_is_refused_in_place()
    {
        var html = Feeds.TestPages.ChileAndPeru();
        var back = false;
        await using var server = await Feeds.LocalWebServer.StartAsync(context => context.Request.Path == "/gone" && !back
            ? Feeds.LocalWebServer.SendAsync(context, [], "text/plain", 404)
            : context.Request.Path == "/busy"
                ? Feeds.LocalWebServer.SendAsync(context, [], "text/plain", 503)
                : Feeds.LocalWebServer.SendAsync(context, context.Request.Path == "/gone" ? Feeds.TestPages.ChileAndPeru("Arica") : html, "text/html"));
        var cut = Render<UploadPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-interactive=true]")));
        // Found and used on the renderer's thread: the rows re-render while earlier links are fetched.
        var input = () => cut.FindComponents<MudBlazor.MudTextField<string>>()[0].Find("input");

        await cut.InvokeAsync(() => input().Input("chile-peru.html"));
        await cut.InvokeAsync(() => cut.Find("button[data-action=add-link]").Click());
        cut.WaitForAssertion(() => Assert.Contains("is not a web address", cut.Find("[data-link-error]").GetAttribute("data-link-error")));
        Assert.Empty(cut.FindAll("[data-upload-file]"));

        // A link file chosen like any file (.url from a Windows desktop) is a link too.
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText($"[InternetShortcut]\r\nURL={server.Url("news/chile-peru-again")}\r\n", "Chile and Peru.url"));
        cut.WaitForAssertion(() => Assert.Equal("queued", cut.Find("[data-upload-file='Chile and Peru.url']").GetAttribute("data-status")));

        await cut.InvokeAsync(() => input().Input(server.Url("news/chile-peru")));
        await cut.InvokeAsync(() => cut.Find("button[data-action=add-link]").Click());
        await cut.InvokeAsync(() => input().Input(server.Url("gone")));
        await cut.InvokeAsync(() => cut.Find("button[data-action=add-link]").Click());

        cut.WaitForAssertion(() =>
        {
            var row = cut.Find($"[data-upload-file='{server.Url("news/chile-peru")}']");
            Assert.Equal("queued", row.GetAttribute("data-status"));
            Assert.Contains("web page", row.TextContent);
            var gone = cut.Find($"[data-upload-file='{server.Url("gone")}']");
            Assert.Equal("failed", gone.GetAttribute("data-status"));
            Assert.Contains("answered HTTP 404", gone.TextContent);
        });

        // The page is back: fetched again from its row, the row follows the queue like the others.
        back = true;
        await cut.InvokeAsync(() => cut.Find($"[data-upload-file='{server.Url("gone")}'] button[data-action=fetch-again]").Click());
        cut.WaitForAssertion(() =>
        {
            var row = cut.Find($"[data-upload-file='{server.Url("gone")}']");
            Assert.Equal("queued", row.GetAttribute("data-status"));
            Assert.DoesNotContain("answered HTTP 404", row.TextContent);
            Assert.Empty(row.QuerySelectorAll("button[data-action=fetch-again]"));
        });
        Assert.Empty(cut.FindAll("[data-link-error]"));

        // A site down for a moment: the link is kept, waits for its page in the background, and says when it is tried again.
        await cut.InvokeAsync(() => input().Input(server.Url("busy")));
        await cut.InvokeAsync(() => cut.Find("button[data-action=add-link]").Click());
        cut.WaitForAssertion(() =>
        {
            var row = cut.Find($"[data-upload-file='{server.Url("busy")}']");
            Assert.Equal("fetching", row.GetAttribute("data-status"));
            Assert.Contains("answered HTTP 503 Service Unavailable; trying again at", row.TextContent);
            Assert.NotNull(row.GetAttribute("data-upload-id"));
        });

        var id = long.Parse(cut.Find($"[data-upload-file='{server.Url("news/chile-peru")}']").GetAttribute("data-upload-id")!);
        Services.GetRequiredService<ArticleNotifier>().Publish(new UploadProcessed(id, UploadStatus.Stored, null, 5));
        cut.WaitForAssertion(() => Assert.Equal("stored", cut.Find($"[data-upload-file='{server.Url("news/chile-peru")}']").GetAttribute("data-status")));
    }

    [Fact]
    public async Task An_address_sent_by_the_bookmarklet_is_fetched_when_the_page_opens_and_leaves_the_address_bar()
    {
        var html = System.Text.Encoding.UTF8.GetBytes("<html><head><title>Kenya hosts talks on Sudan</title></head><body><article>" +
            "<p>Kenya hosted talks on Sudan in Nairobi on Monday, with envoys of both sides and of the African Union.</p>" +
            "<p>The talks will go on next week, the Kenyan foreign ministry said in a statement.</p></article></body></html>");
        await using var server = await Feeds.LocalWebServer.StartAsync(context => Feeds.LocalWebServer.SendAsync(context, html, "text/html"));
        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        navigation.NavigateTo("/upload?url=" + Uri.EscapeDataString(server.Url("africa/kenya-sudan")));

        var cut = Render<UploadPage>();

        cut.WaitForAssertion(() => Assert.Equal("queued", cut.Find($"[data-upload-file='{server.Url("africa/kenya-sudan")}']").GetAttribute("data-status")));
        Assert.EndsWith("/upload", navigation.Uri);
        Assert.Equal($"javascript:void(location.href='{navigation.BaseUri}upload?url='+encodeURIComponent(location.href))", cut.Find("a[data-bookmarklet]").GetAttribute("href"));
    }

    [Fact]
    public async Task Links_dropped_on_the_drop_zone_are_fetched_each_in_its_own_row()
    {
        var html = Feeds.TestPages.GhanaAndTogo();
        await using var server = await Feeds.LocalWebServer.StartAsync(context => Feeds.LocalWebServer.SendAsync(context, html, "text/html"));
        var module = JSInterop.SetupModule("./js/linkdrop.js");

        var cut = Render<UploadPage>();

        // The page asks its script to watch the drop zone, and the script calls back with each dropped link.
        cut.WaitForAssertion(() => module.VerifyInvoke("watch"));
        await cut.InvokeAsync(() => cut.Instance.OnLinkDroppedAsync(server.Url("west-africa/border")));
        await cut.InvokeAsync(() => cut.Instance.OnLinkDroppedAsync("mailto:desk@example.org"));
        cut.WaitForAssertion(() =>
        {
            Assert.Equal("queued", cut.Find($"[data-upload-file='{server.Url("west-africa/border")}']").GetAttribute("data-status"));
            Assert.Contains("is not a web address", cut.Find("[data-link-error]").GetAttribute("data-link-error"));
        });
    }

    [Fact]
    public async Task Several_addresses_pasted_at_once_are_fetched_each_in_its_own_row()
    {
        await using var server = await Feeds.LocalWebServer.StartAsync(context => Feeds.LocalWebServer.SendAsync(context,
            Feeds.TestPages.GhanaAndTogo(context.Request.Path.Value!.Trim('/')), "text/html"));
        var cut = Render<UploadPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-interactive=true]")));

        // A single-line field drops the line breaks of a pasted list: the addresses arrive run together.
        await cut.InvokeAsync(() => cut.FindComponents<MudBlazor.MudTextField<string>>()[0].Find("input").Input(server.Url("one") + server.Url("two") + " " + server.Url("three")));
        await cut.InvokeAsync(() => cut.Find("button[data-action=add-link]").Click());

        cut.WaitForAssertion(() =>
        {
            foreach (var path in new[] { "one", "two", "three" })
            {
                Assert.Equal("queued", cut.Find($"[data-upload-file='{server.Url(path)}']").GetAttribute("data-status"));
            }
        });
        Assert.Empty(cut.FindAll("[data-link-error]"));
    }

    [Fact]
    public async Task A_list_of_links_is_queued_for_the_background_and_each_address_follows_in_the_recent_uploads()
    {
        await using var server = await Feeds.LocalWebServer.StartAsync(context => Feeds.LocalWebServer.SendAsync(context,
            Feeds.TestPages.GhanaAndTogo(context.Request.Path.Value!.Trim('/')), "text/html"));
        var cut = Render<UploadPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-interactive=true]")));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText($"{server.Url("aflao")}\n{server.Url("lome")}\n", "links.txt"));

        cut.WaitForAssertion(() =>
        {
            var row = cut.Find("[data-upload-file='links.txt']");
            Assert.Equal("listed", row.GetAttribute("data-status"));
            Assert.Contains("links queued", row.TextContent);
            Assert.Contains("2 web addresses queued: each page is fetched in the background, one site at a time", row.TextContent);
            Assert.Equal(["fetching", "fetching"], cut.FindAll("[data-recent-upload]").Select(r => r.GetAttribute("data-status")));
            Assert.Contains("2 links are waiting for their pages", cut.Find("[data-links-waiting]").TextContent);
        });
        Assert.Empty(server.Requests);

        // The fetcher (a background service in the app) fetches the pages; the page hears of each and lists it as queued.
        await Services.GetRequiredService<Dashboard.Web.Feeds.LinkFetcher>().DrainAsync();
        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["queued", "queued"], cut.FindAll("[data-recent-upload]").Select(r => r.GetAttribute("data-status")));
            Assert.Empty(cut.FindAll("[data-links-waiting]"));
            // The list's row follows its links: fetched, they wait in the ingest queue (stored once the worker reads them).
            var progress = cut.Find("[data-upload-file='links.txt'] [data-list-progress]");
            Assert.Equal("2 waiting", progress.TextContent.Trim());
            Assert.Empty(progress.QuerySelectorAll("button[data-action=cancel-list]"));
        }, TimeSpan.FromSeconds(10));
        Assert.Equal(2, server.Requests.Count);

        // More addresses pasted than are fetched while the page waits: queued the same way, in one row.
        var many = string.Join(" ", Enumerable.Range(1, 60).Select(i => server.Url($"story-{i}")));
        await cut.InvokeAsync(() => cut.FindComponents<MudBlazor.MudTextField<string>>()[0].Find("input").Input(many));
        await cut.InvokeAsync(() => cut.Find("button[data-action=add-link]").Click());
        cut.WaitForAssertion(() =>
        {
            var row = cut.Find("[data-upload-file='60 pasted addresses']");
            Assert.Equal("listed", row.GetAttribute("data-status"));
            Assert.Contains("60 web addresses queued", row.TextContent);
            Assert.Equal("60", cut.Find("[data-links-waiting]").GetAttribute("data-links-waiting"));
        });
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(60, await Services.GetRequiredService<IngestQueue>().CountAsync(UploadStatus.Fetching));

        // A second long paste; then the first one, sent by mistake, is stopped alone from its row.
        var more = string.Join(" ", Enumerable.Range(1, 55).Select(i => server.Url($"other-{i}")));
        await cut.InvokeAsync(() => cut.FindComponents<MudBlazor.MudTextField<string>>()[0].Find("input").Input(more));
        await cut.InvokeAsync(() => cut.Find("button[data-action=add-link]").Click());
        cut.WaitForAssertion(() => Assert.Equal("115", cut.Find("[data-links-waiting]").GetAttribute("data-links-waiting")));
        await cut.InvokeAsync(() => cut.Find("[data-upload-file='60 pasted addresses'] button[data-action=cancel-list]").Click());
        cut.WaitForAssertion(() =>
        {
            var row = cut.Find("[data-upload-file='60 pasted addresses']");
            Assert.Contains("60 waiting links of this list forgotten", row.TextContent);
            Assert.Empty(row.QuerySelectorAll("[data-list-progress]"));
            Assert.Equal("55", cut.Find("[data-links-waiting]").GetAttribute("data-links-waiting"));
            Assert.Equal("55", cut.Find("[data-upload-file='55 pasted addresses'] [data-list-progress]").GetAttribute("data-waiting"));
        });

        // One click forgets every list's waiting links, and nothing of them is fetched.
        await cut.InvokeAsync(() => cut.Find("[data-links-waiting] button[data-action=cancel-links]").Click());
        cut.WaitForAssertion(() =>
        {
            Assert.Empty(cut.FindAll("[data-links-waiting]"));
            Assert.Equal("55 waiting links forgotten; their pages will not be fetched.", cut.Find("[data-retry-message]").TextContent.Trim());
            Assert.Empty(cut.FindAll("[data-upload-file='55 pasted addresses'] [data-list-progress]"));
        });
        Assert.Equal(0, await Services.GetRequiredService<IngestQueue>().CountAsync(UploadStatus.Fetching));
        await Services.GetRequiredService<Dashboard.Web.Feeds.LinkFetcher>().DrainAsync();
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public void A_file_over_the_configured_limit_fails_without_being_queued()
    {
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Dashboard:MaxUploadBytes"] = "10" })
            .Build());
        var cut = Render<UploadPage>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("This text is longer than ten bytes.", "big.txt"));

        cut.WaitForAssertion(() =>
        {
            var row = cut.Find("[data-upload-file='big.txt']");
            Assert.Equal("failed", row.GetAttribute("data-status"));
            Assert.Contains("over the upload limit", row.TextContent);
        });
    }

    [Fact]
    public async Task A_failed_upload_is_listed_and_can_be_tried_again()
    {
        var queue = Services.GetRequiredService<IngestQueue>();
        var upload = await AddFailedUploadAsync("broken.txt", "date 2024-02-30 Text."u8.ToArray(), "broken.txt: the date header '2024-02-30' is not a real date");

        var cut = Render<UploadPage>();
        cut.WaitForAssertion(() => Assert.Contains("is not a real date", cut.Find($"[data-failed-upload='{upload.Id}']").TextContent));
        cut.Find($"[data-failed-upload='{upload.Id}'] [data-action=retry]").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("queued", cut.Find($"[data-upload-id='{upload.Id}']").GetAttribute("data-status"));
            Assert.Empty(cut.FindAll($"[data-failed-upload='{upload.Id}']"));
        });
        Assert.Equal(UploadStatus.Queued, (await queue.FindAsync(upload.Id))!.Status);
    }

    [Fact]
    public async Task Every_failed_upload_is_tried_again_with_one_click_not_only_the_ones_listed()
    {
        var queue = Services.GetRequiredService<IngestQueue>();
        // Five requests of five files, whose bytes go into the queue table (a failed file of a spool segment gets there when it fails).
        var uploads = new List<Upload>();
        foreach (var chunk in Enumerable.Range(1, 25).Chunk(5))
        {
            uploads.AddRange(await queue.EnqueueManyAsync(chunk.Select(i => ($"broken-{i}.txt", "date 2024-02-30 Text."u8.ToArray())).ToList()));
        }
        await using (var db = await Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Dashboard.Web.Data.DashboardDb>>().CreateDbContextAsync())
        {
            foreach (var row in await db.Uploads.ToListAsync())
            {
                row.Status = UploadStatus.Failed;
                row.Reason = $"{row.FileName}: the date header '2024-02-30' is not a real date";
            }
            await db.SaveChangesAsync();
            // The oldest one, not listed, has lost its file.
            db.UploadContents.Remove(await db.UploadContents.FindAsync(uploads[0].Id) ?? throw new InvalidOperationException());
            await db.SaveChangesAsync();
        }

        var cut = Render<UploadPage>();
        cut.WaitForAssertion(() =>
        {
            Assert.Equal(20, cut.FindAll("[data-failed-upload]").Count);
            Assert.Contains("the latest 20 of 25", cut.Find("[data-failed-count]").TextContent);
            Assert.Contains("Try all again", cut.Find("[data-action=retry-all]").TextContent);
        });
        await cut.ClickAsync("[data-action=retry-all]");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("24 failed uploads queued again; 1 no longer has its file and must be uploaded again.", cut.Find("[data-retry-message]").TextContent);
            // The listed ones follow the queue in this visit's rows; the one without its file is the only one left failed.
            Assert.Equal(20, cut.FindAll("[data-upload-id][data-status=queued]").Count);
            Assert.Equal(uploads[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(cut.FindAll("[data-failed-upload]")).GetAttribute("data-failed-upload"));
        });
        Assert.Equal(24, await queue.CountAsync(UploadStatus.Queued));
    }

    [Fact]
    public async Task Uploads_from_every_way_in_are_listed_as_they_come_and_follow_the_queue_live()
    {
        var queue = Services.GetRequiredService<IngestQueue>();
        var earlier = await queue.EnqueueAsync("from-the-api.json", "{\"title\": \"t\", \"text\": \"Chile and Peru met.\"}"u8.ToArray());
        var waiting = await queue.EnqueueAsync("from-the-inbox.txt", "date 2024-05-01 Kenya and Uganda met in Nairobi."u8.ToArray());
        var dbFactory = Services.GetRequiredService<IDbContextFactory<Dashboard.Web.Data.DashboardDb>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var stored = await db.Uploads.SingleAsync(u => u.Id == earlier.Id);
            stored.Status = UploadStatus.Duplicate;
            stored.Reason = "duplicate of article 7 (stored 2024-05-01)";
            stored.ArticleId = 7;
            await db.SaveChangesAsync();
        }

        var cut = Render<UploadPage>();
        cut.WaitForAssertion(() =>
        {
            var rows = cut.FindAll("[data-recent-upload]");
            Assert.Equal([waiting.Id.ToString(CultureInfo.InvariantCulture), earlier.Id.ToString(CultureInfo.InvariantCulture)], rows.Select(r => r.GetAttribute("data-recent-upload")));
            Assert.Equal(["queued", "duplicate"], rows.Select(r => r.GetAttribute("data-status")));
            Assert.Contains("duplicate of article 7", rows[1].TextContent);
            Assert.Equal("/articles/7", rows[1].QuerySelector("a[data-article-link]")?.GetAttribute("href"));
        });

        // The worker stores the inbox's file: the list follows without a reload.
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var done = await db.Uploads.SingleAsync(u => u.Id == waiting.Id);
            done.Status = UploadStatus.Stored;
            done.ArticleId = 8;
            await db.SaveChangesAsync();
        }
        Services.GetRequiredService<ArticleNotifier>().Publish(new UploadProcessed(waiting.Id, UploadStatus.Stored, null, 8));

        cut.WaitForAssertion(() =>
        {
            var row = cut.Find($"[data-recent-upload='{waiting.Id}']");
            Assert.Equal("stored", row.GetAttribute("data-status"));
            Assert.Equal("/articles/8", row.QuerySelector("a[data-article-link]")?.GetAttribute("href"));
        });
    }

    [Fact]
    public void Choosing_files_again_gets_a_fresh_file_input()
    {
        var cut = Render<UploadPage>();
        var before = cut.FindComponent<InputFile>().Instance;

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("Iran and Algeria discussed Gaza.", "again.txt"));

        cut.WaitForAssertion(() => Assert.NotSame(before, cut.FindComponent<InputFile>().Instance));
    }
}
