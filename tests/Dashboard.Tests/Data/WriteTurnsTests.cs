using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Data;

/// <summary>Writers take turns at the store first come first served, so an upload is not starved by a long import.</summary>
public sealed class WriteTurnsTests
{
    [Fact]
    public async Task A_writer_that_asks_again_waits_behind_those_already_waiting()
    {
        var turns = new WriteTurns();
        var order = new List<string>();
        var first = await turns.TakeAsync();
        var second = Take("upload");
        var third = Take("feed");
        await Until(turns, 2);

        // The ingestor finishes its batch and asks at once for the next one: it comes after the two waiting.
        first.Dispose();
        var again = Take("next batch");
        await Task.WhenAll(second, third, again);
        Assert.Equal(["upload", "feed", "next batch"], order);

        async Task Take(string writer)
        {
            using (await turns.TakeAsync())
            {
                lock (order)
                {
                    order.Add(writer);
                }
                await Task.Yield();
            }
        }
    }

    [Fact]
    public async Task An_upload_waits_for_the_writer_holding_the_turn_and_is_queued_when_it_is_done()
    {
        await using var store = new TestStore();
        var services = await store.StartAsync();
        var turns = services.GetRequiredService<WriteTurns>();
        var queue = services.GetRequiredService<IngestQueue>();
        var seed = await File.ReadAllBytesAsync(TestPaths.SeedArticle);

        var batch = await turns.TakeAsync();
        var upload = queue.EnqueueManyAsync([("seed.txt", seed)]);
        await Until(turns, 1);
        Assert.Equal(0, await CountUploadsAsync());

        batch.Dispose();
        var queued = await upload;
        Assert.Equal(UploadStatus.Queued, (await queue.FindAsync(queued[0].Id))!.Status);

        // The ingestor takes its turn too: holding it keeps the batch from being written.
        batch = await turns.TakeAsync();
        var drain = services.GetRequiredService<ArticleIngestor>().DrainAsync();
        await Until(turns, 1);
        Assert.Equal(UploadStatus.Queued, (await queue.FindAsync(queued[0].Id))!.Status);
        batch.Dispose();
        await drain;
        Assert.Equal(UploadStatus.Stored, (await queue.FindAsync(queued[0].Id))!.Status);

        async Task<int> CountUploadsAsync()
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
            return await db.Uploads.CountAsync();
        }
    }

    /// <summary>Waits until that many writers wait for a turn, failing after 10 s rather than hanging.</summary>
    private static async Task Until(WriteTurns turns, int waiting)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await turns.UntilWaitingAsync(waiting, timeout.Token);
    }
}
