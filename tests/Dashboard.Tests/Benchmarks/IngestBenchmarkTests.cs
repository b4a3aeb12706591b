using Dashboard.Web.Benchmarks;

namespace Dashboard.Tests.Benchmarks;

/// <summary>
/// <c>bench ingest</c> end to end on a small corpus: the pipeline and the raw copy of every stored row both run
/// over a real schema (a new table the raw copy cannot take, as MentionEdits once was, fails here, not in CI's
/// contract check). Speed is not asserted: benchmarks measure it, tests do not.
/// </summary>
public sealed class IngestBenchmarkTests
{
    [Fact]
    public async Task A_small_run_ingests_every_article_and_copies_its_rows_raw()
    {
        var result = await IngestBenchmark.RunAsync(60, seed: 5, TextWriter.Null);

        Assert.Equal(60, result.Articles);
        Assert.True(result.PipelineArticlesPerS > 0);
        Assert.True(result.RawArticlesPerS > 0);
        Assert.Equal(Math.Round(result.PipelineArticlesPerS / result.RawArticlesPerS, 3), result.Ratio, 2);
    }
}
