using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Ingestion;

/// <summary>
/// The durable ingest queue. Every way in (Upload page, API, command line, sample import) enqueues here:
/// the raw bytes are committed to the store before the caller is told "queued", and the worker is woken.
/// This is also the one seam where uploads will be authorised per user.
/// </summary>
public sealed class IngestQueue(IDbContextFactory<DashboardDb> dbFactory, TimeProvider clock)
{
    private readonly SemaphoreSlim _signal = new(0);

    public async Task<Upload> EnqueueAsync(string fileName, byte[] content, CancellationToken cancellationToken = default) =>
        (await EnqueueManyAsync([(fileName, content)], cancellationToken))[0];

    /// <summary>Enqueues a batch in one transaction: one disk flush for a whole multi-file upload.</summary>
    public async Task<IReadOnlyList<Upload>> EnqueueManyAsync(IReadOnlyList<(string FileName, byte[] Content)> files, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var uploads = files.Select(f => new Upload
        {
            FileName = Path.GetFileName(f.FileName),
            Content = f.Content,
            Status = UploadStatus.Queued,
            ReceivedAt = now,
        }).ToList();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.Uploads.AddRange(uploads);
            await db.SaveChangesAsync(cancellationToken);
        }
        _signal.Release();
        return uploads;
    }

    public async Task<Upload?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Uploads.AsNoTracking()
            .Where(u => u.Id == id)
            .Select(u => new Upload { Id = u.Id, FileName = u.FileName, Status = u.Status, Reason = u.Reason, ArticleId = u.ArticleId, ReceivedAt = u.ReceivedAt, ProcessedAt = u.ProcessedAt })
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Waits until something is enqueued (or the timeout passes, so a missed wake-up costs little).</summary>
    public Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(timeout, cancellationToken);
}
