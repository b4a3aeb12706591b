using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Dashboard.Web.Generation;
using Dashboard.Web.Ingestion;
using Microsoft.Data.Sqlite;

namespace Dashboard.Web.Benchmarks;

/// <summary>
/// <c>bench archive --mb N [--format zip|tar.gz]</c>: writes an archive of N MB of generated articles (JSON Lines
/// entries): a ZIP stored uncompressed, so the file is N MB on disk and N MB of text, or a gzipped tar archive of the
/// same N MB of text (smaller on disk, unpacked as it is read), queues it as a user's upload would be (spooled),
/// drains the queue, and samples the process's resident memory throughout. The figure is the peak during
/// ingestion against the resident memory before the upload (the same process, with the extractor loaded).
/// </summary>
public static class ArchiveBenchmark
{
    public sealed record Result(string Format, long ArchiveBytes, int Entries, int Articles, double Seconds, double BaselineMb, double PeakMb, string Machine);

    /// <summary>Articles per entry: the archive stays well under the 10,000-entry limit at a gigabyte.</summary>
    private const int ArticlesPerEntry = 400;

    public static async Task<Result> RunAsync(int megabytes, int seed, TextWriter progress, bool tarGz = false)
    {
        var folder = Directory.CreateTempSubdirectory("dashboard-bench-archive-").FullName;
        try
        {
            var archiveName = tarGz ? "archive.tar.gz" : "archive.zip";
            var archivePath = Path.Combine(folder, archiveName);
            var (entries, written) = tarGz ? WriteTarGz(archivePath, megabytes * 1024L * 1024L, seed) : Write(archivePath, megabytes * 1024L * 1024L, seed);
            var size = new FileInfo(archivePath).Length;
            progress.WriteLine($"archive: {size / 1048576.0:N0} MB, {entries:N0} entries, {written:N0} articles");

            using var host = await BenchHost.StartAsync(Path.Combine(folder, "archive.db"));
            var queue = host.Services.GetRequiredService<IngestQueue>();
            var ingestor = host.Services.GetRequiredService<ArticleIngestor>();
            // Warm: the extractor's gazetteers and the store are loaded before the baseline is read.
            await queue.EnqueueAsync("warm-up.txt", "date 2024-06-01 Iran and Algeria met in Tehran."u8.ToArray());
            await ingestor.DrainAsync();
            GC.Collect();
            var baseline = Resident();

            double peak = baseline;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, Resident());
                    await Task.Delay(50);
                }
            });
            var phases = IngestTimings.Snapshot();
            var watch = Stopwatch.StartNew();
            await using (var stream = File.OpenRead(archivePath))
            {
                await queue.EnqueueStreamAsync(archiveName, stream, null, long.MaxValue);
            }
            var last = 0;
            var reporter = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(30));
                    var done = await BenchCorpus.CountArticlesAsync(host.Services);
                    if (done != last)
                    {
                        var heap = GC.GetGCMemoryInfo();
                        progress.WriteLine($"  {done:N0} articles stored, resident {Resident():N0} MB (peak {peak:N0} MB; managed heap {heap.HeapSizeBytes / (1024 * 1024):N0} MB, {heap.TotalCommittedBytes / (1024 * 1024):N0} MB committed)");
                        last = done;
                    }
                }
            });
            await ingestor.DrainAsync();
            var seconds = watch.Elapsed.TotalSeconds;
            sampling.Cancel();
            await sampler;
            peak = Math.Max(peak, Resident());
            var stored = await BenchCorpus.CountArticlesAsync(host.Services) - 1;
            // The archive's counts are held from chunk to chunk: the timed import must include writing them all.
            if (await BenchCorpus.CountUncountedAsync(host.Services) is > 0 and var uncounted)
            {
                throw new InvalidOperationException($"the import ended with {uncounted:N0} articles not counted in the charts");
            }
            progress.WriteLine($"phases: {IngestTimings.Summary(phases)}");
            return new Result(tarGz ? "tar.gz" : "zip", size, entries, stored, Math.Round(seconds, 1), Math.Round(baseline, 1), Math.Round(peak, 1), BenchHost.Machine);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Resident memory now, in MB (VmRSS: what the operating system has given the process).</summary>
    private static double Resident()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / (1024.0 * 1024.0);
    }

    private static (int Entries, int Articles) Write(string path, long targetBytes, int seed)
    {
        using var file = File.Create(path);
        using var archive = new ZipArchive(file, ZipArchiveMode.Create);
        var entries = 0;
        var articles = 0;
        // Lazy and deterministic for the seed: as many articles as the size needs, never all in memory.
        using var items = new CorpusGenerator().Generate(int.MaxValue, seed).GetEnumerator();
        while (file.Length < targetBytes && entries < Ingestion.Parsers.Archives.MaxEntries)
        {
            using (var writer = new StreamWriter(archive.CreateEntry($"export/part-{entries:D5}.jsonl", CompressionLevel.NoCompression).Open()))
            {
                for (var i = 0; i < ArticlesPerEntry && items.MoveNext(); i++)
                {
                    var a = items.Current;
                    writer.WriteLine(JsonSerializer.Serialize(new { title = a.Title, text = a.Text, date = a.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), url = a.Url, source = a.Source }));
                    articles++;
                }
            }
            entries++;
        }
        return (entries, articles);
    }

    /// <summary>The same entries as <see cref="Write"/>, as a gzipped tar archive: <paramref name="targetBytes"/> of text before compression.</summary>
    private static (int Entries, int Articles) WriteTarGz(string path, long targetBytes, int seed)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new System.Formats.Tar.TarWriter(gzip, System.Formats.Tar.TarEntryFormat.Gnu);
        var entries = 0;
        var articles = 0;
        long text = 0;
        using var items = new CorpusGenerator().Generate(int.MaxValue, seed).GetEnumerator();
        while (text < targetBytes && entries < Ingestion.Parsers.Archives.MaxEntries)
        {
            // A tar entry states its size before its data: one entry (about a megabyte) is built in memory first.
            var content = new MemoryStream();
            using (var writer = new StreamWriter(content, leaveOpen: true))
            {
                for (var i = 0; i < ArticlesPerEntry && items.MoveNext(); i++)
                {
                    var a = items.Current;
                    writer.WriteLine(JsonSerializer.Serialize(new { title = a.Title, text = a.Text, date = a.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), url = a.Url, source = a.Source }));
                    articles++;
                }
            }
            text += content.Length;
            content.Position = 0;
            tar.WriteEntry(new System.Formats.Tar.GnuTarEntry(System.Formats.Tar.TarEntryType.RegularFile, $"export/part-{entries:D5}.jsonl") { DataStream = content });
            entries++;
        }
        return (entries, articles);
    }

    public static void Print(Result result, TextWriter output, bool json)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                format = result.Format,
                archive_mb = Math.Round(result.ArchiveBytes / 1048576.0, 1),
                entries = result.Entries,
                articles = result.Articles,
                seconds = result.Seconds,
                baseline_memory_mb = result.BaselineMb,
                peak_memory_mb = result.PeakMb,
                machine = result.Machine,
            }));
            return;
        }
        output.WriteLine($"machine: {result.Machine}");
        output.WriteLine("| format | archive MB | entries | articles stored | seconds | articles/s | resident MB before | peak resident MB while ingesting |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        output.WriteLine($"| {result.Format} | {result.ArchiveBytes / 1048576.0:N0} | {result.Entries:N0} | {result.Articles:N0} | {result.Seconds:N0} | {result.Articles / result.Seconds:N0} | {result.BaselineMb:N0} | {result.PeakMb:N0} |");
    }
}
