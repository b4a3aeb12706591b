using System.Text;
using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Ingestion;

/// <summary>
/// Files queued together (an import's chunk, a request of many files) keep their bytes in one spool segment instead of
/// the queue table, over a real store and spool folder: the segment lives exactly as long as one of its files is
/// queued, a failed file keeps its bytes for a retry, and a missing or orphaned segment is handled by name.
/// </summary>
public sealed class SpoolSegmentTests : IAsyncLifetime
{
    private readonly TestStore _store = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static (string, byte[]) File(int i) => ($"report-{i:D3}.txt", Encoding.UTF8.GetBytes(
        $"date 2024-03-{1 + i % 28:D2}\n\nChile and Peru talk fisheries, round {i}\n\n" +
        $"The foreign ministers of Chile and Peru met in Lima for round {i} of talks on fisheries and trade. " +
        $"Officials said the {i}th meeting had gone well, and a further round was planned."));

    private static List<(string, byte[])> Files(int count) => Enumerable.Range(0, count).Select(File).ToList();

    private static string[] SegmentFiles(UploadSpool spool) =>
        Directory.Exists(spool.Folder) ? Directory.GetFiles(spool.Folder, "*.segment") : [];

    [Fact]
    public async Task Files_queued_together_share_one_segment_which_goes_once_the_last_of_them_is_stored()
    {
        var services = await _store.StartAsync();
        var spool = services.GetRequiredService<UploadSpool>();
        var files = Files(40);

        var uploads = await services.GetRequiredService<IngestQueue>().EnqueueManyAsync(files);

        await using (var db = await Db(services))
        {
            Assert.Equal(0, await db.UploadContents.CountAsync());
            var segment = Assert.Single(await db.SpoolSegments.ToListAsync());
            Assert.Equal((uploads[0].Id, uploads[^1].Id), (segment.FirstUploadId, segment.LastUploadId));
            Assert.All(await db.Uploads.ToListAsync(), u => Assert.Equal(segment.Id, u.SegmentId));
            Assert.Equal(spool.SegmentPathOf(segment.Id), Assert.Single(SegmentFiles(spool)));
        }
        // The segment holds each file's bytes exactly where its row says.
        using (var reader = new UploadSpool.SegmentReader(spool))
        {
            for (var i = 0; i < files.Count; i++)
            {
                Assert.Equal(files[i].Item2, reader.Read(uploads[i].SegmentId!.Value, uploads[i].SegmentOffset!.Value, uploads[i].SegmentLength!.Value));
            }
        }

        var ingestor = services.GetRequiredService<ArticleIngestor>();
        Assert.Equal(16, await ingestor.ProcessNextBatchAsync(maxUploads: 16));
        // Files of the segment are still queued: it stays.
        Assert.Single(SegmentFiles(spool));
        await ingestor.DrainAsync();

        var done = await services.GetRequiredService<IngestQueue>().FindManyAsync(uploads.Select(u => u.Id).ToList());
        Assert.All(done.Values, u => Assert.Equal(UploadStatus.Stored, u.Status));
        Assert.Empty(SegmentFiles(spool));
        await using (var db = await Db(services))
        {
            Assert.Equal(40, await db.Articles.CountAsync());
            Assert.Equal(0, await db.SpoolSegments.CountAsync());
            Assert.Equal(0, await db.UploadContents.CountAsync());
            // The texts read from the segment are the files' own.
            var stored = await db.Articles.Where(a => a.Title == "Chile and Peru talk fisheries, round 7").SingleAsync();
            Assert.Contains("round 7 of talks", stored.Text);
        }
    }

    [Fact]
    public async Task A_few_files_keep_their_bytes_in_the_queue_table()
    {
        var services = await _store.StartAsync();

        await services.GetRequiredService<IngestQueue>().EnqueueManyAsync(Files(IngestQueue.SegmentMinFiles - 1));

        await using var db = await Db(services);
        Assert.Equal(IngestQueue.SegmentMinFiles - 1, await db.UploadContents.CountAsync());
        Assert.Equal(0, await db.SpoolSegments.CountAsync());
        Assert.Empty(SegmentFiles(services.GetRequiredService<UploadSpool>()));
    }

    [Fact]
    public async Task Files_that_could_not_be_queued_leave_neither_rows_nor_a_segment_behind()
    {
        var services = await _store.StartAsync();
        await using (var db = await Db(services))
        {
            // The store refuses one of the files half-way through the queuing transaction.
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER RefusePoison BEFORE INSERT ON Uploads WHEN NEW.FileName = 'poison.txt' BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
        }
        var files = Files(20);
        files[12] = ("poison.txt", files[12].Item2);

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => services.GetRequiredService<IngestQueue>().EnqueueManyAsync(files));

