using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Dashboard.Web.Evaluation;
using Dashboard.Web.Extraction;
using Dashboard.Web.Generation;

namespace Dashboard.Web.Benchmarks;

/// <summary>
/// <c>bench extract</c>: <see cref="ArticleExtractor.Extract"/> over a fixed corpus on one thread, against tokenising the
/// same texts only; MB/s of UTF-8 text and the ratio of the two rates, which travels between machines better than either.
/// </summary>
[MemoryDiagnoser]
public class ExtractionBenchmarks
{
    private static readonly Lazy<List<(string Title, string Text)>> SharedCorpus = new(LoadCorpus);

    private readonly ArticleExtractor _extractor = new();
    private List<(string Title, string Text)> _corpus = [];

    /// <summary>The result, in the shape of <c>--json</c>.</summary>
    public sealed record Result(double MbPerS, double BaselineMbPerS, double Ratio, double ExtractMs, double BaselineMs, int Articles, double CorpusMb, string Corpus, string Machine);

    /// <summary>The seed and real BBC texts when ../shared/data is there, else the seed and 200 generated articles.</summary>
    public static string CorpusName { get; private set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _corpus = SharedCorpus.Value;
        // Builds the shared gazetteers outside the measured calls.
        _extractor.Extract("warm-up", "The Algerian foreign minister met Iranian officials in Tehran.");
    }

    [Benchmark(Baseline = true, Description = "tokenise only")]
    public int Tokenize()
    {
        var count = 0;
        foreach (var (title, text) in _corpus)
        {
            count += Tokenizer.Tokenize(title).Count + Tokenizer.Tokenize(text).Count;
        }
        return count;
    }

    [Benchmark(Description = "extract")]
    public int Extract()
    {
        var count = 0;
        foreach (var (title, text) in _corpus)
        {
            count += _extractor.Extract(title, text).Mentions.Count;
        }
        return count;
    }

    /// <summary>Runs both benchmarks in this process (the bench starts from <c>dotnet run</c>), logging to <paramref name="progress"/>.</summary>
    public static Result Run(TextWriter progress)
    {
        var corpus = SharedCorpus.Value;
        var bytes = corpus.Sum(a => Encoding.UTF8.GetByteCount(a.Title) + Encoding.UTF8.GetByteCount(a.Text));
        // ShortRun (3 warm-ups, 3 measured iterations) keeps the whole run near a minute on a loaded two-core machine.
        var job = Job.ShortRun.WithToolchain(InProcessEmitToolchain.DontLogOutput).WithId("ShortRun-InProcess");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(new WriterLogger(progress))
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "dashboard-bench-extract"))
            .WithOptions(ConfigOptions.DisableLogFile);
        var summary = BenchmarkRunner.Run<ExtractionBenchmarks>(config);
        double MeanMs(string method) =>
            summary.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method).ResultStatistics?.Mean / 1e6
            ?? throw new InvalidOperationException($"bench extract: {method} produced no measurement");
        var extractMs = MeanMs(nameof(Extract));
        var baselineMs = MeanMs(nameof(Tokenize));
        var mb = bytes / 1e6;
        var rate = mb / (extractMs / 1000);
        var baselineRate = mb / (baselineMs / 1000);
        return new Result(Math.Round(rate, 2), Math.Round(baselineRate, 2), Math.Round(rate / baselineRate, 3), Math.Round(extractMs, 1), Math.Round(baselineMs, 1),
            corpus.Count, Math.Round(mb, 2), CorpusName, Machine());
    }

    public static void Print(Result result, TextWriter output, bool json)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                mb_per_s = result.MbPerS,
                baseline_mb_per_s = result.BaselineMbPerS,
                ratio = result.Ratio,
                machine = result.Machine,
            }));
            return;
        }
        output.WriteLine($"machine: {result.Machine}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"corpus: {result.Corpus}, {result.Articles:N0} articles, {result.CorpusMb:F2} MB UTF-8; one thread"));
        output.WriteLine("| method | mean ms per corpus | MB/s | ratio to baseline |");
        output.WriteLine("|---|---:|---:|---:|");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| tokenise only (baseline) | {result.BaselineMs:F1} | {result.BaselineMbPerS:F2} | 1.000 |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| extract | {result.ExtractMs:F1} | {result.MbPerS:F2} | {result.Ratio:F3} |"));
    }

    private static List<(string Title, string Text)> LoadCorpus()
    {
        var corpus = new List<(string, string)>();
        var data = SharedDataFolder.Find(Directory.GetCurrentDirectory());
        var seed = data is null ? null : Path.Combine(data, "..", "seeds", "000_c5daea6af1ae3222.txt");
        if (seed is not null && File.Exists(seed))
        {
            corpus.Add(("", File.ReadAllText(seed)));
        }
        var bbc = data is null ? null : Path.Combine(data, "bbc-news-dev");
        if (bbc is not null && Directory.Exists(bbc))
        {
            corpus.AddRange(BbcEvaluation.Read(bbc).Select(a => (a.Title, a.Text)));
            CorpusName = "seed + BBC News dev texts";
        }
        else
        {
            corpus.AddRange(new CorpusGenerator().Generate(200, seed: 1).Select(a => (a.Title, a.Text)));
            CorpusName = (corpus.Count > 200 ? "seed + " : "") + "200 generated articles (seed 1)";
        }
        return corpus;
    }

    /// <summary>Host name, processor model and cores, OS and runtime: what the figures were measured on.</summary>
    private static string Machine()
    {
        string? cpu = null;
        if (File.Exists("/proc/cpuinfo"))
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        }
        var load = File.Exists("/proc/loadavg") ? $", load average {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))}" : "";
        return $"{Environment.MachineName}: {cpu ?? "unknown processor"}, {Environment.ProcessorCount} cores, "
            + $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}{load}";
    }

    /// <summary>BenchmarkDotNet's log to a writer (standard error), so standard output keeps only the table or the JSON.</summary>
    private sealed class WriterLogger(TextWriter writer) : BenchmarkDotNet.Loggers.ILogger
    {
        public string Id => nameof(WriterLogger);

        public int Priority => 0;

        public void Write(LogKind logKind, string text) => writer.Write(text);

        public void WriteLine() => writer.WriteLine();

        public void WriteLine(LogKind logKind, string text) => writer.WriteLine(text);

        public void Flush() => writer.Flush();
    }
}
