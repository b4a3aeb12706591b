using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Ingestion;

/// <summary>A link's first try, made at once, that failed for a reason that may pass: why, and when it is tried again.</summary>
public sealed record LinkRetry(string Reason, DateTime At);

/// <summary>What retrying every failed upload did: which went back in the queue, and how many had lost their file.</summary>
public sealed record FailedRetry(IReadOnlyList<long> Requeued, int WithoutFile);

/// <summary>
/// The durable ingest queue. Every way in (Upload page, API, command line, sample import) enqueues here:
/// the raw bytes are committed to the store before the caller is told "queued", and the worker is woken.
/// This is also the one seam where uploads will be authorised per user.
/// </summary>
public sealed class IngestQueue(IDbContextFactory<DashboardDb> dbFactory, UploadSpool spool, WriteTurns writeTurns, TimeProvider clock, ILogger<IngestQueue> logger)
{
    private readonly SemaphoreSlim _signal = new(0);
    private readonly SemaphoreSlim _linkSignal = new(0);

    /// <summary>
    /// Web addresses taken in one call at most (a pasted list, a file of links, one API request, the rows of one export of
    /// story links): about what a list of 4 MB holds (<see cref="Parsers.LinkFiles"/>), so a Media Cloud export of a few tens of
    /// thousands of stories goes in whole. Queued in one transaction of about 3 s at the most.
    /// </summary>
    public const int MaxLinks = 40_000;

    public async Task<Upload> EnqueueAsync(string fileName, byte[] content, CancellationToken cancellationToken = default) =>
        (await EnqueueManyAsync([(fileName, content)], cancellationToken))[0];

