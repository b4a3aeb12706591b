using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Dashboard.Web.Benchmarks;

/// <summary>
/// <c>bench ingest --articles N</c>: N generated articles through the whole pipeline (queue, parse, extract,
/// store), then the same rows inserted into an empty store with the leanest raw SQLite code, in the same
/// run; the ratio of the two is the figure that travels between machines.
/// </summary>
public static class IngestBenchmark
{
    /// <summary>The result, in the shape of <c>--json</c>.</summary>
    public sealed record Result(int Articles, double PipelineArticlesPerS, double RawArticlesPerS, double Ratio, double PeakMemoryMb, string Machine);

    public static async Task<Result> RunAsync(int count, int seed, TextWriter progress)
    {
        var folder = Directory.CreateTempSubdirectory("dashboard-bench-ingest-").FullName;
        try
        {
            var pipelineDb = Path.Combine(folder, "pipeline.db");
            double pipelineSeconds;
            int stored;
            using (var host = await BenchHost.StartAsync(pipelineDb))
            {
                progress.WriteLine($"pipeline: ingesting {count:N0} generated articles ...");
                pipelineSeconds = await BenchCorpus.IngestAsync(host.Services, count, seed, progress);
                stored = await BenchCorpus.CountArticlesAsync(host.Services);
            }
            // Read before the raw phase loads its rows, so it measures the pipeline alone.
            var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);

            var rawDb = Path.Combine(folder, "raw.db");
            using (var host = await BenchHost.StartAsync(rawDb))
            {
            }
            var rows = ReadRows(pipelineDb);
            progress.WriteLine($"raw: inserting the same {rows.Articles.Count:N0} articles and {rows.Mentions.Count:N0} mentions ...");
            var rawSeconds = InsertRaw(rawDb, rows);

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

    private sealed record Rows(List<object?[]> Entities, List<object?[]> Aliases, List<object?[]> Articles, List<object?[]> Mentions);

    private const string EntityColumns = "Id, Kind, Key, Name";
    private const string AliasColumns = "Id, EntityId, Name";
    private const string ArticleColumns = "Id, Title, Text, PublishedDate, DateIsFallback, Source, Url, Author, ContentHash, IngestedAt";
    private const string MentionColumns = "Id, ArticleId, EntityId, PublishedDate, Count, IsFocus, Score, Spans";

    private static Rows ReadRows(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        connection.Open();
        return new Rows(Read(connection, "Entities", EntityColumns), Read(connection, "EntityAliases", AliasColumns),
            Read(connection, "Articles", ArticleColumns), Read(connection, "Mentions", MentionColumns));
    }

    private static List<object?[]> Read(SqliteConnection connection, string table, string columns)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {columns} FROM {table} ORDER BY Id";
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>One transaction, one prepared statement per table, parameters rebound per row.</summary>
    private static double InsertRaw(string database, Rows rows)
    {
        var watch = Stopwatch.StartNew();
        using var connection = new SqliteConnection($"Data Source={database}");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            pragma.ExecuteNonQuery();
        }
        using var transaction = connection.BeginTransaction();
        Insert(connection, transaction, "Entities", EntityColumns, rows.Entities);
        Insert(connection, transaction, "EntityAliases", AliasColumns, rows.Aliases);
        Insert(connection, transaction, "Articles", ArticleColumns, rows.Articles);
        Insert(connection, transaction, "Mentions", MentionColumns, rows.Mentions);
        transaction.Commit();
        return watch.Elapsed.TotalSeconds;
    }

    private static void Insert(SqliteConnection connection, SqliteTransaction transaction, string table, string columns, List<object?[]> rows)
    {
        var names = columns.Split(", ");
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {table} ({columns}) VALUES ({string.Join(", ", names.Select((_, i) => "$p" + i))})";
        var parameters = names.Select((_, i) => command.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = row[i] ?? DBNull.Value;
            }
            command.ExecuteNonQuery();
        }
    }
}
