using Dashboard.Web.Feeds;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Feeds;

/// <summary>
/// The link queue: addresses queued at once, their pages fetched in the background from a local server, politely,
/// with failures that may pass tried again later and the others failed with the reason, over a real SQLite file.
/// </summary>
public sealed class LinkFetcherTests : IAsyncLifetime
{
    private FeedTestStore _store = null!;

    public async Task InitializeAsync() => _store = await StartAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static Task<FeedTestStore> StartAsync(string siteGapSeconds = "0") => FeedTestStore.StartAsync(new()
    {
        ["Dashboard:Feeds:TimeoutSeconds"] = "6",
        ["Dashboard:Links:SiteGapSeconds"] = siteGapSeconds,
        ["Dashboard:Links:FirstRetrySeconds"] = "60",
        ["Dashboard:Links:MaxAttempts"] = "3",
    });

    private IngestQueue Queue => _store.Services.GetRequiredService<IngestQueue>();

    private LinkFetcher Fetcher => _store.Services.GetRequiredService<LinkFetcher>();

    private static Task Story(HttpContext context, string path) => path switch
    {
        "/news/chile-peru" => LocalWebServer.SendAsync(context, TestPages.ChileAndPeru(), "text/html"),
        "/news/ghana-togo" => LocalWebServer.SendAsync(context, TestPages.GhanaAndTogo(), "text/html"),
        _ => LocalWebServer.SendAsync(context, "gone"u8.ToArray(), "text/plain", 404),
    };

    /// <summary>A site whose pages answer <paramref name="status"/> until <paramref name="up"/> says they are back.</summary>
    private static Task<LocalWebServer> DownUntilAsync(Func<bool> up, int status) => LocalWebServer.StartAsync(context => up()
        ? Story(context, context.Request.Path)
        : LocalWebServer.SendAsync(context, "gone"u8.ToArray(), "text/plain", status));

