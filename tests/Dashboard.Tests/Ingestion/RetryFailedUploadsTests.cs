using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Ingestion;

/// <summary>Retrying every failed upload at once, over a real store: those with their file go back in the queue, the rest are counted.</summary>
public sealed class RetryFailedUploadsTests
{
    [Fact]
    public async Task Failed_uploads_with_their_file_are_queued_again_and_those_without_are_counted_and_stay_failed()
    {
        await using var store = new TestStore();
        var services = await store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        var ingestor = services.GetRequiredService<ArticleIngestor>();
        var uploads = await queue.EnqueueManyAsync([
            ("wrong-date.txt", "date 2024-02-30\n\nChile and Peru signed a trade deal in Lima."u8.ToArray()),
            ("blank.txt", " \n\t \n"u8.ToArray()),
            ("lost.txt", "date 2024-99-01\n\nA file whose bytes went missing."u8.ToArray()),
            ("seed.txt", await File.ReadAllBytesAsync(TestPaths.SeedArticle)),
        ]);
        await ingestor.DrainAsync();
        var dbFactory = services.GetRequiredService<IDbContextFactory<DashboardDb>>();
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            // As after a restore from an old backup: the upload's row is there, its file is not.
            await db.UploadContents.Where(c => c.UploadId == uploads[2].Id).ExecuteDeleteAsync();
        }
        Assert.Equal(3, await queue.CountAsync(UploadStatus.Failed));

        var retry = await queue.RetryAllFailedAsync();

        Assert.Equal([uploads[0].Id, uploads[1].Id], retry.Requeued.Order());
        Assert.Equal(1, retry.WithoutFile);
        var now = await queue.FindManyAsync(uploads.Select(u => u.Id).ToList());
        Assert.Equal(UploadStatus.Queued, now[uploads[0].Id].Status);
        Assert.Null(now[uploads[0].Id].Reason);
        Assert.Equal(UploadStatus.Queued, now[uploads[1].Id].Status);
        Assert.Equal(UploadStatus.Failed, now[uploads[2].Id].Status);
        Assert.Equal(UploadStatus.Stored, now[uploads[3].Id].Status);

        await ingestor.DrainAsync();

        // Nothing was fixed, so both fail again, each with its own reason: they really went through the pipeline.
        Assert.Contains("2024-02-30", (await queue.FindAsync(uploads[0].Id))!.Reason);
        Assert.Contains("whitespace", (await queue.FindAsync(uploads[1].Id))!.Reason);
        Assert.Equal(3, await queue.CountAsync(UploadStatus.Failed));
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            Assert.Equal(1, await db.Articles.CountAsync());
        }
    }

    [Fact]
    public async Task With_nothing_failed_nothing_is_queued()
    {
        await using var store = new TestStore();
        var services = await store.StartAsync();

        var retry = await services.GetRequiredService<IngestQueue>().RetryAllFailedAsync();

        Assert.Empty(retry.Requeued);
        Assert.Equal(0, retry.WithoutFile);
    }
}