    /// <summary>Enqueues a batch in one transaction: one disk flush for a whole multi-file upload.</summary>
    /// <param name="feedId">The feed subscription the files were fetched for, so its articles are counted per feed.</param>
    public async Task<IReadOnlyList<Upload>> EnqueueManyAsync(IReadOnlyList<(string FileName, byte[] Content)> files, CancellationToken cancellationToken = default, long? feedId = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var uploads = files.Select(f => new Upload
        {
            FileName = Path.GetFileName(f.FileName),
            Content = f.Content,
            Status = UploadStatus.Queued,
            ReceivedAt = now,
            FeedId = feedId,
        }).ToList();
        // Many files' bytes go into one spool segment, written before the turn at the store is taken; a few go into the
        // queue table, where they cost less than a file of their own.
        var segment = files.Count >= SegmentMinFiles ? await spool.WriteSegmentAsync(files, cancellationToken) : ((string Path, long[] Offsets)?)null;
        long? claimed = null;
        var queued = false;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            using (await writeTurns.TakeAsync(cancellationToken))
            {
                var started = IngestTimings.Start();
                await QueueWriter.InsertAsync(db, uploads, cancellationToken,
                    segment is { } written ? (written.Offsets, id => { spool.ClaimSegment(written.Path, id); claimed = id; }) : null);
                queued = true;
                IngestTimings.Add(IngestTimings.Phase.QueueInserts, started);
            }
            // The queue's commit left the log as it was (see QueueWriter.InsertAsync): copied now, outside the write turn,
            // or by the ingestor once it has written these uploads' articles.
            SqliteSetup.CheckpointInBackground(db, logger, moreWritesFollow: true, writeTurns);
        }
        finally
        {
            // The files were not queued: their segment goes, under whichever name it has (claiming renames it; the commit
            // may still fail after that, and its row with it).
            if (!queued && segment is { } written)
            {
                File.Delete(written.Path);
                if (claimed is { } id)
                {
                    spool.ReleaseSegment(id);
                }
            }
        }
        _signal.Release();
        return uploads;
    }

    /// <summary>Files queued together from this many on have their bytes written to a spool segment (<see cref="SpoolSegment"/>).</summary>
    public const int SegmentMinFiles = 16;

    /// <summary>
    /// Queues web addresses whose pages are fetched in the background (<see cref="Feeds.LinkFetcher"/>), politely, one
    /// site at a time, and then read like any upload: the list is acknowledged at once, whatever its length, and it
    /// survives a restart. An address whose article is already stored is answered as its duplicate without a fetch; one
    /// already waiting for its page is not queued twice (its row is returned).
    /// </summary>
    /// <param name="hints">For each address, what the file that listed it said of its story (null for none): kept with the link, it fills what the page lacks.</param>
    /// <param name="firstTry">A first try already made and failed for a reason that may pass: the links wait until it says.</param>
    /// <param name="feedId">The feed whose items' pages these are.</param>
    /// <param name="listId">The list they belong to (<see cref="Upload.ListId"/>): the upload of an export of story links.</param>
    public async Task<IReadOnlyList<Upload>> EnqueueLinksAsync(IReadOnlyList<Uri> urls, CancellationToken cancellationToken = default, IReadOnlyList<LinkHints?>? hints = null,
        LinkRetry? firstTry = null, long? feedId = null, long? listId = null) =>
        (await EnqueueAsync(urls, hints, firstTry, feedId, listId, newList: false, cancellationToken)).Answers;

    /// <summary>
    /// Queues a list of links (a file of them, a long paste) as <see cref="EnqueueLinksAsync"/> does, as one list: its
    /// id, null when every address was already waiting in another list, follows its progress and can forget its links alone.
    /// </summary>
    public Task<(IReadOnlyList<Upload> Answers, long? ListId)> EnqueueLinkListAsync(IReadOnlyList<Uri> urls, CancellationToken cancellationToken = default) =>
        EnqueueAsync(urls, null, null, null, null, newList: true, cancellationToken);

    private async Task<(IReadOnlyList<Upload> Answers, long? ListId)> EnqueueAsync(IReadOnlyList<Uri> urls, IReadOnlyList<LinkHints?>? hints, LinkRetry? firstTry,
        long? feedId, long? listId, bool newList, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var addresses = urls.Select(u => u.AbsoluteUri).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var waiting = new Dictionary<string, Upload>(StringComparer.Ordinal);
        var stored = new Dictionary<string, (long Id, string Title)>(StringComparer.Ordinal);
        var canonical = addresses.Select(NearDuplicates.CanonicalUrl).OfType<string>().Distinct().ToList();
        foreach (var chunk in addresses.Distinct().Chunk(500))
        {
            foreach (var row in await db.Uploads.AsNoTracking().Where(u => u.Status == UploadStatus.Fetching && chunk.Contains(u.Url)).ToListAsync(cancellationToken))
            {
                waiting.TryAdd(row.Url!, row);
            }
        }
        foreach (var chunk in canonical.Chunk(500))
        {
            foreach (var row in await db.Articles.Where(a => a.CanonicalUrl != null && chunk.Contains(a.CanonicalUrl)).Select(a => new { a.CanonicalUrl, a.Id, a.Title }).ToListAsync(cancellationToken))
            {
                stored[row.CanonicalUrl!] = (row.Id, row.Title);
            }
        }
        var answers = new Upload[urls.Count];
        var fresh = new List<Upload>();
        for (var i = 0; i < urls.Count; i++)
        {
            if (waiting.TryGetValue(addresses[i], out var already))
            {
                answers[i] = already;
                continue;
            }
            var upload = new Upload { FileName = Feeds.ArticleLinks.FileName(urls[i]), Url = addresses[i], ReceivedAt = now, LinkHints = hints?[i]?.ToJson(), FeedId = feedId, ListId = listId, Site = urls[i].Authority };
            if (NearDuplicates.CanonicalUrl(addresses[i]) is { } key && stored.TryGetValue(key, out var article))
            {
                upload.Status = UploadStatus.Duplicate;
                upload.ArticleId = article.Id;
                upload.Reason = LinkDuplicateReason(article.Id, article.Title);
                upload.ProcessedAt = now;
            }
            else
            {
                upload.Status = UploadStatus.Fetching;
                upload.NextFetchAt = firstTry?.At ?? now;
                upload.FetchAttempts = firstTry is null ? 0 : 1;
                upload.Reason = firstTry?.Reason;
                waiting[addresses[i]] = upload;
            }
            answers[i] = upload;
            fresh.Add(upload);
        }
        if (fresh.Count > 0)
        {
            using (await writeTurns.TakeAsync(cancellationToken))
            {
                await QueueWriter.InsertLinksAsync(db, fresh, newList && listId is null, cancellationToken);
            }
            _linkSignal.Release();
        }
        return (answers, fresh.Count > 0 ? fresh[0].ListId : null);
    }

    /// <summary>
    /// Forgets every link still waiting for its page (a list sent by mistake, a site that will not answer): their rows
    /// are deleted, as they hold nothing but the address. Pages already fetched stay queued. Returns how many were forgotten.
    /// The pages of feed items are not forgotten: their feed would not offer the items again (an unchanged feed is not
    /// read twice), so they would be lost; each is stored, as its page or as its summary, when its tries are done.
    /// </summary>
    /// <param name="listId">Only this list's links (<see cref="Upload.ListId"/>); null for every list's.</param>
    public async Task<int> CancelWaitingLinksAsync(CancellationToken cancellationToken = default, long? listId = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            // A fetch under way finds its row gone and leaves the page unqueued (LinkFetcher guards on the status).
            var waiting = db.Uploads.Where(u => u.Status == UploadStatus.Fetching && u.FeedId == null);
            return await (listId is { } list ? waiting.Where(u => u.ListId == list) : waiting).ExecuteDeleteAsync(cancellationToken);
        }
    }

    /// <summary>Where the links of one list are: how many were stored, were already stored, failed, and still wait (for their page, or in the queue once fetched).</summary>
    public async Task<LinkListProgress> ListProgressAsync(long listId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var counts = await db.Uploads.Where(u => u.ListId == listId).GroupBy(u => u.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        return new LinkListProgress(listId, counts.GetValueOrDefault(UploadStatus.Stored), counts.GetValueOrDefault(UploadStatus.Duplicate),
            counts.GetValueOrDefault(UploadStatus.Failed), counts.GetValueOrDefault(UploadStatus.Fetching), counts.GetValueOrDefault(UploadStatus.Queued));
    }

    /// <summary>Why a link is not fetched: its story is stored already under the same address (when it is queued, or by the time its turn comes).</summary>
    public static string LinkDuplicateReason(long articleId, string title) =>
        $"duplicate of article {articleId} \"{title}\" (the same address; not fetched again)";

    /// <summary>The links someone sent that wait for their page (a feed's items are its own business): what "Stop and forget them" would forget.</summary>
    public async Task<int> CountWaitingLinksAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Uploads.CountAsync(u => u.Status == UploadStatus.Fetching && u.FeedId == null, cancellationToken);
    }

    /// <summary>Wakes the ingestion worker: something was put in the queue by another way than the methods here (a fetched link).</summary>
    public void Wake() => _signal.Release();

    /// <summary>Waits until a link is queued or retried (or the timeout passes), for <see cref="Feeds.LinkFetcher"/>.</summary>
    public Task WaitForLinksAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _linkSignal.WaitAsync(timeout, cancellationToken);

    /// <summary>
    /// Enqueues one file read from a stream (an HTTP form file, an inbox file, a browser upload). Up to
    /// <see cref="UploadSpool.InlineLimit"/> it is queued like any other; larger files are copied to the spool
    /// folder without being held in memory and queued as a row that points there.
    /// </summary>
    /// <exception cref="UploadTooLargeException">The stream went past <paramref name="maxBytes"/>.</exception>
    public async Task<Upload> EnqueueStreamAsync(string fileName, Stream content, long? length, long maxBytes, CancellationToken cancellationToken = default, long? feedId = null)
    {
        if (length is { } known && known <= UploadSpool.InlineLimit)
        {
            var bytes = new byte[known];
            await content.ReadExactlyAsync(bytes, cancellationToken);
            return (await EnqueueManyAsync([(fileName, bytes)], cancellationToken, feedId))[0];
        }
        var received = await spool.ReceiveAsync(content, maxBytes, fileName, cancellationToken);
        try
        {
            var upload = new Upload
            {
                FileName = Path.GetFileName(fileName),
                Content = null,
                Status = UploadStatus.Queued,
                ReceivedAt = clock.GetUtcNow().UtcDateTime,
                FeedId = feedId,
            };
            await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            using (await writeTurns.TakeAsync(cancellationToken))
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                db.Uploads.Add(upload);
                await db.SaveChangesAsync(cancellationToken);
                // Named after the row before the row is visible: the worker never meets a spooled row without its file.
                spool.Claim(received, upload.Id);
                await transaction.CommitAsync(cancellationToken);
            }
            _signal.Release();
            return upload;
        }
        finally
        {
            File.Delete(received);
        }
    }

    /// <summary>Deletes spool files no queued or failed upload owns: left by a crash between receiving and committing.</summary>
    public async Task RemoveOrphanSpoolFilesAsync(CancellationToken cancellationToken = default)
    {
        await RemoveOrphanUploadFilesAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // In the writers' turn and a write transaction: no segment is named while the folder is compared with the rows,
        // by this process or another one on the same store.
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var owned = (await db.SpoolSegments.Select(s => s.Id).ToListAsync(cancellationToken)).ToHashSet();
            spool.RemoveOrphanSegments(owned);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private Task RemoveOrphanUploadFilesAsync(CancellationToken cancellationToken) =>
        spool.RemoveOrphansAsync(async ids =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var owned = new HashSet<long>();
            foreach (var chunk in ids.Chunk(500))
            {
                owned.UnionWith(await db.Uploads.Where(u => chunk.Contains(u.Id) && !db.UploadContents.Any(c => c.UploadId == u.Id) && (u.Status == UploadStatus.Queued || u.Status == UploadStatus.Failed))
                    .Select(u => u.Id).ToListAsync(cancellationToken));
            }
            return owned;
        }, cancellationToken);

    public async Task<Upload?> FindAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Uploads.AsNoTracking()
            .Where(u => u.Id == id)
            .Select(u => new Upload { Id = u.Id, FileName = u.FileName, Status = u.Status, Reason = u.Reason, ArticleId = u.ArticleId, ReceivedAt = u.ReceivedAt, ProcessedAt = u.ProcessedAt, Url = u.Url, NextFetchAt = u.NextFetchAt, FetchAttempts = u.FetchAttempts })
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Several uploads' statuses in one query per 500 (an import reports tens of thousands).</summary>
    public async Task<Dictionary<long, Upload>> FindManyAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = new Dictionary<long, Upload>();
        foreach (var chunk in ids.Chunk(500))
        {
            foreach (var upload in await db.Uploads.AsNoTracking()
                .Where(u => chunk.Contains(u.Id))
                .Select(u => new Upload { Id = u.Id, FileName = u.FileName, Status = u.Status, Reason = u.Reason, ArticleId = u.ArticleId, ReceivedAt = u.ReceivedAt, ProcessedAt = u.ProcessedAt, Url = u.Url, NextFetchAt = u.NextFetchAt, FetchAttempts = u.FetchAttempts })
                .ToListAsync(cancellationToken))
            {
                found[upload.Id] = upload;
            }
        }
        return found;
    }

    /// <summary>
    /// Puts a failed upload back in the queue (after a rule or parser fix). Its raw bytes were kept for this;
    /// returns null when there is no such upload, or why it cannot be retried.
    /// </summary>
    public async Task<(Upload? Upload, string? Refusal)> RetryAsync(long id, CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var upload = await db.Uploads.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
            if (upload is null)
            {
                return (null, $"no upload with id {id}");
            }
            if (upload.Status != UploadStatus.Failed)
            {
                return (null, $"upload {id} ({upload.FileName}) is {upload.Status.ToString().ToLowerInvariant()}, not failed: only failed uploads are retried");
            }
            var kept = await db.UploadContents.AnyAsync(c => c.UploadId == id, cancellationToken) || spool.Has(upload.Id);
            if (!kept && upload.Url is null)
            {
                return (null, $"upload {id} ({upload.FileName}) no longer has its file; upload it again");
            }
            // A retry after a fix reads a spooled file from its start again.
            spool.ForgetProgress(upload.Id);
            // A link whose page could not be had is fetched again; one whose page was had is read again.
            upload.Status = kept ? UploadStatus.Queued : UploadStatus.Fetching;
            upload.Reason = null;
            upload.ProcessedAt = null;
            upload.FetchAttempts = 0;
            upload.NextFetchAt = kept ? null : clock.GetUtcNow().UtcDateTime;
            // In the writers' turn, like every other write of the queue: during an import it waits for one batch at most.
            using (await writeTurns.TakeAsync(cancellationToken))
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        _signal.Release();
        _linkSignal.Release();
        return (await FindAsync(id, cancellationToken), null);
    }

    /// <summary>
    /// Puts every failed upload that still has its file back in the queue: after a fix that mends many at once (a
    /// parser, a rule file), nobody should have to retry a thousand files one by one. Failed uploads whose file is
    /// gone stay failed and are counted in <see cref="FailedRetry.WithoutFile"/>.
    /// </summary>
    public async Task<FailedRetry> RetryAllFailedAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var failed = await db.Uploads.AsNoTracking()
            .Where(u => u.Status == UploadStatus.Failed)
            .Select(u => new { u.Id, Kept = db.UploadContents.Any(c => c.UploadId == u.Id), Link = u.Url != null })
            .ToListAsync(cancellationToken);
        var retry = failed.Where(f => f.Kept || spool.Has(f.Id)).Select(f => f.Id).ToList();
        // Links whose page could not be had: fetched again.
        var refetch = failed.Where(f => f.Link && !f.Kept && !spool.Has(f.Id)).Select(f => f.Id).ToList();
        foreach (var id in retry)
        {
            // A retry after a fix reads a spooled file from its start again.
            spool.ForgetProgress(id);
        }
        var requeued = new List<long>();
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            // In the writers' turn the worker cannot change a status meanwhile: the ones still failed are the ones requeued.
            await RequeueAsync(retry, refetch: false);
            await RequeueAsync(refetch, refetch: true);
        }
        if (requeued.Count > 0)
        {
            _signal.Release();
            _linkSignal.Release();
        }
        return new FailedRetry(requeued, failed.Count - retry.Count - refetch.Count);

        // Files are read again; links whose page could not be had are fetched again, from their first try.
        async Task RequeueAsync(List<long> ids, bool refetch)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            foreach (var chunk in ids.Chunk(500))
            {
                var still = await db.Uploads.Where(u => chunk.Contains(u.Id) && u.Status == UploadStatus.Failed).Select(u => u.Id).ToListAsync(cancellationToken);
                await db.Uploads
                    .Where(u => still.Contains(u.Id) && u.Status == UploadStatus.Failed)
                    .ExecuteUpdateAsync(set =>
                    {
                        set.SetProperty(u => u.Status, refetch ? UploadStatus.Fetching : UploadStatus.Queued)
                            .SetProperty(u => u.Reason, (string?)null)
                            .SetProperty(u => u.ProcessedAt, (DateTime?)null);
                        if (refetch)
                        {
                            set.SetProperty(u => u.FetchAttempts, 0).SetProperty(u => u.NextFetchAt, now);
                        }
                    }, cancellationToken);
                requeued.AddRange(still);
            }
        }
    }

    /// <summary>How many uploads have a status (the Upload page says how many failed, not only the latest few).</summary>
    public async Task<int> CountAsync(UploadStatus status, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Uploads.CountAsync(u => u.Status == status, cancellationToken);
    }

    /// <summary>The latest uploads with a status, newest first, without their bytes: for the failed list on the Upload page.</summary>
    public async Task<IReadOnlyList<Upload>> RecentAsync(UploadStatus status, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Latest(db.Uploads.Where(u => u.Status == status), limit).ToListAsync(cancellationToken);
    }

    /// <summary>The latest uploads that did not fail (queued, stored or duplicate), newest first: what came in lately, by any way in.</summary>
    public async Task<IReadOnlyList<Upload>> RecentNotFailedAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Latest(db.Uploads.Where(u => u.Status != UploadStatus.Failed), limit).ToListAsync(cancellationToken);
    }

    private static IQueryable<Upload> Latest(IQueryable<Upload> uploads, int limit) =>
        uploads.AsNoTracking()
            .OrderByDescending(u => u.Id)
            .Take(limit)
            .Select(u => new Upload { Id = u.Id, FileName = u.FileName, Status = u.Status, Reason = u.Reason, ArticleId = u.ArticleId, ReceivedAt = u.ReceivedAt, ProcessedAt = u.ProcessedAt, Url = u.Url, NextFetchAt = u.NextFetchAt, FetchAttempts = u.FetchAttempts });

    /// <summary>Waits until something is enqueued (or the timeout passes, so a missed wake-up costs little).</summary>
    public Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>How far one list of links has come (<see cref="IngestQueue.ListProgressAsync"/>); a link forgotten is no longer counted.</summary>
public sealed record LinkListProgress(long ListId, int Stored, int Duplicates, int Failed, int Waiting, int Queued)
{
    public int Total => Stored + Duplicates + Failed + Waiting + Queued;

    /// <summary>"12 stored · 3 already stored · 1 failed · 84 waiting".</summary>
    public override string ToString() => string.Join(" · ", new[]
    {
        (Stored, "stored"), (Duplicates, "already stored"), (Failed, "failed"), (Waiting + Queued, "waiting"),
    }.Where(p => p.Item1 > 0).Select(p => $"{p.Item1:N0} {p.Item2}"));
}
