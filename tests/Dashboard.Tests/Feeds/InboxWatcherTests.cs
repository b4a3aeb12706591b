using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dashboard.Tests.Feeds;

/// <summary>The watched inbox folder: files dropped in are queued, then moved to processed/ or, unreadable, to failed/.</summary>
public sealed class InboxWatcherTests : IAsyncLifetime
{
    private readonly TestStore _store = new();
    private IServiceProvider _services = null!;
    private InboxWatcher _watcher = null!;
    private string _inbox = null!;

    public async Task InitializeAsync()
    {
        _inbox = Path.Combine(_store.Folder, "inbox");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dashboard:ImportSample"] = "false",
            ["Dashboard:InboxFolder"] = _inbox,
            // Above the 8 MB spool threshold, so a large file's way through the spool is tested too.
            ["Dashboard:MaxUploadBytes"] = "12000000",
        }).Build();
        _services = await _store.StartAsync(services => services.AddSingleton<IConfiguration>(configuration));
        // The watcher creates these itself, but on its own thread: the tests watch them from the start.
        Directory.CreateDirectory(Path.Combine(_inbox, InboxWatcher.ProcessedFolder));
        Directory.CreateDirectory(Path.Combine(_inbox, InboxWatcher.FailedFolder));
        _watcher = ActivatorUtilities.CreateInstance<InboxWatcher>(_services);
        await _watcher.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _watcher.StopAsync(CancellationToken.None);
        _watcher.Dispose();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task A_dropped_article_is_queued_stored_and_moved_to_processed()
    {
        var processed = Path.Combine(_inbox, InboxWatcher.ProcessedFolder, "seed.txt");

        await DropAsync("seed.txt", await File.ReadAllBytesAsync(TestPaths.SeedArticle), processed);
        await DrainQueueAsync();

        Assert.False(File.Exists(Path.Combine(_inbox, "seed.txt")));
        await using var db = await DbAsync();
        var upload = await db.Uploads.SingleAsync();
        Assert.Equal("seed.txt", upload.FileName);
        Assert.Equal(UploadStatus.Stored, upload.Status);
        Assert.Equal(1, await db.Articles.CountAsync());
    }

    [Fact]
    public async Task A_junk_file_becomes_a_failed_upload_with_the_queues_reason_and_is_moved()
    {
        var junk = new byte[2048];
        new Random(3).NextBytes(junk);
        junk[5] = 0;

        await DropAsync("junk.bin", junk, Path.Combine(_inbox, InboxWatcher.ProcessedFolder, "junk.bin"));
        await DrainQueueAsync();

        await using var db = await DbAsync();
        var upload = await db.Uploads.SingleAsync();
        Assert.Equal(UploadStatus.Failed, upload.Status);
        Assert.StartsWith("junk.bin: this is a binary file", upload.Reason);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_moved_to_failed_with_its_reason_beside_it()
    {
        var failed = Path.Combine(_inbox, InboxWatcher.FailedFolder, "huge.txt");

        await DropAsync("huge.txt", new byte[12_500_000], failed);

        var reason = await File.ReadAllTextAsync(failed + ".reason.txt");
        Assert.Contains("huge.txt: 12,500,000 bytes is over the upload limit of 12,000,000 bytes", reason);
        await using var db = await DbAsync();
        Assert.Equal(0, await db.Uploads.CountAsync());
    }

    [Fact]
    public async Task A_large_file_goes_through_the_spool_is_stored_and_moved_to_processed()
    {
        var lines = new System.Text.StringBuilder();
        for (var i = 0; lines.Length < 9_000_000; i++)
        {
            lines.Append("{\"title\": \"Bulletin ").Append(i).Append("\", \"date\": \"2024-02-03\", \"text\": \"Bulletin ").Append(i)
                .Append(": the foreign ministers of Chile and Peru met in Lima. ").Append(string.Join(' ', Enumerable.Repeat($"word{i}", 300))).Append("\"}\n");
        }
        var processed = Path.Combine(_inbox, InboxWatcher.ProcessedFolder, "export.jsonl");

        await DropAsync("export.jsonl", System.Text.Encoding.UTF8.GetBytes(lines.ToString()), processed);
        await using (var db = await DbAsync())
        {
            // Queued without its bytes in the table: they wait in the spool.
            Assert.Empty(db.UploadContents);
            Assert.Single(db.Uploads);
        }
        await DrainQueueAsync();

        await using (var db = await DbAsync())
        {
            var upload = await db.Uploads.SingleAsync();
            Assert.Equal(UploadStatus.Stored, upload.Status);
            var stored = await db.Articles.CountAsync();
            Assert.True(stored > 2500, $"{stored} articles");
            Assert.StartsWith($"{stored} articles stored", upload.Reason);
        }
        Assert.Empty(Directory.EnumerateFiles(_services.GetRequiredService<UploadSpool>().Folder, "*.upload"));
    }

    [Fact]
    public async Task A_link_dragged_into_the_inbox_is_fetched_and_a_dead_one_moves_to_failed_with_the_reason()
    {
        var html = TestPages.ChileAndPeru();
        await using var server = await LocalWebServer.StartAsync(context => context.Request.Path == "/gone"
            ? LocalWebServer.SendAsync(context, [], "text/plain", 404)
            : LocalWebServer.SendAsync(context, html, "text/html"));
        var windowsShortcut = $"[InternetShortcut]\r\nURL={server.Url("news/chile-peru")}\r\nIDList=\r\n";
        var deadLocation = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0"><dict><key>URL</key><string>{server.Url("gone")}</string></dict></plist>
            """;

        await DropAsync("Chile and Peru sign a trade deal.url", System.Text.Encoding.UTF8.GetBytes(windowsShortcut),
            Path.Combine(_inbox, InboxWatcher.ProcessedFolder, "Chile and Peru sign a trade deal.url"));
        await DropAsync("Gone.webloc", System.Text.Encoding.UTF8.GetBytes(deadLocation), Path.Combine(_inbox, InboxWatcher.FailedFolder, "Gone.webloc"));
        await DrainQueueAsync();

        await using var db = await DbAsync();
        var article = await db.Articles.SingleAsync();
        Assert.Equal("Chile and Peru sign a trade deal", article.Title);
        Assert.Equal(server.Url("news/chile-peru"), article.Url);
        var reason = await File.ReadAllTextAsync(Path.Combine(_inbox, InboxWatcher.FailedFolder, "Gone.webloc.reason.txt"));
        Assert.Contains($"Gone.webloc: {server.Url("gone")}: the page answered HTTP 404", reason);
    }

    [Fact]
    public async Task A_list_of_links_in_the_inbox_is_queued_for_the_link_fetcher_without_holding_up_the_scan()
    {
        await using var server = await LocalWebServer.StartAsync(context => LocalWebServer.SendAsync(context,
            context.Request.Path == "/news/ghana-togo" ? TestPages.GhanaAndTogo() : TestPages.ChileAndPeru(), "text/html"));
        var list = $"# the week's links\n{server.Url("news/chile-peru")}\n{server.Url("news/ghana-togo")}\n";

        await DropAsync("links.txt", System.Text.Encoding.UTF8.GetBytes(list), Path.Combine(_inbox, InboxWatcher.ProcessedFolder, "links.txt"));

        // Moved once queued: nothing was fetched by the scan.
        Assert.Empty(server.Requests);
        await using (var db = await DbAsync())
        {
            var waiting = await db.Uploads.OrderBy(u => u.Id).ToListAsync();
            Assert.Equal([server.Url("news/chile-peru"), server.Url("news/ghana-togo")], waiting.Select(u => u.Url));
            Assert.All(waiting, u => Assert.Equal(UploadStatus.Fetching, u.Status));
        }
        await _services.GetRequiredService<Dashboard.Web.Feeds.LinkFetcher>().DrainAsync();
        await DrainQueueAsync();

        await using (var db = await DbAsync())
        {
            Assert.Equal(["Chile and Peru sign a trade deal", "Ghana and Togo open a border post"], await db.Articles.OrderBy(a => a.Id).Select(a => a.Title).ToListAsync());
        }
    }

    [Fact]
    public async Task A_name_already_in_processed_gets_a_suffix()
    {
        var processed = Path.Combine(_inbox, InboxWatcher.ProcessedFolder);
        await File.WriteAllTextAsync(Path.Combine(processed, "note.txt"), "an earlier file of the same name");

        await DropAsync("note.txt", File.ReadAllBytes(TestPaths.SeedArticle), Path.Combine(processed, "note (2).txt"));

        Assert.Equal("an earlier file of the same name", await File.ReadAllTextAsync(Path.Combine(processed, "note.txt")));
    }

    [Fact]
    public async Task A_folder_dropped_in_is_read_whole_and_its_files_move_to_the_same_place_under_processed()
    {
        // Another inbox, scanned by hand: two looks in a row take every file whose size held still between them.
        var drop = Path.Combine(_store.Folder, "drop");
        var processed = Path.Combine(drop, InboxWatcher.ProcessedFolder);
        var failed = Path.Combine(drop, InboxWatcher.FailedFolder);
        Directory.CreateDirectory(Path.Combine(drop, "export", "2024-06"));
        Directory.CreateDirectory(Path.Combine(drop, ".sync"));
        Directory.CreateDirectory(processed);
        Directory.CreateDirectory(failed);
        await File.WriteAllBytesAsync(Path.Combine(drop, "export", "2024-06", "seed.txt"), await File.ReadAllBytesAsync(TestPaths.SeedArticle));
        await File.WriteAllTextAsync(Path.Combine(drop, "export", "wire.txt"), "date 2024-05-01\n\nChile and Peru signed a trade deal in Lima.");
        await File.WriteAllBytesAsync(Path.Combine(drop, "export", "huge.txt"), new byte[12_500_000]);
        await File.WriteAllTextAsync(Path.Combine(drop, ".sync", "state.txt"), "a sync tool's own file");
        await File.WriteAllTextAsync(Path.Combine(processed, "earlier.txt"), "date 2024-01-01\n\nTaken long ago.");
        await File.WriteAllTextAsync(Path.Combine(failed, "broken.txt"), "\0 refused long ago");
        var watcher = ActivatorUtilities.CreateInstance<InboxWatcher>(_services);

        Assert.True(await watcher.ScanAsync(drop));
        Assert.False(await watcher.ScanAsync(drop));

        Assert.True(File.Exists(Path.Combine(processed, "export", "2024-06", "seed.txt")));
        Assert.True(File.Exists(Path.Combine(processed, "export", "wire.txt")));
        Assert.Contains("over the upload limit", await File.ReadAllTextAsync(Path.Combine(failed, "export", "huge.txt.reason.txt")));
        Assert.True(File.Exists(Path.Combine(failed, "export", "huge.txt")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(drop, "export"), "*", SearchOption.AllDirectories));
        // Left alone: a hidden folder, and what processed/ and failed/ held before.
        Assert.True(File.Exists(Path.Combine(drop, ".sync", "state.txt")));
        Assert.True(File.Exists(Path.Combine(processed, "earlier.txt")));
        Assert.True(File.Exists(Path.Combine(failed, "broken.txt")));
        await using var db = await DbAsync();
        Assert.Equal(["seed.txt", "wire.txt"], (await db.Uploads.Select(u => u.FileName).ToListAsync()).Order());
    }

    [Fact]
    public void Unset_the_inbox_sits_beside_the_database_and_an_empty_setting_switches_it_off()
    {
        var root = Path.Combine(Path.GetTempPath(), "content-root");
        IConfiguration Settings(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        Assert.Equal(Path.Combine(root, "data", "inbox"), InboxWatcher.ResolveFolder(Settings([]), root));
        Assert.Equal("/srv/news/inbox", InboxWatcher.ResolveFolder(Settings(new() { ["ConnectionStrings:Dashboard"] = "Data Source=/srv/news/dashboard.db" }), root));
        Assert.Equal(Path.Combine(root, "drop"), InboxWatcher.ResolveFolder(Settings(new() { ["Dashboard:InboxFolder"] = "drop" }), root));
        Assert.Null(InboxWatcher.ResolveFolder(Settings(new() { ["Dashboard:InboxFolder"] = "" }), root));
    }

    /// <summary>Writes the file into the inbox and waits until the watcher has moved it to <paramref name="movedTo"/>.</summary>
    private async Task DropAsync(string name, byte[] content, string movedTo)
    {
        var moved = new TaskCompletionSource();
        using var target = new FileSystemWatcher(Path.GetDirectoryName(movedTo)!);
        FileSystemEventHandler arrived = (_, e) =>
        {
            if (e.FullPath == movedTo)
            {
                moved.TrySetResult();
            }
        };
        target.Created += arrived;
        target.Renamed += (_, e) => arrived(null!, e);
        target.EnableRaisingEvents = true;

        await File.WriteAllBytesAsync(Path.Combine(_inbox, name), content);

        if (!File.Exists(movedTo))
        {
            await moved.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private async Task DrainQueueAsync()
    {
        var ingestor = _services.GetRequiredService<ArticleIngestor>();
        await ingestor.DrainAsync();
    }

    private async Task<Dashboard.Web.Data.DashboardDb> DbAsync() =>
        await _services.GetRequiredService<IDbContextFactory<Dashboard.Web.Data.DashboardDb>>().CreateDbContextAsync();
}
