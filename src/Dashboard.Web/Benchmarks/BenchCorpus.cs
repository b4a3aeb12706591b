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
    public const int Chunk = 16 * ArticleIngestor.MaxBatch;

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

    public static async Task<int> CountArticlesAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        return await db.Articles.CountAsync();
    }
}
