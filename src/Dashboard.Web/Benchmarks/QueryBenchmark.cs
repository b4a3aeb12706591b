using System.Diagnostics;
using System.Text.Json;
using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Benchmarks;

/// <summary>
/// <c>bench queries --articles N</c>: builds (or reuses) a store of N generated articles and times every
/// query the dashboard issues, through the same <see cref="DashboardQueries"/> the pages call, for a 7-day,
/// a 90-day and an all-time window. A raw <c>COUNT(*)</c> over the window is the in-run baseline.
/// </summary>
public static class QueryBenchmark
{
    /// <summary>One timed query in one window.</summary>
    public sealed record Row(string Name, string Window, double P50Ms, double P95Ms);

    public static async Task<(int Articles, IReadOnlyList<Row> Rows)> RunAsync(int count, int seed, string? databasePath, int runs, TextWriter progress)
    {
        var path = databasePath ?? Path.GetFullPath(Path.Combine("bench-data", $"queries-{count}-seed{seed}.db"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var host = await BenchHost.StartAsync(path);
        var services = host.Services;
        var existing = await BenchCorpus.CountArticlesAsync(services);
        if (existing < count)
        {
            progress.WriteLine(existing == 0
                ? $"building {path} with {count:N0} generated articles (reused by later runs) ..."
                : $"{path} holds {existing:N0} articles: adding generated articles up to {count:N0} ...");
            var seconds = await BenchCorpus.FillAsync(services, count, seed, progress);
            progress.WriteLine($"built in {seconds:N0} s");
        }
        else
        {
            progress.WriteLine($"reusing {path} ({existing:N0} articles)");
        }

        var queries = services.GetRequiredService<DashboardQueries>();
        var dbFactory = services.GetRequiredService<IDbContextFactory<DashboardDb>>();
        // The web app loads the co-mention index in the background on first use; the timings are of the loaded state.
        var load = Stopwatch.StartNew();
        await queries.WarmUpAsync();
        progress.WriteLine($"co-mention index loaded in {load.Elapsed.TotalSeconds:N1} s");
        DateOnly newest;
        EntityRef first, second;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            newest = await db.Articles.MaxAsync(a => a.PublishedDate);
        }
        // The filters a reader would click: the two most mentioned countries.
        var top = await queries.TopEntitiesAsync(EntityKind.Country, ArticleFilter.All, 2);
        first = new EntityRef(EntityKind.Country, top[0].Key);
        second = new EntityRef(EntityKind.Country, top.Count > 1 ? top[1].Key : top[0].Key);
        var compared = (await queries.TopEntitiesAsync(EntityKind.Country, ArticleFilter.All, 3)).Select(c => new EntityRef(EntityKind.Country, c.Key)).ToList();
        // A search a reader might type: the third country's name as a phrase (in a few per cent of the articles).
        var search = "\"" + (await queries.TopEntitiesAsync(EntityKind.Country, ArticleFilter.All, 3))[^1].Name + "\"";
        // The entity page a reader would open: the most mentioned person's, with what they said.
        var statements = services.GetRequiredService<Statements>();
        var person = new EntityRef(EntityKind.Person, (await queries.TopEntitiesAsync(EntityKind.Person, ArticleFilter.All, 1))[0].Key);
        progress.WriteLine($"entity filters: {first}, {second}; search: {search}; speaker: {person}");

        var windows = new (string Name, DateOnly? From)[] { ("7d", newest.AddDays(-6)), ("90d", newest.AddDays(-89)), ("all", null) };
        var rows = new List<Row>();
        foreach (var (window, from) in windows)
        {
            var filter = new ArticleFilter { From = from, To = newest };
            var total = (await queries.TimelineAsync(filter, 0, 1)).Total;
            var deep = Math.Max(0, Math.Min(total - 50, 10_000));
            var cases = new (string Name, Func<Task> Run)[]
            {
                ("baseline: raw count", async () =>
                {
                    await using var db = await dbFactory.CreateDbContextAsync();
                    await db.Articles.Where(a => from == null || a.PublishedDate >= from).CountAsync();
                }),
                ("volume histogram", () => queries.VolumeAsync(filter)),
                ("summary counts", () => queries.SummaryAsync(filter)),
                ("top countries", () => queries.TopEntitiesAsync(EntityKind.Country, filter)),
                ("top people", () => queries.TopEntitiesAsync(EntityKind.Person, filter)),
                ("top organisations", () => queries.TopEntitiesAsync(EntityKind.Organization, filter)),
                ("top topics", () => queries.TopEntitiesAsync(EntityKind.Topic, filter)),
                ("map (all countries)", () => queries.TopEntitiesAsync(EntityKind.Country, filter, 300)),
                // The chart switches: wire copies counted once, and occurrences in the articles about each country.
                ("top countries, counting stories", () => queries.TopEntitiesAsync(EntityKind.Country, filter, countStories: true)),
                ("top actors, counting stories", () => queries.TopActorsAsync(filter, 10, false, countStories: true)),
                ("top countries, mentions in articles about them", () => queries.TopEntitiesAsync(EntityKind.Country, filter, countMentions: true, focusOnly: true)),
                ("entity filter: top countries, counting stories", () => queries.TopEntitiesAsync(EntityKind.Country, filter.WithEntity(first), countStories: true)),
                ("timeline first page", () => queries.TimelineAsync(filter, 0, 50)),
                ("timeline first page, one row per story", () => queries.TimelineAsync(filter, 0, 50, oneRowPerStory: true)),
                ($"timeline deep page (offset {deep:N0})", () => queries.TimelineAsync(filter, deep, 50)),
                ("entity filter: timeline", () => queries.TimelineAsync(filter.WithEntity(first), 0, 50)),
                ("entity filter: top countries", () => queries.TopEntitiesAsync(EntityKind.Country, filter.WithEntity(first))),
                ("entity filter: top actors", () => queries.TopActorsAsync(filter.WithEntity(first), 10)),
                ("entity filter: summary counts", () => queries.SummaryAsync(filter.WithEntity(first))),
                ("two-entity filter: timeline", () => queries.TimelineAsync(filter.WithEntity(first).WithEntity(second), 0, 50)),
                ("two-entity filter: volume", () => queries.VolumeSeriesAsync(filter.WithEntity(first).WithEntity(second))),
                ("search: timeline first page", () => queries.TimelineAsync(filter with { Text = search }, 0, 50)),
                ("search: summary counts", () => queries.SummaryAsync(filter with { Text = search })),
                ("trends of 3 entities", () => queries.TrendsAsync(compared, filter)),
                ("entity filter: distinctive words", () => queries.DistinctiveWordsAsync(filter.WithEntity(first), 24)),
                // A window against the one before it: every entity of both, twice per kind.
                ("rising and fading", () => queries.AttentionShiftAsync(filter, 8)),
                ("entity filter: rising and fading", () => queries.AttentionShiftAsync(filter.WithEntity(first), 8)),
                // Read from the newest articles naming the person, up to 2,000 of them, at query time.
                ("entity page: what the top person said", () => statements.LatestAsync(person, filter, null, 10)),
                // Who the newest 300 articles quote: every country and actor of each read for its statements.
                ("voices", () => statements.VoicesAsync(filter, 8)),
                ("entity filter: voices", () => statements.VoicesAsync(filter.WithEntity(first), 8)),
                ("full dashboard refresh", () => RefreshAsync(queries, statements, filter, compared)),
                ("full dashboard refresh, entity filter", () => RefreshAsync(queries, statements, filter.WithEntity(first), compared)),
                ("full dashboard refresh, search", () => RefreshAsync(queries, statements, filter with { Text = search }, compared)),
            };
            foreach (var (name, run) in cases)
            {
                await run();
                var times = new double[runs];
                for (var i = 0; i < runs; i++)
                {
                    var watch = Stopwatch.StartNew();
                    await run();
                    times[i] = watch.Elapsed.TotalMilliseconds;
                }
                Array.Sort(times);
                rows.Add(new Row(name, window, Percentile(times, 0.50), Percentile(times, 0.95)));
            }
        }
        progress.WriteLine($"benchmark process memory: {ProcessMemory()}");
        return (await BenchCorpus.CountArticlesAsync(services), rows);
    }

    /// <summary>What the dashboard page issues after a filter change: its queries at once, then the trend lines.</summary>
    private static async Task RefreshAsync(DashboardQueries queries, Statements statements, ArticleFilter filter, IReadOnlyList<EntityRef> compared)
    {
        await Task.WhenAll(
            queries.SummaryAsync(filter),
            queries.VolumeSeriesAsync(filter),
            queries.TopEntitiesAsync(EntityKind.Country, filter, 300),
            queries.TopActorsAsync(filter, 10, countMentions: false),
            queries.TopEntitiesAsync(EntityKind.Topic, filter, 10),
            queries.TopSourcesAsync(filter, 10),
            queries.TimelineAsync(filter, 0, 50));
        await Task.WhenAll(queries.TrendsAsync(compared, filter), queries.TopAuthorsAsync(filter, 10), queries.DistinctiveWordsAsync(filter, 24),
            queries.AttentionShiftAsync(filter, 8), statements.VoicesAsync(filter, 8));
    }

    public static void Print(int articles, IReadOnlyList<Row> rows, TextWriter output, bool json)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                articles,
                machine = BenchHost.Machine,
                queries = rows.Select(r => new { name = r.Name, window = r.Window, p50_ms = r.P50Ms, p95_ms = r.P95Ms }),
            }));
            return;
        }
        output.WriteLine($"machine: {BenchHost.Machine}; {articles:N0} articles; ratio = p95 / p95 of the raw count in the same window");
        output.WriteLine("| query | window | p50 ms | p95 ms | ratio |");
        output.WriteLine("|---|---|---:|---:|---:|");
        foreach (var group in rows.GroupBy(r => r.Window))
        {
            var baseline = group.First().P95Ms;
            foreach (var row in group)
            {
                output.WriteLine($"| {row.Name} | {row.Window} | {row.P50Ms:F1} | {row.P95Ms:F1} | {(baseline > 0 ? row.P95Ms / baseline : 0):F1} |");
            }
        }
    }

    /// <summary>Resident and peak resident memory from /proc (Linux), for the record beside the timings.</summary>
    private static string ProcessMemory()
    {
        const string Status = "/proc/self/status";
        if (!File.Exists(Status))
        {
            return $"working set {Environment.WorkingSet / 1_048_576} MB";
        }
        var lines = File.ReadAllLines(Status).Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal) || l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return string.Join(", ", lines.Select(l => string.Join(' ', l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))))
            + $", managed heap {GC.GetTotalMemory(false) / 1_048_576} MB";
    }

    private static double Percentile(double[] sorted, double p)
    {
        var index = (int)Math.Ceiling(p * sorted.Length) - 1;
        return Math.Round(sorted[Math.Clamp(index, 0, sorted.Length - 1)], 2);
    }
}
