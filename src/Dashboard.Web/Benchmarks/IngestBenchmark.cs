using System.Diagnostics;
using System.Text.Json;
using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Microsoft.Data.Sqlite;

namespace Dashboard.Web.Benchmarks;

/// <summary>
/// <c>bench ingest --articles N</c>: N generated articles through the whole pipeline (queue, parse, extract,
/// store, aggregates), then every row the pipeline stored (articles with their full-text index, mentions,
/// entities, aliases, the daily and monthly counts) inserted into an empty store with the leanest raw SQLite
/// code, in the same run; the ratio of the two is the figure that travels between machines.
/// </summary>
public static class IngestBenchmark
{
    /// <summary>The result, in the shape of <c>--json</c>.</summary>
    public sealed record Result(int Articles, double PipelineArticlesPerS, double RawArticlesPerS, double Ratio, double PeakMemoryMb, string Machine);

    /// <summary>Articles imported into a throwaway store before the timed run (two full batches and a part): enough for the runtime to optimise every step's code.</summary>
    public const int WarmUpArticles = 20_000;

    /// <summary>
    /// Starts the process's peak resident memory over (Linux: <c>/proc/self/clear_refs</c>), so the reported peak is
    /// the timed import's, not the warm-up's. Elsewhere the peak stays the process's whole life, which can only overstate it.
    /// </summary>
    private static void ResetPeakMemory()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
        }
    }

    public static async Task<Result> RunAsync(int count, int seed, TextWriter progress)
    {
        var folder = Directory.CreateTempSubdirectory("dashboard-bench-ingest-").FullName;
        try
        {
            // Warm-up, untimed, as BenchmarkDotNet does: a fresh process runs the pipeline's code unoptimised (tier 0)
            // for its first seconds, while the raw insert below reuses the statement code the pipeline warmed. A
            // running server has optimised these paths after its first import, so both sides are measured warm; the
            // warm-up's own rate, from a cold start, is printed beside the result.
            var warmUp = Math.Min(count, WarmUpArticles);
            using (var host = await BenchHost.StartAsync(Path.Combine(folder, "warm-up.db")))
            {
                var seconds = await BenchCorpus.ImportGeneratedAsync(host.Services, warmUp, seed + 1);
                progress.WriteLine($"warm-up: {warmUp:N0} other articles into another store in {seconds:F1} s ({warmUp / seconds:N0} articles/s from a cold start), untimed");
            }
            ResetPeakMemory();

            var pipelineDb = Path.Combine(folder, "pipeline.db");
            double pipelineSeconds;
            int stored;
            using (var host = await BenchHost.StartAsync(pipelineDb))
            {
                progress.WriteLine($"pipeline: ingesting {count:N0} generated articles ...");
                var phases = IngestTimings.Snapshot();
                pipelineSeconds = await BenchCorpus.ImportGeneratedAsync(host.Services, count, seed, progress);
                stored = await BenchCorpus.CountArticlesAsync(host.Services);
                // The timed import includes writing every count it held: a count left out would flatter the pipeline.
                if (await BenchCorpus.CountUncountedAsync(host.Services) is > 0 and var uncounted)
                {
                    throw new InvalidOperationException($"the import ended with {uncounted:N0} articles not counted in the charts");
                }
                progress.WriteLine($"pipeline phases: {IngestTimings.Summary(phases)}");
            }
            // Read before the raw phase loads its rows, so it measures the pipeline alone.
            var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);

            var rawDb = Path.Combine(folder, "raw.db");
            using (var host = await BenchHost.StartAsync(rawDb))
            {
            }
            var rows = ReadRows(pipelineDb);
            progress.WriteLine($"raw: inserting the same {rows.Count("Articles"):N0} articles, {rows.Count("Mentions"):N0} mentions and {rows.Tables.Sum(t => t.Rows.Count):N0} rows in all ...");
            var rawSeconds = InsertRaw(rawDb, rows, out var tableSeconds);
            progress.WriteLine($"raw phases: {string.Join(", ", tableSeconds.Select(t => $"{t.Table} {t.Seconds:F1} s"))}");

            // Both rates are per generated article (near-duplicates included), so they compare like with like.
            var pipelineRate = count / pipelineSeconds;
            var rawRate = count / rawSeconds;
            progress.WriteLine($"{stored:N0} distinct articles stored of {count:N0} generated");
            return new Result(count, Math.Round(pipelineRate, 1), Math.Round(rawRate, 1), Math.Round(pipelineRate / rawRate, 3), Math.Round(peakMb, 1), BenchHost.Machine);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    public static void Print(Result result, TextWriter output, bool json)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                articles = result.Articles,
                pipeline_articles_per_s = result.PipelineArticlesPerS,
                raw_articles_per_s = result.RawArticlesPerS,
                ratio = result.Ratio,
                peak_memory_mb = result.PeakMemoryMb,
                machine = result.Machine,
            }));
            return;
        }
        output.WriteLine($"machine: {result.Machine}");
        output.WriteLine($"| articles | pipeline articles/s | raw insert articles/s | ratio | peak memory MB |");
        output.WriteLine($"|---:|---:|---:|---:|---:|");
        output.WriteLine($"| {result.Articles:N0} | {result.PipelineArticlesPerS:N0} | {result.RawArticlesPerS:N0} | {result.Ratio:F2} | {result.PeakMemoryMb:N0} |");
    }

    /// <summary>Every row the pipeline left in the store, table by table: articles, mentions, entities, aliases and the aggregates.</summary>
    private sealed record Table(string Name, string Columns, List<object?[]> Rows);

    private sealed record Rows(List<Table> Tables)
    {
        public int Count(string table) => Tables.FirstOrDefault(t => t.Name == table)?.Rows.Count ?? 0;
    }

    /// <summary>
    /// The queue (the pipeline's input), feeds, bookkeeping (EF's, the co-mention index's edit counter and the count
    /// catch-ups, which the migrations seed in both stores, and the list of uncounted articles, empty once the import has
    /// ended) and the full-text index's own tables (the raw insert indexes each article as it inserts it, as the
    /// pipeline's writer does) are not copied.
    /// </summary>
    private static bool IsStoredOutput(string table) =>
        table is not ("Uploads" or "UploadContents" or "SpoolSegments" or "Feeds" or "EntityMerges" or "MentionEdits" or "UncountedArticles" or "CountCatchUps" or "sqlite_sequence")
        && !table.StartsWith("__EF", StringComparison.Ordinal)
        && !table.StartsWith("ArticleSearch", StringComparison.Ordinal)
        && !table.StartsWith("sqlite_", StringComparison.Ordinal);

    private static Rows ReadRows(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        connection.Open();
        var names = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }
        // Referenced tables first, so the copy would also pass with foreign keys enforced.
        string[] first = ["Entities", "EntityAliases", "Articles", "Mentions"];
        var order = first.Where(names.Contains).Concat(names.Where(n => !first.Contains(n)).Where(IsStoredOutput));
        return new Rows(order.Select(name => Read(connection, name)).ToList());
    }

    private static Table Read(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"";
        using var reader = command.ExecuteReader();
        var columns = string.Join(", ", Enumerable.Range(0, reader.FieldCount).Select(i => $"\"{reader.GetName(i)}\""));
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }
        return new Table(table, columns, rows);
    }

    /// <summary>
    /// One transaction, one prepared statement per table, values bound by position (<see cref="SqliteStatement"/>,
    /// the same path the pipeline's writer uses) with the writer's page cache and, as the writer's bulk batches, no
    /// foreign-key checks: nothing but the inserts. (Until stop 18 the raw insert checked both parents of every mention,
    /// since the bundled SQLite turns the checks on by default: 13.1 s for the mentions of 100,000 articles, 7.0 s without.)
    /// </summary>
    private static double InsertRaw(string database, Rows rows, out List<(string Table, double Seconds)> tableSeconds)
    {
        tableSeconds = [];
        var watch = Stopwatch.StartNew();
        using var connection = new SqliteConnection($"Data Source={database}");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-{SqliteSetup.BulkWriteCacheKib};";
            pragma.ExecuteNonQuery();
        }
        using var transaction = connection.BeginTransaction();
        foreach (var table in rows.Tables)
        {
            var started = watch.Elapsed.TotalSeconds;
            Insert(connection, table);
            tableSeconds.Add((table.Name, watch.Elapsed.TotalSeconds - started));
        }
        var committing = watch.Elapsed.TotalSeconds;
        transaction.Commit();
        tableSeconds.Add(("commit", watch.Elapsed.TotalSeconds - committing));
        return watch.Elapsed.TotalSeconds;
    }

    private static void Insert(SqliteConnection connection, Table table)
    {
        var columns = table.Columns.Split(", ");
        using var insert = new SqliteStatement(connection,
            $"INSERT INTO \"{table.Name}\" ({table.Columns}) VALUES ({string.Join(", ", Enumerable.Range(1, columns.Length).Select(i => "?" + i))})");
        foreach (var row in table.Rows)
        {
            for (var i = 0; i < columns.Length; i++)
            {
                insert.BindValue(i + 1, row[i]);
            }
            insert.Run();
        }
        if (table.Name == "Articles" && table.Rows.Count > 0)
        {
            // Indexed for search by one statement once all are in, as the pipeline's writer does each batch.
            var id = Array.IndexOf(columns, "\"Id\"");
            using var index = new SqliteStatement(connection, FullTextSearch.IndexNewSql);
            index.BindValue(1, table.Rows.Min(r => (long)r[id]!)).BindValue(2, table.Rows.Max(r => (long)r[id]!)).Run();
        }
    }
}
