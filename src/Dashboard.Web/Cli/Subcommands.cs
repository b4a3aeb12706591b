using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.Extensions.Logging.Console;

namespace Dashboard.Web.Cli;

/// <summary>
/// The subcommands of the one executable. They build the same services as the web app (same database
/// setting, same pipeline) but no web server, and they log to standard error so standard output stays
/// machine-readable.
/// </summary>
public static class Subcommands
{
    private static readonly string[] Commands = ["import", "extract", "parse", "generate", "bench", "evaluate", "reextract", "help", "--help"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args)
    {
        switch (args[0])
        {
            case "extract":
                return await ExtractCommand.RunAsync(Console.In, Console.Out, Console.Error);
            case "parse":
                return ParseCommand.Run(args[1..], Console.Out, Console.Error);
            case "reextract":
                return await ReextractAsync();
            case "bench":
                return await BenchCommand.RunAsync(args[1..], Console.Out, Console.Error);
            case "generate":
                return GenerateCommand.Run(args[1..], Console.Out, Console.Error);
            case "evaluate":
                return EvaluateCommand.Run(args[1..], Console.Out, Console.Error);
            case "import":
                return await ImportAsync(args[1..]);
            default:
                Console.Out.WriteLine("""
                    usage: Dashboard.Web [command]
                      (no command)       start the dashboard web app
                      import FILES...    ingest files into the configured database
                      parse FILES...     print the articles each file would yield, as JSON Lines
                      extract            read articles as JSON Lines on stdin, write their mentions
                      reextract          run extraction again over every stored article
                      generate --count N --seed S   write N synthetic articles as JSON Lines
                      bench ingest|queries --articles N [--json]   throughput and query latency
                      bench extract [--json]                         extraction speed against a tokenise-only baseline
                      bench archive --mb N [--json]                  peak memory while ingesting an N MB archive
                    """);
                return 0;
        }
    }