        var spool = services.GetRequiredService<UploadSpool>();
        Assert.Empty(Directory.Exists(spool.Folder) ? Directory.GetFiles(spool.Folder) : []);
        await using (var db = await Db(services))
        {
            Assert.Equal(0, await db.Uploads.CountAsync());
            Assert.Equal(0, await db.SpoolSegments.CountAsync());
        }
    }

    [Fact]
    public async Task A_failed_file_of_a_segment_keeps_its_bytes_for_a_retry_after_the_segment_is_gone()
    {
        var services = await _store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        var files = Files(20);
        var bad = "date 2024-02-30\n\nChile and Peru signed a trade deal in Lima."u8.ToArray();
        files[5] = ("wrong-date.txt", bad);
        var uploads = await queue.EnqueueManyAsync(files);

        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        var failed = (await queue.FindAsync(uploads[5].Id))!;
        Assert.Equal(UploadStatus.Failed, failed.Status);
        Assert.Contains("wrong-date.txt", failed.Reason);
        Assert.Empty(SegmentFiles(services.GetRequiredService<UploadSpool>()));
        await using (var db = await Db(services))
        {
            Assert.Equal(bad, (await db.UploadContents.SingleAsync()).Content);
            Assert.Equal(uploads[5].Id, (await db.UploadContents.SingleAsync()).UploadId);
        }

        var (retried, refusal) = await queue.RetryAsync(uploads[5].Id);
        Assert.Null(refusal);
        Assert.Equal(UploadStatus.Queued, retried!.Status);
        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        // Read again from the kept bytes: the same file fails for the same reason.
        var again = (await queue.FindAsync(uploads[5].Id))!;
        Assert.Equal(UploadStatus.Failed, again.Status);
        Assert.Contains("2024-02-30", again.Reason);
        await using (var db = await Db(services))
        {
            Assert.Equal(19, await db.Articles.CountAsync());
            Assert.Equal(bad, (await db.UploadContents.SingleAsync()).Content);
        }
    }

    [Fact]
    public async Task Files_whose_segment_is_gone_fail_each_with_its_name_and_the_rest_of_the_queue_goes_on()
    {
        var services = await _store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        var spool = services.GetRequiredService<UploadSpool>();
        var lost = await queue.EnqueueManyAsync(Files(20));
        System.IO.File.Delete(Assert.Single(SegmentFiles(spool)));
        var kept = await queue.EnqueueManyAsync(Enumerable.Range(100, 20).Select(File).ToList());

        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        var statuses = await queue.FindManyAsync(lost.Concat(kept).Select(u => u.Id).ToList());
        foreach (var upload in lost)
        {
            var failed = statuses[upload.Id];
            Assert.Equal(UploadStatus.Failed, failed.Status);
            Assert.StartsWith($"{upload.FileName}: its bytes are missing from the spool", failed.Reason);
            Assert.EndsWith("upload it again", failed.Reason);
        }
        Assert.All(kept, u => Assert.Equal(UploadStatus.Stored, statuses[u.Id].Status));
        Assert.Empty(SegmentFiles(spool));
        await using var db = await Db(services);
        Assert.Equal(20, await db.Articles.CountAsync());
        Assert.Equal(0, await db.SpoolSegments.CountAsync());
    }

    [Fact]
    public async Task At_start_segment_files_without_a_row_are_removed_and_queued_ones_are_kept_and_stored_after_a_restart()
    {
        var services = await _store.StartAsync();
        var spool = services.GetRequiredService<UploadSpool>();
        var uploads = await services.GetRequiredService<IngestQueue>().EnqueueManyAsync(Files(30));
        var owned = Assert.Single(SegmentFiles(spool));
        // A crash between naming a segment and committing its files, or between deleting a segment's row and its file.
        var orphan = spool.SegmentPathOf(987_654);
        await System.IO.File.WriteAllTextAsync(orphan, "orphan");

        // A new process over the same store and folder.
        var restarted = await _store.StartAsync();
        await restarted.GetRequiredService<IngestQueue>().RemoveOrphanSpoolFilesAsync();

        Assert.False(System.IO.File.Exists(orphan));
        Assert.True(System.IO.File.Exists(owned));
        await restarted.GetRequiredService<ArticleIngestor>().DrainAsync();
        var done = await restarted.GetRequiredService<IngestQueue>().FindManyAsync(uploads.Select(u => u.Id).ToList());
        Assert.All(done.Values, u => Assert.Equal(UploadStatus.Stored, u.Status));
        Assert.Empty(SegmentFiles(spool));
    }

    private static Task<DashboardDb> Db(IServiceProvider services) =>
        services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
}
