using System.Globalization;
using Dashboard.Web.Benchmarks;

namespace Dashboard.Web.Cli;

/// <summary>
/// <c>bench ingest|queries --articles N [--seed S] [--json]</c>, <c>bench extract [--json]</c>, <c>bench archive --mb N [--format zip|tar.gz]</c>:
/// throughput, query latency, extraction speed and memory while ingesting a large archive, with in-run baselines.
/// </summary>
public static class BenchCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is not ("ingest" or "queries" or "extract" or "archive"))
        {
            error.WriteLine("usage: bench ingest|queries --articles N [--seed S] [--runs R] [--db FILE] [--json]");
            error.WriteLine("       bench extract [--json]");
            error.WriteLine("       bench archive --mb N [--format zip|tar.gz] [--seed S] [--json]");
            return 2;
        }
        var megabytes = 100;
        var articles = 10_000;
        var seed = 1;
        var runs = 20;
        string? database = null;
        var json = false;
        var tarGz = false;
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--json":
                    json = true;
                    break;
                case "--articles" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    articles = n;
                    i++;
                    break;
                case "--mb" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var mb) && mb > 0:
                    megabytes = mb;
                    i++;
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s):
                    seed = s;
                    i++;
                    break;
                case "--runs" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r > 0:
                    runs = r;
                    i++;
                    break;
                case "--format" when value is "zip" or "tar.gz":
                    tarGz = value == "tar.gz";
                    i++;
                    break;
                case "--db" when value is not null:
                    database = Path.GetFullPath(value);
                    i++;
                    break;
                default:
                    error.WriteLine($"bench: unknown or invalid argument '{args[i]}'");
                    return 2;
            }
        }
        // Progress goes to standard error so standard output holds only the table or the JSON object.
        if (args[0] == "extract")
        {
            ExtractionBenchmarks.Print(ExtractionBenchmarks.Run(error), output, json);
        }
        else if (args[0] == "archive")
        {
            ArchiveBenchmark.Print(await ArchiveBenchmark.RunAsync(megabytes, seed, error, tarGz), output, json);
        }
        else if (args[0] == "ingest")
        {
            IngestBenchmark.Print(await IngestBenchmark.RunAsync(articles, seed, error), output, json);
        }
        else
        {
            var (count, rows) = await QueryBenchmark.RunAsync(articles, seed, database, runs, error);
            QueryBenchmark.Print(count, rows, output, json);
        }
        return 0;
    }
}