    private static async Task<int> ImportAsync(string[] files)
    {
        var options = files.Where(f => f.StartsWith("--", StringComparison.Ordinal)).ToArray();
        files = files.Where(f => !f.StartsWith("--", StringComparison.Ordinal)).ToArray();
        if (files.Length == 0)
        {
            await Console.Error.WriteLineAsync("usage: import FILES...  (no files given)");
            return 2;
        }
        using var host = BuildHost(options);
        var initializer = host.Services.GetRequiredService<DatabaseInitializer>();
        await initializer.MigrateAsync();
        var queue = host.Services.GetRequiredService<IngestQueue>();
        var ingestor = host.Services.GetRequiredService<ArticleIngestor>();

        // Files are queued in chunks (one transaction each) and the queue drained in batches, as the web app
        // does: fast for thousands of files, and a kill leaves every queued file for the next run or the app. The
        // next chunk is read and queued while the previous ones are stored; results are printed in file order.
        var counts = new Dictionary<UploadStatus, int>();
        var chunk = new List<(string File, byte[] Content)>();
        long chunkBytes = 0;
        Task? draining = null;
        var waiting = new List<(string File, Upload Upload)>();
        var listedLinks = 0;
        foreach (var file in files)
        {
            // Read from where the caller meant (see CommandPaths), reported by the name the caller gave.
            var path = CommandPaths.Resolve(file);
            if (!File.Exists(path))
            {
                await FlushAsync();
                await FinishAsync();
                Report(file, UploadStatus.Failed, "no such file");
                continue;
            }
            if (new FileInfo(path).Length > UploadSpool.InlineLimit)
            {
                // A large archive is spooled and read in parts, never held in memory whole.
                await FlushAsync();
                await FinishAsync();
                Upload spooled;
                try
                {
                    await using var stream = File.OpenRead(path);
                    spooled = await queue.EnqueueStreamAsync(file, stream, null, UploadLimits.MaxUploadBytes(host.Services.GetRequiredService<IConfiguration>()));
                }
                catch (UploadTooLargeException ex)
                {
                    Report(file, UploadStatus.Failed, ex.Message);
                    continue;
                }
                await ingestor.DrainAsync();
                var result = (await queue.FindAsync(spooled.Id))!;
                Report(file, result.Status, result.Status == UploadStatus.Stored ? $"{result.Reason} (first: article {result.ArticleId})" : result.Reason);
                continue;
            }
            // Read synchronously: for small files the asynchronous read costs twice the CPU (100,000 files of 3 KB: 1.8 s
            // against 0.8 s), taken from the parsing and the writer that run beside the import.
            var content = File.ReadAllBytes(path);
            if (Ingestion.Parsers.LinkFiles.TryRead(content, out var link))
            {
                // A link file (.url, .webloc): the page it points to is fetched and stored, as the inbox does.
                await FlushAsync();
                await FinishAsync();
                try
                {
                    var fetched = await host.Services.GetRequiredService<Feeds.ArticleLinks>().SubmitAsync(link);
                    await ingestor.DrainAsync();
                    var result = (await queue.FindAsync(fetched.Id))!;
                    Report(file, result.Status, result.Status == UploadStatus.Stored ? $"{link}: article {result.ArticleId}" : result.Reason);
                }
                catch (Feeds.WebFetchException ex)
                {
                    // A site down for a moment: the link is kept and the dashboard tries it again when it runs.
                    var kept = await host.Services.GetRequiredService<Feeds.LinkFetcher>().RetryLaterAsync(link, ex);
                    Report(file, kept is null ? UploadStatus.Failed : UploadStatus.Fetching,
                        kept is null ? ex.Message : $"{kept.Reason} (the dashboard tries again when it runs)");
                }
                continue;
            }
            if (Ingestion.Parsers.LinkFiles.TryReadList(content, out var list))
            {
                // A list of links: each page is fetched (one site at a time, with a pause between two requests to
                // the same site) and stored; each address is reported on its own line.
                await FlushAsync();
                await FinishAsync();
                if (list.Count > IngestQueue.MaxLinks)
                {
                    Report(file, UploadStatus.Failed, $"a list of {list.Count:N0} web addresses, more than the {IngestQueue.MaxLinks:N0} taken at once: split it");
                    continue;
                }
                listedLinks += list.Count;
                var (queued, _) = await queue.EnqueueLinkListAsync(list);
                await host.Services.GetRequiredService<Feeds.LinkFetcher>().DrainAsync();
                await ingestor.DrainAsync();
                var results = await queue.FindManyAsync(queued.Select(u => u.Id).ToList());
                foreach (var (url, upload) in list.Zip(queued))
                {
                    var result = results[upload.Id];
                    Report($"{file}: {url}", result.Status, result.Status switch
                    {
                        UploadStatus.Stored => $"article {result.ArticleId}",
                        UploadStatus.Fetching => $"{result.Reason} (the dashboard tries again when it runs)",
                        _ => result.Reason,
                    });
                }
                continue;
            }
            chunk.Add((file, content));
            chunkBytes += content.Length;
            if (chunk.Count == 8 * ArticleIngestor.MaxBatch || chunkBytes > 64 * 1024 * 1024)
            {
                await FlushAsync();
            }
        }
        await FlushAsync();
        await FinishAsync();
        Console.Out.WriteLine($"{files.Length} files{(listedLinks > 0 ? $" ({listedLinks} links in lists)" : "")}: {counts.GetValueOrDefault(UploadStatus.Stored)} stored, {counts.GetValueOrDefault(UploadStatus.Duplicate)} duplicate, {counts.GetValueOrDefault(UploadStatus.Failed)} failed"
            + (counts.GetValueOrDefault(UploadStatus.Fetching) is > 0 and var later ? $", {later} link{(later == 1 ? "" : "s")} to fetch again later" : ""));
        return counts.GetValueOrDefault(UploadStatus.Failed) > 0 ? 1 : 0;

        // Queues the chunk (while the drain started for the previous chunks goes on), then waits for that drain,
        // reports the files it stored and starts one for what is queued now.
        async Task FlushAsync()
        {
            if (chunk.Count == 0)
            {
                return;
            }
            var uploads = await queue.EnqueueManyAsync(chunk.Select(c => (c.File, c.Content)).ToList());
            var previous = waiting.Count;
            waiting.AddRange(chunk.Select((c, i) => (c.File, uploads[i])));
            chunk.Clear();
            chunkBytes = 0;
            if (draining is not null)
            {
                await draining;
                await ReportAsync(previous);
            }
            draining = ingestor.DrainAsync();
        }

        // Waits until everything queued is stored and reports it.
        async Task FinishAsync()
        {
            if (draining is not null)
            {
                await draining;
                draining = null;
            }
            await ingestor.DrainAsync();
            await ReportAsync(waiting.Count);
        }

        // Reports the first n waiting files (stored by the drains awaited so far) in the order they were given.
        async Task ReportAsync(int n)
        {
            var results = await queue.FindManyAsync(waiting.Take(n).Select(w => w.Upload.Id).ToList());
            foreach (var (file, upload) in waiting.Take(n))
            {
                var result = results[upload.Id];
                var detail = result.Status switch
                {
                    UploadStatus.Stored => result.Reason is null ? $"article {result.ArticleId}" : $"{result.Reason} (first: article {result.ArticleId})",
                    _ => result.Reason,
                };
                Report(file, result.Status, detail);
            }
            waiting.RemoveRange(0, n);
        }

        void Report(string file, UploadStatus status, string? detail)
        {
            counts[status] = counts.GetValueOrDefault(status) + 1;
            Console.Out.WriteLine($"{status.ToString().ToLowerInvariant(),-10} {file}: {detail}");
        }
    }

    /// <summary>Runs extraction again over every stored article (after editing the rule files or adding aliases).</summary>
    private static async Task<int> ReextractAsync()
    {
        using var host = BuildHost([]);
        await host.Services.GetRequiredService<DatabaseInitializer>().MigrateAsync();
        var reextraction = host.Services.GetRequiredService<Curation.Reextraction>();
        await reextraction.RunAsync(CancellationToken.None);
        Console.Out.WriteLine($"re-extracted {reextraction.Status.Done} articles");
        return 0;
    }

    /// <summary>A host with the core services only, logging warnings to standard error.</summary>
    public static IHost BuildHost(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = DashboardServices.ReadSettingsOnce(args) });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddDashboardCore();
        return builder.Build();
    }
}
