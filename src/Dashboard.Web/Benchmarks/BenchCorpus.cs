using System.Globalization;
using System.Text;
using Dashboard.Web.Data;
using Dashboard.Web.Generation;
using Dashboard.Web.Ingestion;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Benchmarks;

/// <summary>Fills a store with generated articles through the real pipeline: queue, parse, extract, store.</summary>
public static class BenchCorpus
{
    /// <summary>An upload in the plain-text format, as a user would drop it in.</summary>
    public static (string FileName, byte[] Content) AsUpload(GeneratedArticle article) =>
        ($"{article.Id}.txt", Encoding.UTF8.GetBytes(
            $"date {article.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\n\n{article.Text}"));

    /// <summary>Uploads queued at once before the queue is drained: several batches, so the ingestor's pipeline fills.</summary>
    public const int Chunk = 16_384;

    /// <summary>
    /// Generates, queues in chunks as a bulk import does, and drains the queue after each chunk; returns the
    /// seconds from the first upload until the last article is stored.
    /// </summary>
    public static async Task<double> IngestAsync(IServiceProvider services, int count, int seed, TextWriter? progress = null)
    {
        var queue = services.GetRequiredService<IngestQueue>();
        var ingestor = services.GetRequiredService<ArticleIngestor>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var chunk = new List<(string, byte[])>(Chunk);
        var done = 0;
        foreach (var article in new CorpusGenerator().Generate(count, seed))
        {
            chunk.Add(AsUpload(article));
            if (chunk.Count == Chunk)
            {
                done += await FlushAsync();
            }
        }
        done += await FlushAsync();
        return watch.Elapsed.TotalSeconds;

        async Task<int> FlushAsync()
        {
            if (chunk.Count == 0)
            {
                return 0;
            }
            await queue.EnqueueManyAsync(chunk);
            var n = chunk.Count;
            chunk.Clear();
            await ingestor.DrainAsync();
            if (progress is not null && (done + n) / 50_000 != done / 50_000)
            {
                progress.WriteLine($"  {done + n:N0} of {count:N0} articles ingested");
            }
            return n;
        }
    }