    [Fact]
    public async Task Queued_links_wait_as_fetching_then_are_fetched_read_and_stored_with_their_addresses()
    {
        await using var server = await LocalWebServer.StartAsync(context => Story(context, context.Request.Path));
        var queued = await Queue.EnqueueLinksAsync([new Uri(server.Url("news/chile-peru")), new Uri(server.Url("news/ghana-togo")), new Uri(server.Url("gone"))]);

        // Acknowledged before anything is fetched.
        Assert.Empty(server.Requests);
        Assert.All(queued, u => Assert.Equal(UploadStatus.Fetching, u.Status));
        Assert.Equal("127.0.0.1 - chile-peru.html", queued[0].FileName);

        await Fetcher.DrainAsync();
        await _store.DrainQueueAsync();

        await using var db = await _store.DbAsync();
        var uploads = await db.Uploads.OrderBy(u => u.Id).ToListAsync();
        Assert.Equal([UploadStatus.Stored, UploadStatus.Stored, UploadStatus.Failed], uploads.Select(u => u.Status));
        Assert.Equal(server.Url("news/chile-peru"), uploads[0].Url);
        Assert.Equal($"{server.Url("gone")}: the page answered HTTP 404 Not Found", uploads[2].Reason);
        var articles = await db.Articles.OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["Chile and Peru sign a trade deal", "Ghana and Togo open a border post"], articles.Select(a => a.Title));
        Assert.Equal(server.Url("news/chile-peru"), articles[0].Url);
        // The page became the upload's bytes, and they were let go once stored.
        Assert.Empty(await db.UploadContents.ToListAsync());
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_story_list_export_queues_its_links_and_each_page_takes_what_it_lacks_from_its_row()
    {
        // The Ghana page names its outlet and date; the Chile page names neither, so its row's are kept.
        var ghana = System.Text.Encoding.UTF8.GetBytes("<html><head><title>Ghana and Togo open a border post</title>" +
            "<meta property=\"og:site_name\" content=\"Accra Wire\"><meta property=\"article:published_time\" content=\"2024-05-30T08:00:00Z\"></head><body><article>" +
            "<p>Ghana and Togo opened a joint border post at Aflao on Tuesday to speed up trade along the coastal corridor.</p>" +
            "<p>Customs officers of both countries will work side by side, the two trade ministries said.</p></article></body></html>");
        await using var server = await LocalWebServer.StartAsync(context => context.Request.Path == "/news/ghana-togo"
            ? LocalWebServer.SendAsync(context, ghana, "text/html")
            : Story(context, context.Request.Path));
        var export = "stories_id,publish_date,title,url,language,media_name\n"
            + $"1,2024-06-01 10:00:00,Chile and Peru sign a deal,{server.Url("news/chile-peru")},en,Lima Daily\n"
            + $"2,2024-06-02 08:00:00,Ghana and Togo open a post,{server.Url("news/ghana-togo")},en,Ghana Wire\n";

        var upload = await Queue.EnqueueAsync("stories.csv", System.Text.Encoding.UTF8.GetBytes(export));
        await _store.DrainQueueAsync();

        await using (var db = await _store.DbAsync())
        {
            var read = await db.Uploads.SingleAsync(u => u.Id == upload.Id);
            Assert.Equal((UploadStatus.Stored, "2 links without text: 2 queued to fetch their pages"), (read.Status, read.Reason));
            Assert.Equal(2, await db.Uploads.CountAsync(u => u.Status == UploadStatus.Fetching));
            // The export's links are one list, named by the export's own upload.
            Assert.Equal(2, (await Queue.ListProgressAsync(upload.Id)).Waiting);
        }
        Assert.Empty(server.Requests);

        await Fetcher.DrainAsync();
        await _store.DrainQueueAsync();

        await using (var db = await _store.DbAsync())
        {
            var articles = await db.Articles.OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(2, articles.Count);
            Assert.Equal(("Chile and Peru sign a trade deal", new DateOnly(2024, 6, 1), false, "Lima Daily", server.Url("news/chile-peru")),
                (articles[0].Title, articles[0].PublishedDate, articles[0].DateIsFallback, articles[0].Source, articles[0].Url));
            Assert.Equal(("Ghana and Togo open a border post", new DateOnly(2024, 5, 30), "Accra Wire"), (articles[1].Title, articles[1].PublishedDate, articles[1].Source));
        }

        // The same export again: every link is known, nothing is fetched.
        var again = await Queue.EnqueueAsync("stories (2).csv", System.Text.Encoding.UTF8.GetBytes(export));
        await _store.DrainQueueAsync();
        await using (var db = await _store.DbAsync())
        {
            Assert.Equal("2 links without text: all already stored", (await db.Uploads.SingleAsync(u => u.Id == again.Id)).Reason);
            Assert.Equal(0, await db.Uploads.CountAsync(u => u.Status == UploadStatus.Fetching));
        }
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task An_archive_holding_an_export_of_links_queues_the_pages_it_does_not_carry_and_a_story_stored_meanwhile_is_not_fetched()
    {
        await using var server = await LocalWebServer.StartAsync(context => Story(context, context.Request.Path));
        using var zip = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var links = new StreamWriter(archive.CreateEntry("export/stories.csv").Open()))
            {
                links.Write("stories_id,publish_date,title,url,language,media_name\n"
                    + $"1,2024-06-01 10:00:00,Chile and Peru,{server.Url("news/chile-peru")},en,Lima Daily\n"
                    + $"2,2024-06-02 08:00:00,Ghana and Togo,{server.Url("news/ghana-togo")},en,Ghana Wire\n"
                    + $"3,2024-06-03 09:00:00,Kenya and Uganda,{server.Url("news/kenya-uganda")},en,Nairobi Post\n");
            }
            // The same export's articles with their text, for one of the three links.
            using var articles = new StreamWriter(archive.CreateEntry("export/articles.jsonl").Open());
            articles.Write($$"""{"title": "Kenya and Uganda sign a trade pact", "text": "Ministers of Kenya and Uganda signed a trade pact in Nairobi on Monday.", "date": "2024-06-03", "url": "{{server.Url("news/kenya-uganda")}}"}""");
        }

