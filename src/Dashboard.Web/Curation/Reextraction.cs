using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Curation;

/// <summary>Where a re-extraction run stands.</summary>
public sealed record ReextractionStatus(bool Running, int Done, int Total, DateTime? StartedAt, DateTime? FinishedAt, string? Error);

/// <summary>
/// Runs extraction again over every stored article, so a changed rule file or a new user alias reaches
/// articles stored before it. One run at a time, in the background, in batches that each commit; progress
/// is in <see cref="Status"/> and raised as <see cref="Progressed"/>.
/// </summary>
public sealed class Reextraction(IDbContextFactory<DashboardDb> dbFactory, CuratedExtractor extractor, CurationRules rules, WriteTurns writeTurns, TimeProvider clock, ILogger<Reextraction> logger)
{
    private const int BatchSize = 500;
    private readonly object _gate = new();
    private ReextractionStatus _status = new(false, 0, 0, null, null, null);
    private Task _run = Task.CompletedTask;

    /// <summary>Raised on the worker thread after each batch and at the end; handlers marshal with InvokeAsync.</summary>
    public event Action<ReextractionStatus>? Progressed;

    public ReextractionStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>Starts a run unless one is going; returns the status either way.</summary>
    public ReextractionStatus Start()
    {
        lock (_gate)
        {
            if (!_status.Running)
            {
                _status = new ReextractionStatus(true, 0, 0, clock.GetUtcNow().UtcDateTime, null, null);
                _run = Task.Run(() => RunAsync(CancellationToken.None));
            }
            return _status;
        }
    }

    /// <summary>Waits for the current run (tests and the command line use this).</summary>
    public Task WhenDoneAsync() => _run;

    /// <summary>Re-extracts every article; the command line calls this directly.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await rules.ReloadAsync(cancellationToken);
            int total;
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            {
                total = await db.Articles.CountAsync(cancellationToken);
            }
            Report(0, total);
            long after = 0;
            var done = 0;
            while (true)
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                var batch = await db.Articles.AsNoTracking().Where(a => a.Id > after).OrderBy(a => a.Id).Take(BatchSize)
                    .Select(a => new Article { Id = a.Id, Title = a.Title, Text = a.Text, PublishedDate = a.PublishedDate, ContentHash = a.ContentHash })
                    .ToListAsync(cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }
                var results = new Extraction.ExtractionResult[batch.Count];
                Parallel.For(0, batch.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => results[i] = extractor.Extract(batch[i].Title, batch[i].Text, batch[i].PublishedDate));
                using (await writeTurns.TakeAsync(cancellationToken))
                await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
                {
                    // A merge or a setting aside made while the batch was extracted is in force now.
                    await ArticleWriter.ReplaceMentionsAsync(db, batch.Select((a, i) => (a, extractor.Refresh(a.Title, a.Text, results[i], a.PublishedDate))).ToList(), cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }
                after = batch[^1].Id;
                done += batch.Count;
                Report(done, Math.Max(total, done));
            }
            lock (_gate)
            {
                _status = _status with { Running = false, FinishedAt = clock.GetUtcNow().UtcDateTime };
            }
            Progressed?.Invoke(Status);
            logger.LogInformation("Re-extracted {Count} articles", done);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Re-extraction failed");
            lock (_gate)
            {
                _status = _status with { Running = false, FinishedAt = clock.GetUtcNow().UtcDateTime, Error = ex.Message };
            }
            Progressed?.Invoke(Status);
            throw;
        }
    }

    private void Report(int done, int total)
    {
        lock (_gate)
        {
            _status = _status with { Running = true, Done = done, Total = total };
        }
        Progressed?.Invoke(Status);
    }
}