    /// <summary>
    /// What <c>bench ingest</c> times, laid out as a bulk import runs: the generated uploads are written to a folder
    /// first (generating text is not ingestion, and it would take a core from the pipeline), then the clock runs while
    /// the files are read and queued in chunks (<see cref="ImportChunk"/> files at least) and, at the same time, the ingestor drains
    /// the queue. Queueing and storing overlap as they do in the app, where uploads arrive while the worker stores.
    /// Returns the seconds from the first file read until the last article is stored.
    /// </summary>
    public static async Task<double> ImportGeneratedAsync(IServiceProvider services, int count, int seed, TextWriter? progress = null)
    {
        var queue = services.GetRequiredService<IngestQueue>();
        var ingestor = services.GetRequiredService<ArticleIngestor>();
        var folder = Directory.CreateTempSubdirectory("dashboard-bench-uploads-").FullName;
        try
        {
            var files = new List<string>(count);
            foreach (var article in new CorpusGenerator().Generate(count, seed))
            {
                var (name, content) = AsUpload(article);
                var path = Path.Combine(folder, name);
                await File.WriteAllBytesAsync(path, content);
                files.Add(path);
            }
            progress?.WriteLine($"  {files.Count:N0} files generated; importing ...");

            var cost = ProcessCost.Now();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            using var queued = new SemaphoreSlim(0);
            var producer = Task.Run(async () =>
            {
                try
                {
                    // Files are read while the previous chunk waits for its turn at the store (the ingestor may be
                    // writing a batch for seconds), and all read by then are queued at once: at least ImportChunk files,
                    // at most MaxImportChunkBytes.
                    Task? pending = null;
                    var uploads = new List<(string, byte[])>();
                    long bytes = 0;
                    foreach (var path in files)
                    {
                        // Synchronously, as the import command reads them (an asynchronous read of a small file costs twice the CPU).
                        var content = File.ReadAllBytes(path);
                        uploads.Add((Path.GetFileName(path), content));
                        bytes += content.Length;
                        if (uploads.Count >= ImportChunk && (pending is null || pending.IsCompleted || bytes >= MaxImportChunkBytes))
                        {
                            await Queue();
                        }
                    }
                    await Queue();
                    if (pending is not null)
                    {
                        await pending;
                    }

                    async Task Queue()
                    {
                        if (pending is not null)
                        {
                            await pending;
                        }
                        if (uploads.Count > 0)
                        {
                            var chunk = uploads;
                            uploads = [];
                            bytes = 0;
                            pending = queue.EnqueueManyAsync(chunk).ContinueWith(t =>
                            {
                                queued.Release();
                                t.GetAwaiter().GetResult();
                            }, TaskScheduler.Default);
                        }
                    }
                }
                finally
                {
                    queued.Release();
                }
            });
            var drained = 0;
            while (true)
            {
                await queued.WaitAsync();
                var finished = producer.IsCompleted;
                await ingestor.DrainAsync();
                if (progress is not null && ++drained % 10 == 0)
                {
                    progress.WriteLine($"  {await CountArticlesAsync(services):N0} articles stored");
                }
                if (finished)
                {
                    break;
                }
            }
            await producer;
            var seconds = watch.Elapsed.TotalSeconds;
            // Where the time went, for whoever tunes the pipeline next: the timed stretch only, not the generation before it.
            progress?.WriteLine($"pipeline: {ProcessCost.Now().Since(cost)}");
            return seconds;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The process's CPU time, collections and page faults at one moment, to report what a stretch of a benchmark cost.</summary>
    private readonly record struct ProcessCost(TimeSpan User, TimeSpan Kernel, TimeSpan Paused, int Gen0, int Gen1, int Gen2, long Allocated, long? MinorFaults)
    {
        public static ProcessCost Now()
        {
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            return new(process.UserProcessorTime, process.PrivilegedProcessorTime, GC.GetTotalPauseDuration(),
                GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalAllocatedBytes(), MinorFaultsSoFar());
        }

        public string Since(ProcessCost start) =>
            $"{(User + Kernel - start.User - start.Kernel).TotalSeconds:F1} s of CPU ({(Kernel - start.Kernel).TotalSeconds:F1} s of it in the kernel" +
            (MinorFaults - start.MinorFaults is { } faults ? $", {faults:N0} page faults" : "") + "), " +
            $"{(Allocated - start.Allocated) / (1024.0 * 1024 * 1024):F1} GB allocated, paused {(Paused - start.Paused).TotalSeconds:F1} s by {Gen0 - start.Gen0} collections " +
            $"({Gen1 - start.Gen1} of them gen1 or older, {Gen2 - start.Gen2} gen2)";

        /// <summary>
        /// Minor page faults so far (Linux, <c>/proc/self/stat</c>), null elsewhere: pages the kernel had to map in for the
        /// process, each paid for in kernel time.
        /// </summary>
        private static long? MinorFaultsSoFar()
        {
            try
            {
                var stat = File.ReadAllText("/proc/self/stat");
                // The command name in parentheses may hold spaces; the fields after it are space-separated, minflt the 8th.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return long.Parse(fields[7], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                return null;
            }
        }
    }

    /// <summary>Files queued per transaction by <see cref="ImportGeneratedAsync"/> at least (more when it had to wait its turn).</summary>
    public const int ImportChunk = 1024;

    /// <summary>Bytes of files held in memory while <see cref="ImportGeneratedAsync"/> waits to queue them.</summary>
    public const long MaxImportChunkBytes = 64 * 1024 * 1024;

    /// <summary>
    /// Fills the store until it holds at least <paramref name="articles"/> articles (near-duplicates are linked,
    /// not stored, so it takes a few more uploads than articles). The generated corpus is the same sequence for a
    /// seed whatever its length, so a build that was stopped goes on where it stopped: the uploads already queued
    /// are skipped. Returns the seconds spent.
    /// </summary>
    public static async Task<double> FillAsync(IServiceProvider services, int articles, int seed, TextWriter? progress = null)
    {
        var queue = services.GetRequiredService<IngestQueue>();
        var ingestor = services.GetRequiredService<ArticleIngestor>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // A stopped build may have left uploads queued: store them first.
        await ingestor.DrainAsync();
        int uploaded;
        await using (var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync())
        {
            uploaded = await db.Uploads.CountAsync();
        }
        var stored = await CountArticlesAsync(services);
        var chunk = new List<(string, byte[])>(Chunk);
        using var corpus = new CorpusGenerator().Generate(int.MaxValue, seed).Skip(uploaded).GetEnumerator();
        while (stored < articles && corpus.MoveNext())
        {
            chunk.Add(AsUpload(corpus.Current));
            // The last chunk is cut to what is still missing (plus the share that will turn out to be duplicates).
            if (chunk.Count == Chunk || chunk.Count >= (articles - stored) * 1.04 + 16)
            {
                await queue.EnqueueManyAsync(chunk);
                chunk.Clear();
                await ingestor.DrainAsync();
                var before = stored;
                stored = await CountArticlesAsync(services);
                if (progress is not null && stored / 50_000 != before / 50_000)
                {
                    progress.WriteLine($"  {stored:N0} of {articles:N0} articles stored");
                }
            }
        }
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Stored articles whose counts the charts do not hold yet (see <see cref="DeferredCounts"/>).</summary>
    public static async Task<long> CountUncountedAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        return await DailyCounts.UncountedAsync(db.Database.GetDbConnection(), null, CancellationToken.None);
    }

    public static async Task<int> CountArticlesAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        return await db.Articles.CountAsync();
    }
}