        var upload = await Queue.EnqueueAsync("export.zip", zip.ToArray());
        await _store.DrainQueueAsync();

        await using (var db = await _store.DbAsync())
        {
            Assert.Equal("1 article stored; 3 links without text: 2 queued to fetch their pages, 1 already stored", (await db.Uploads.SingleAsync(u => u.Id == upload.Id)).Reason);
            Assert.Equal([server.Url("news/chile-peru"), server.Url("news/ghana-togo")],
                await db.Uploads.Where(u => u.Status == UploadStatus.Fetching).OrderBy(u => u.Id).Select(u => u.Url).ToListAsync());
        }

        // The Ghana story comes in with its text before its link's turn: the link is its duplicate, never fetched.
        await Queue.EnqueueAsync("ghana.json", System.Text.Encoding.UTF8.GetBytes($$"""{"title": "Ghana and Togo open a border post", "text": "Ghana and Togo opened a joint border post at Aflao on Tuesday.", "url": "{{server.Url("news/ghana-togo?utm_source=wire")}}"}"""));
        await _store.DrainQueueAsync();
        await Fetcher.DrainAsync();
        await _store.DrainQueueAsync();

        Assert.Equal(["/news/chile-peru"], server.Requests.Select(r => r.Path));
        await using (var db = await _store.DbAsync())
        {
            var ghana = await db.Uploads.SingleAsync(u => u.Url == server.Url("news/ghana-togo"));
            Assert.Equal(UploadStatus.Duplicate, ghana.Status);
            Assert.StartsWith($"duplicate of article {ghana.ArticleId} \"Ghana and Togo open a border post\"", ghana.Reason);
            Assert.Equal(3, await db.Articles.CountAsync());
        }
    }

    [Fact]
    public async Task An_address_already_stored_is_a_duplicate_without_a_fetch_and_one_already_waiting_is_not_queued_twice()
    {
        await using var server = await LocalWebServer.StartAsync(context => Story(context, context.Request.Path));
        await Queue.EnqueueLinksAsync([new Uri(server.Url("news/chile-peru"))]);
        await Fetcher.DrainAsync();
        await _store.DrainQueueAsync();
        var fetches = server.Requests.Count;

        var waiting = await Queue.EnqueueLinksAsync([new Uri(server.Url("news/ghana-togo"))]);
        var again = await Queue.EnqueueLinksAsync([new Uri(server.Url("news/chile-peru?utm_source=newsletter")), new Uri(server.Url("news/ghana-togo"))]);

        Assert.Equal(fetches, server.Requests.Count);
        Assert.Equal(UploadStatus.Duplicate, again[0].Status);
        await using var db = await _store.DbAsync();
        var article = await db.Articles.SingleAsync();
        Assert.Equal(article.Id, again[0].ArticleId);
        Assert.StartsWith($"duplicate of article {article.Id} \"Chile and Peru sign a trade deal\"", again[0].Reason);
        Assert.Equal(waiting[0].Id, again[1].Id);
        Assert.Equal(1, await db.Uploads.CountAsync(u => u.Status == UploadStatus.Fetching));
    }

    [Fact]
    public async Task A_failure_that_may_pass_is_tried_again_later_and_one_that_keeps_failing_fails_with_the_number_of_tries()
    {
        var down = 1;
        await using var server = await LocalWebServer.StartAsync(context => context.Request.Path == "/news/chile-peru" && Interlocked.Decrement(ref down) >= 0
            ? LocalWebServer.SendAsync(context, "busy"u8.ToArray(), "text/plain", 503)
            : context.Request.Path == "/always-down"
                ? LocalWebServer.SendAsync(context, "busy"u8.ToArray(), "text/plain", 502)
                : Story(context, context.Request.Path));
        var queued = await Queue.EnqueueLinksAsync([new Uri(server.Url("news/chile-peru")), new Uri(server.Url("always-down"))]);

        await Fetcher.DrainAsync();

        await using (var db = await _store.DbAsync())
        {
            var waiting = await db.Uploads.SingleAsync(u => u.Id == queued[0].Id);
            Assert.Equal(UploadStatus.Fetching, waiting.Status);
            Assert.Equal(1, waiting.FetchAttempts);
            Assert.Equal(_store.Clock.GetUtcNow().UtcDateTime.AddMinutes(1), waiting.NextFetchAt);
            Assert.Equal($"{server.Url("news/chile-peru")}: the page answered HTTP 503 Service Unavailable; trying again at 2026-03-02 09:01 UTC (try 2 of 3)", waiting.Reason);
        }
        // Not due yet: nothing is fetched.
        var before = server.Requests.Count;
        await Fetcher.DrainAsync();
        Assert.Equal(before, server.Requests.Count);

        _store.Clock.Advance(TimeSpan.FromMinutes(1));
        await Fetcher.DrainAsync();
        _store.Clock.Advance(TimeSpan.FromMinutes(4));
        await Fetcher.DrainAsync();
        await _store.DrainQueueAsync();

        await using (var db = await _store.DbAsync())
        {
            var uploads = await db.Uploads.OrderBy(u => u.Id).ToListAsync();
            Assert.Equal(UploadStatus.Stored, uploads[0].Status);
            Assert.Equal(UploadStatus.Failed, uploads[1].Status);
            Assert.Equal($"{server.Url("always-down")}: the page answered HTTP 502 Bad Gateway (after 3 tries)", uploads[1].Reason);
            Assert.Equal(3, uploads[1].FetchAttempts);
        }
        Assert.Equal(3, server.Requests.Count(r => r.Path == "/always-down"));
    }

    [Fact]
    public async Task A_link_fetched_at_once_whose_site_is_down_for_a_moment_is_kept_and_tried_again_later()
    {
        var up = false;
        await using var server = await LocalWebServer.StartAsync(context => up || context.Request.Path == "/gone"
            ? Story(context, context.Request.Path)
            : LocalWebServer.SendAsync(context, "busy"u8.ToArray(), "text/plain", 503));
        var links = _store.Services.GetRequiredService<ArticleLinks>();
        var busy = await Assert.ThrowsAsync<WebFetchException>(() => links.SubmitAsync(new Uri(server.Url("news/chile-peru"))));
        var gone = await Assert.ThrowsAsync<WebFetchException>(() => links.SubmitAsync(new Uri(server.Url("gone"))));

        var later = await Fetcher.RetryLaterAsync(new Uri(server.Url("news/chile-peru")), busy);

        // A 404 will not pass: nothing is kept, the caller says it failed.
        Assert.Null(await Fetcher.RetryLaterAsync(new Uri(server.Url("gone")), gone));
        Assert.NotNull(later);
        Assert.Equal((UploadStatus.Fetching, 1), (later.Status, later.FetchAttempts));
        Assert.Equal($"{server.Url("news/chile-peru")}: the page answered HTTP 503 Service Unavailable; trying again at 2026-03-02 09:01 UTC (try 2 of 3)", later.Reason);
        await Fetcher.DrainAsync();
        Assert.Equal(2, server.Requests.Count);

        up = true;
        _store.Clock.Advance(TimeSpan.FromMinutes(1));
        await Fetcher.DrainAsync();
        await _store.DrainQueueAsync();
        Assert.Equal(UploadStatus.Stored, (await Queue.FindAsync(later.Id))!.Status);
    }

    [Fact]
    public async Task Too_many_requests_is_answered_by_waiting_as_long_as_the_site_asks()
    {
        await using var server = await LocalWebServer.StartAsync(context =>
        {
            context.Response.Headers.RetryAfter = "600";
            return LocalWebServer.SendAsync(context, "slow down"u8.ToArray(), "text/plain", 429);
        });
        var queued = await Queue.EnqueueLinksAsync([new Uri(server.Url("news/chile-peru"))]);

        await Fetcher.DrainAsync();

        await using var db = await _store.DbAsync();
        var waiting = await db.Uploads.SingleAsync(u => u.Id == queued[0].Id);
        Assert.Equal(UploadStatus.Fetching, waiting.Status);
        Assert.Equal(_store.Clock.GetUtcNow().UtcDateTime.AddMinutes(10), waiting.NextFetchAt);
    }

    [Fact]
    public async Task Two_pages_of_one_site_are_fetched_one_after_the_other_with_the_pause_between_while_other_sites_go_on()
    {
        await using var store = await StartAsync(siteGapSeconds: "30");
        await using var server = await LocalWebServer.StartAsync(context => Story(context, context.Request.Path));
        var fetcher = store.Services.GetRequiredService<LinkFetcher>();
        await store.Services.GetRequiredService<IngestQueue>().EnqueueLinksAsync([new Uri(server.Url("news/chile-peru")), new Uri(server.Url("news/ghana-togo"))]);

        var first = await fetcher.FetchDueAsync();
        var second = await fetcher.FetchDueAsync();

        // One link per site a round: the site's second link is not even read while its first is taken.
        Assert.Equal(1, first.Fetched);
        Assert.Equal(0, first.HeldBack);
        // The site rests: the second page waits its pause (30 s on the store's clock, which has not moved).
        Assert.Equal(0, second.Fetched);
        Assert.Equal(1, second.HeldBack);
        Assert.Equal(TimeSpan.FromSeconds(30), second.Wait);
        Assert.Single(server.Requests);

        // The pause is kept in the store: after a restart (or by another fetcher on the store) the site still rests.
        await store.RestartAsync();
        fetcher = store.Services.GetRequiredService<LinkFetcher>();
        var afterRestart = await fetcher.FetchDueAsync();
        Assert.Equal((0, 1, TimeSpan.FromSeconds(30)), (afterRestart.Fetched, afterRestart.HeldBack, afterRestart.Wait));

        store.Clock.Advance(TimeSpan.FromSeconds(30));
        var third = await fetcher.FetchDueAsync();
        Assert.Equal(1, third.Fetched);
        Assert.Equal(2, server.Requests.Count);

        // A day later, the next fetch (from another site) forgets the pauses long over.
        store.Clock.Advance(TimeSpan.FromDays(2));
        await using var elsewhere = await LocalWebServer.StartAsync(context => Story(context, "/news/chile-peru"));
        await store.Services.GetRequiredService<IngestQueue>().EnqueueLinksAsync([new Uri(elsewhere.Url("news/lima"))]);
        await fetcher.FetchDueAsync();
        await using var db = await store.DbAsync();
        Assert.Equal([elsewhere.BaseAddress.Authority], await db.SitePauses.Select(p => p.Site).ToListAsync());
    }

    [Fact]
    public async Task In_the_background_a_slow_site_does_not_hold_up_the_links_of_other_sites()
    {
        var slowAnswered = new TaskCompletionSource();
        await using var slow = await LocalWebServer.StartAsync(async context =>
        {
            await slowAnswered.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await Story(context, "/news/chile-peru");
        });
        await using var quick = await LocalWebServer.StartAsync(context => Story(context, context.Request.Path));
        var fetcher = Fetcher;
        var queued = await Queue.EnqueueLinksAsync([new Uri(slow.Url("news/chile-peru")), new Uri(quick.Url("news/ghana-togo")), new Uri(quick.Url("news/other"))]);
        // The fetcher reports each link it is done with (queued, or failed): the test waits for those reports.
        var reported = new System.Collections.Concurrent.ConcurrentDictionary<long, UploadStatus>();
        var quickDone = new TaskCompletionSource();
        var allDone = new TaskCompletionSource();
        void OnProcessed(UploadProcessed processed)
        {
            reported[processed.UploadId] = processed.Status;
            if (reported.ContainsKey(queued[1].Id) && reported.ContainsKey(queued[2].Id))
            {
                quickDone.TrySetResult();
            }
            if (queued.All(u => reported.ContainsKey(u.Id)))
            {
                allDone.TrySetResult();
            }
        }
        var notifier = _store.Services.GetRequiredService<ArticleNotifier>();
        notifier.UploadProcessed += OnProcessed;

        await fetcher.StartAsync(CancellationToken.None);
        try
        {
            // Both pages of the quick site are done, one after the other, while the slow site's answer is still awaited.
            await quickDone.Task.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(2, quick.Requests.Count);
            Assert.False(slowAnswered.Task.IsCompleted);
            Assert.False(reported.ContainsKey(queued[0].Id));
            slowAnswered.SetResult();
            await allDone.Task.WaitAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            notifier.UploadProcessed -= OnProcessed;
            slowAnswered.TrySetResult();
            await fetcher.StopAsync(CancellationToken.None);
        }
        await using var db = await _store.DbAsync();
        Assert.Equal([UploadStatus.Queued, UploadStatus.Queued, UploadStatus.Failed], await db.Uploads.OrderBy(u => u.Id).Select(u => u.Status).ToListAsync());
    }

    [Fact]
    public async Task Of_two_fetchers_on_one_store_only_one_takes_a_link_and_a_fetch_that_died_is_made_again_after_its_hold()
    {
        var answer = new TaskCompletionSource();
        var asked = new TaskCompletionSource();
        await using var server = await LocalWebServer.StartAsync(async context =>
        {
            asked.TrySetResult();
            await answer.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await Story(context, context.Request.Path);
        });
        var queued = await Queue.EnqueueLinksAsync([new Uri(server.Url("news/chile-peru"))]);
        var first = Fetcher;
        await _store.RestartAsync();
        var second = Fetcher;

        // The first holds the link while its page is on the way; the second, another process on the same store, passes it by.
        var fetching = first.FetchDueAsync();
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var passed = await second.FetchDueAsync();
        answer.SetResult();
        var fetched = await fetching;

        Assert.Equal((1, 0), (fetched.Fetched, passed.Fetched));
        Assert.Single(server.Requests);
        Assert.Equal(UploadStatus.Queued, (await Queue.FindAsync(queued[0].Id))!.Status);

        // A fetch that dies with its process (stopped mid-answer): its link stays held, then is due again once the hold
        // has run out (a minute, with this store's 6 s timeout), and the other fetcher makes it.
        answer = new TaskCompletionSource();
        asked = new TaskCompletionSource();
        var again = (await Queue.EnqueueLinksAsync([new Uri(server.Url("news/ghana-togo"))]))[0];
        using (var stop = new CancellationTokenSource())
        {
            var dying = first.FetchDueAsync(stop.Token);
            await asked.Task.WaitAsync(TimeSpan.FromSeconds(15));
            stop.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dying);
        }
        answer.SetResult();
        Assert.Equal(UploadStatus.Fetching, (await Queue.FindAsync(again.Id))!.Status);
        Assert.Equal(0, (await second.FetchDueAsync()).Fetched);
        _store.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await second.FetchDueAsync()).Fetched);
        Assert.Equal(UploadStatus.Queued, (await Queue.FindAsync(again.Id))!.Status);
    }

    [Fact]
    public async Task A_link_that_failed_is_fetched_again_by_a_retry_and_queued_links_survive_a_restart()
    {
        var up = false;
        await using var server = await DownUntilAsync(() => up, 404);
        var queued = await Queue.EnqueueLinksAsync([new Uri(server.Url("news/chile-peru"))]);
        await Fetcher.DrainAsync();
        up = true;

        var (retried, refusal) = await Queue.RetryAsync(queued[0].Id);
        Assert.Null(refusal);
        Assert.Equal(UploadStatus.Fetching, retried!.Status);

        // Another process over the same file (a restart) finds the link waiting and fetches it.
        await _store.RestartAsync();
        await Fetcher.DrainAsync();
        await _store.DrainQueueAsync();

        await using var db = await _store.DbAsync();
        Assert.Equal(UploadStatus.Stored, (await db.Uploads.SingleAsync()).Status);
        Assert.Equal("Chile and Peru sign a trade deal", (await db.Articles.SingleAsync()).Title);
    }

    [Fact]
    public async Task A_list_of_forty_thousand_addresses_is_read_and_queued_whole_and_not_twice()
    {
        // A Media Cloud export's worth of links from 40 sites, as one list file of under 4 MB.
        var addresses = Enumerable.Range(0, IngestQueue.MaxLinks).Select(i => $"https://outlet{i % 40}.example/news/2024/06/story-{i}").ToList();
        var file = System.Text.Encoding.UTF8.GetBytes("url\n" + string.Join("\n", addresses));
        Assert.True(Dashboard.Web.Ingestion.Parsers.LinkFiles.TryReadList(file, out var list));
        Assert.Equal(40_000, list.Count);

        var queued = await Queue.EnqueueLinksAsync(list);
        var again = await Queue.EnqueueLinksAsync(list);

        Assert.All(queued, u => Assert.Equal(UploadStatus.Fetching, u.Status));
        Assert.Equal(queued.Select(u => u.Id), again.Select(u => u.Id));
        Assert.Equal(40_000, await Queue.CountWaitingLinksAsync());
        await using var db = await _store.DbAsync();
        var last = await db.Uploads.OrderBy(u => u.Id).LastAsync();
        Assert.Equal((addresses[^1], UploadStatus.Fetching, "outlet39.example - story-39999.html"), (last.Url, last.Status, last.FileName));
    }

    [Fact]
    public async Task A_list_shows_how_far_its_links_have_come_and_can_be_stopped_alone()
    {
        await using var server = await LocalWebServer.StartAsync(context => Story(context, context.Request.Path));
        var (first, firstList) = await Queue.EnqueueLinkListAsync([new Uri(server.Url("news/chile-peru")), new Uri(server.Url("news/gone")), new Uri(server.Url("other/1"))]);
        var (second, secondList) = await Queue.EnqueueLinkListAsync([new Uri(server.Url("news/ghana-togo")), new Uri(server.Url("other/2"))]);

        // A list is named by its first link; an address already waiting in the first list stays that list's.
        Assert.Equal(first[0].Id, firstList);
        Assert.Equal(second[0].Id, secondList);
        Assert.All(first, u => Assert.Equal(firstList, u.ListId));
        Assert.Equal((0, 3), ((await Queue.ListProgressAsync(firstList!.Value)).Stored, (await Queue.ListProgressAsync(firstList.Value)).Waiting));
        var (again, none) = await Queue.EnqueueLinkListAsync([new Uri(server.Url("other/1"))]);
        Assert.Null(none);
        Assert.Equal(firstList, again[0].ListId);

        // One round per site: the first list's Chile page is fetched and stored; its 404 fails.
        await Fetcher.FetchDueAsync();
        await Fetcher.FetchDueAsync();
        await _store.DrainQueueAsync();
        var progress = await Queue.ListProgressAsync(firstList.Value);
        Assert.Equal((1, 1, 1), (progress.Stored, progress.Failed, progress.Waiting));
        Assert.Equal("1 stored · 1 failed · 1 waiting", progress.ToString());

        // Stopping the second list forgets its waiting links only.
        var cancelled = await Queue.CancelWaitingLinksAsync(listId: secondList);
        Assert.Equal(2, cancelled);
        Assert.Equal(0, (await Queue.ListProgressAsync(secondList!.Value)).Total);
        Assert.Equal(1, (await Queue.ListProgressAsync(firstList.Value)).Waiting);
    }

    [Fact]
    public async Task A_long_list_from_one_site_does_not_hold_up_a_link_to_another_site_queued_after_it()
    {
        await using var busy = await LocalWebServer.StartAsync(context => Story(context, "/news/chile-peru"));
        await using var other = await LocalWebServer.StartAsync(context => Story(context, context.Request.Path));
        await Queue.EnqueueLinkListAsync(Enumerable.Range(0, 6000).Select(i => new Uri(busy.Url($"news/{i}"))).ToList());
        var late = await Queue.EnqueueLinksAsync([new Uri(other.Url("news/ghana-togo"))]);

        var round = await Fetcher.FetchDueAsync();

        // Each site's earliest link is taken in the first round, however many of the other site's wait before it.
        Assert.Equal(2, round.Fetched);
        Assert.Equal(["/news/ghana-togo"], other.Requests.Select(r => r.Path));
        Assert.Single(busy.Requests);
        await using var db = await _store.DbAsync();
        Assert.Equal(UploadStatus.Queued, (await db.Uploads.SingleAsync(u => u.Id == late[0].Id)).Status);
        Assert.Equal(other.BaseAddress.Authority, (await db.Uploads.SingleAsync(u => u.Id == late[0].Id)).Site);
    }

    [Fact]
    public async Task Waiting_links_can_be_forgotten_and_pages_already_fetched_go_on()
    {
        await using var server = await LocalWebServer.StartAsync(context => Story(context, context.Request.Path));
        var queued = await Queue.EnqueueLinksAsync([new Uri(server.Url("news/chile-peru")), new Uri(server.Url("news/ghana-togo")), new Uri(server.Url("news/other"))]);
        // A feed item's page waits too: its feed would not offer the item again, so it is not the user's to forget.
        var feedItem = await Queue.EnqueueLinksAsync([new Uri(server.Url("news/feed-item"))], hints: [new LinkHints("Feed item", null, null, "Wire", null, null, Summary: "Kenya and Uganda met.")], feedId: 7);
        await Fetcher.FetchDueAsync();
        Assert.Equal(2, await Queue.CountWaitingLinksAsync());

        var cancelled = await Queue.CancelWaitingLinksAsync();
        await Fetcher.DrainAsync();
        await _store.DrainQueueAsync();

        Assert.Equal(2, cancelled);
        Assert.Equal(0, await Queue.CountWaitingLinksAsync());
        Assert.Equal(2, server.Requests.Count);
        await using var db = await _store.DbAsync();
        var left = await db.Uploads.OrderBy(u => u.Id).ToListAsync();
        Assert.Equal([(queued[0].Id, UploadStatus.Stored), (feedItem[0].Id, UploadStatus.Stored)], left.Select(u => (u.Id, u.Status)));
        // Its page answered 404: the item was stored as its feed gave it.
        Assert.Equal("Kenya and Uganda met.", (await db.Articles.SingleAsync(a => a.Title == "Feed item")).Text);
        Assert.Equal(0, await Queue.CancelWaitingLinksAsync());
    }

    [Fact]
    public async Task Retrying_every_failed_upload_fetches_failed_links_again()
    {
        var up = false;
        await using var server = await DownUntilAsync(() => up, 410);
        await Queue.EnqueueLinksAsync([new Uri(server.Url("news/chile-peru")), new Uri(server.Url("news/ghana-togo"))]);
        await Fetcher.DrainAsync();
        up = true;

        var retry = await Queue.RetryAllFailedAsync();
        await Fetcher.DrainAsync();
        await _store.DrainQueueAsync();

        Assert.Equal(2, retry.Requeued.Count);
        Assert.Equal(0, retry.WithoutFile);
        await using var db = await _store.DbAsync();
        Assert.All(await db.Uploads.ToListAsync(), u => Assert.Equal(UploadStatus.Stored, u.Status));
    }
}
