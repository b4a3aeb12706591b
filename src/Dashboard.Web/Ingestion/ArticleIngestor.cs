using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Dashboard.Web.Curation;
using Dashboard.Web.Data;
using Dashboard.Web.Extraction;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Dashboard.Web.Ingestion;

/// <summary>
/// Takes queued uploads through parse, extract and store. A batch of uploads, their articles, mentions and
/// new statuses are written in one transaction, so a crash at any point leaves each upload either queued
/// (and processed again on restart) or done, never half-stored; the unique content hash keeps an article
/// stored once. Batching is what makes bulk imports fast: one commit for many articles.
/// </summary>
public sealed class ArticleIngestor(
    IDbContextFactory<DashboardDb> dbFactory,
    CuratedExtractor extractor,
    UploadSpool spool,
    ArticleNotifier notifier,
    WriteTurns writeTurns,
    IngestQueue queue,
    TimeProvider clock,
    ILogger<ArticleIngestor> logger)
{
    /// <summary>
    /// Most uploads taken in one transaction. A commit writes every page the batch touched, and the mention and
    /// daily-count indexes are touched all over (entities and dates come in no order): 8,192 articles per commit
    /// instead of 1,024 made a 100,000-article import about 1.5 times faster (bench ingest, same machine). The price
    /// is memory during a bulk import: two batches are in flight (one written, the next prepared), about 25 KB per
    /// article; <see cref="HeapTrim"/> gives it back when the import ends.
    /// </summary>
    public const int MaxBatch = 8192;

    /// <summary>
    /// The most uploads to prepare while a batch of <paramref name="writing"/> is written: half as many again, up to
    /// <see cref="MaxBatch"/>. At the start of a bulk import the first batches are small (the importer is still
    /// queueing), and a full batch prepared beside a small one's write kept the writer idle for a second while it waited
    /// for it (a timeline of bench ingest, stop 23). Growing by half keeps the two sides about level: a batch is prepared
    /// in a little less time per upload than it takes to write it.
    /// </summary>
    internal static int NextBatchSize(int writing) => Math.Clamp(writing + writing / 2, 256, MaxBatch);

    /// <summary>A batch stops growing past this many raw bytes, so big archives go one at a time.</summary>
    private const long MaxBatchBytes = 64 * 1024 * 1024;

    /// <summary>
    /// Processes batches until the queue is empty (the worker, the command line and tests all drain this way).
    /// While one batch is written (one core, the store's single writer), the next is read, parsed and extracted
    /// on the others: a pipeline of two, so neither the writer nor the extraction waits for the other.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        // Spooled uploads another worker is processing right now: left to it.
        var elsewhere = new HashSet<long>();
        // Counts of a bulk import's batches, held while more batches follow (see DeferredCounts); a crash's leftovers first.
        var counts = new DeferredCounts();
        await CatchUpCountsAsync(cancellationToken);
        // The writer is idle from here until the first batch is prepared, and again whenever a write ends before the
        // next batch is ready: the critical path of a bulk import, so bench ingest reports it.
        var idleSince = IngestTimings.Start();
        var batch = await PrepareWithRetryAsync(MaxBatch, elsewhere, cancellationToken);
        var busy = 0;
        while (batch is not null)
        {
            if (batch.Spooled is { } spooled)
            {
                var after = batch.LastUploadId;
                batch.Dispose();
                await FlushCountsAsync(counts, cancellationToken);
                if (!await Task.Run(() => ProcessSpooledAsync(spooled, cancellationToken), cancellationToken))
                {
                    elsewhere.Add(spooled);
                }
                idleSince = IngestTimings.Start();
                batch = await PrepareAsync(MaxBatch, after, null, elsewhere, cancellationToken) ?? await PrepareWithRetryAsync(MaxBatch, elsewhere, cancellationToken);
                continue;
            }
            IngestTimings.Add(IngestTimings.Phase.WriterIdle, idleSince);
            var writing = Task.Run(async () =>
            {
                try
                {
                    await WriteAsync(batch, counts, cancellationToken);
                }
                finally
                {
                    idleSince = IngestTimings.Start();
                }
            }, cancellationToken);
            Batch? next = null;
            try
            {
                // Only uploads after this batch, and with this batch's articles counted as stored already.
                next = await Task.Run(() => PrepareAsync(NextBatchSize(batch.Taken), batch.LastUploadId, batch.Pending, elsewhere, cancellationToken, writing), cancellationToken);
            }
            catch (Exception ex) when (LostTo(ex) is not null)
            {
                // The next batch is prepared again below, from the queue as it then is.
            }
            try
            {
                await writing;
                busy = 0;
                HeapTrim.AfterBatch(batch.Articles.Count);
            }
            catch (Exception ex) when (LostTo(ex) is { } reason && (reason == Loss.Race || ++busy < 5))
            {
                // Another worker committed some of these uploads first (or the store was busy): the prepared next
                // batch may count on articles that were not written, so both are read again from the queue.
                next?.Dispose();
                next = null;
                logger.LogInformation("Batch not written ({Reason}: {Error}); reading the queue again", reason, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 40)), cancellationToken);
            }
            catch
            {
                next?.Dispose();
                throw;
            }
            finally
            {
                batch.Dispose();
            }
            // An empty read after the last batch is not the end yet: a retried upload may sit before it in the queue.
            batch = next ?? await PrepareWithRetryAsync(MaxBatch, elsewhere, cancellationToken);
        }
        await FlushCountsAsync(counts, cancellationToken);
        HeapTrim.AfterDrain();
    }

    /// <summary>Processes the oldest queued upload; false when the queue is empty.</summary>
    public async Task<bool> ProcessNextAsync(CancellationToken cancellationToken = default) =>
        await ProcessNextBatchAsync(1, cancellationToken) > 0;

    /// <summary>Processes up to <paramref name="maxUploads"/> of the oldest queued uploads; returns how many left the queue (0 when it was empty).</summary>
    /// <remarks>
    /// Several workers may drain one queue (the web app and an <c>import</c> run, or several instances later).
    /// Two of them can take the same uploads; the loser's transaction fails on the upload's status check or
    /// the unique content hash, rolls back whole, and the batch is read again without what the winner took.
    /// </remarks>
    public async Task<int> ProcessNextBatchAsync(int maxUploads = MaxBatch, CancellationToken cancellationToken = default)
    {
        var busy = 0;
        while (true)
        {
            using var batch = await PrepareWithRetryAsync(maxUploads, [], cancellationToken);
            if (batch is null)
            {
                return 0;
            }
            if (batch.Spooled is { } spooled)
            {
                await ProcessSpooledAsync(spooled, cancellationToken);
                return 1;
            }
            try
            {
                await WriteAsync(batch, null, cancellationToken);
                return batch.Taken;
            }
            catch (Exception ex) when (LostTo(ex) is { } reason && (reason == Loss.Race || ++busy < 5))
            {
                // A lost race means another worker committed, so the queue moved on: retrying always ends.
                // A busy database is retried a few times only (each wait is already the 30 s busy timeout).
                logger.LogInformation("Another ingestion worker got there first ({Error}); reading the queue again", ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 40)), cancellationToken);
            }
        }
    }

    private async Task<Batch?> PrepareWithRetryAsync(int maxUploads, IReadOnlyCollection<long> skipSpooled, CancellationToken cancellationToken)
    {
        var busy = 0;
        while (true)
        {
            try
            {
                return await PrepareAsync(maxUploads, 0, null, skipSpooled, cancellationToken);
            }
            catch (Exception ex) when (LostTo(ex) == Loss.Busy && ++busy < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 40)), cancellationToken);
            }
        }
    }

    private enum Loss
    {
        Race,
        Busy,
    }

    private static Loss? LostTo(Exception ex) => ex switch
    {
        DbUpdateConcurrencyException => Loss.Race,
        DbUpdateException { InnerException: { } inner } => LostTo(inner),
        // 19: a constraint (the content hash another worker just stored); 5/6: the database was busy or locked.
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } => Loss.Race,
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 } => Loss.Busy,
        _ => null,
    };

    /// <summary>What one upload became: its new articles, the stored articles it repeats, or why it failed.</summary>
    private sealed class Outcome(Upload upload)
    {
        public Upload Upload { get; } = upload;
        public List<(ParsedArticle Parsed, string Hash)> Items { get; } = [];
        public List<Article> Fresh { get; } = [];
        public string? Failure { get; set; }

        // The lists most uploads never need are made when something goes into them: an outcome waits seconds for the
        // writer, and every object it holds is copied by the collections meanwhile (a pause for the writer too).
        private List<(long Id, string Title)>? _duplicates;
        private List<Article>? _repeatsInBatch;
        private List<string>? _problems;
        private List<ParsedArticle>? _pages;

        /// <summary>Articles of the upload already stored before this batch.</summary>
        public IReadOnlyList<(long Id, string Title)> Duplicates => (IReadOnlyList<(long, string)>?)_duplicates ?? [];

        /// <summary>Articles of the upload that an earlier upload of this batch (or of the one being written) carries.</summary>
        public IReadOnlyList<Article> RepeatsInBatch => (IReadOnlyList<Article>?)_repeatsInBatch ?? [];

        /// <summary>Entries or items that could not be read, named for the upload's reason.</summary>
        public IReadOnlyList<string> Problems => (IReadOnlyList<string>?)_problems ?? [];

        /// <summary>Items that only link to their page (an export of story links): queued for the link fetcher.</summary>
        public IReadOnlyList<ParsedArticle> Pages => (IReadOnlyList<ParsedArticle>?)_pages ?? [];

        public void AddDuplicate((long Id, string Title) article) => (_duplicates ??= []).Add(article);

        public void AddRepeat(Article earlier) => (_repeatsInBatch ??= []).Add(earlier);

        public void AddProblem(string problem) => (_problems ??= []).Add(problem);

        public void AddProblems(IEnumerable<string> problems)
        {
            foreach (var problem in problems)
            {
                AddProblem(problem);
            }
        }

        public void AddPages(IReadOnlyCollection<ParsedArticle> pages)
        {
            if (pages.Count > 0)
            {
                (_pages ??= []).AddRange(pages);
            }
        }

        /// <summary>Keeps the first <paramref name="count"/> pages only.</summary>
        public void KeepPages(int count) => _pages?.RemoveRange(count, _pages.Count - count);

        /// <summary>How many of <see cref="Pages"/> link to an article already stored (not fetched again).</summary>
        public int PagesStored { get; set; }
    }

    /// <summary>
    /// A batch read, parsed and extracted, waiting to be written. Its context tracks the uploads whose statuses
    /// the write changes; <see cref="Pending"/> holds its new articles by content hash and canonical URL, so the
    /// batch prepared while this one is written treats them as stored.
    /// </summary>
    private sealed class Batch(DashboardDb db, List<Outcome> outcomes, List<ArticleWriter.ArticleRows> articles,
        Dictionary<string, Article> pending, long lastUploadId, int taken) : IDisposable
    {
        public DashboardDb Db { get; } = db;
        public List<Outcome> Outcomes { get; } = outcomes;
        public List<ArticleWriter.ArticleRows> Articles { get; } = articles;
        public Dictionary<string, Article> Pending { get; } = pending;
        public long LastUploadId { get; } = lastUploadId;
        public int Taken { get; } = taken;

        /// <summary>The articles' mentions grouped by entity for the writer, built while the previous batch was written.</summary>
        public MentionGroups? Mentions { get; init; }

        /// <summary>Set when the next upload in the queue is spooled: the batch is that upload alone, processed in chunks.</summary>
        public long? Spooled { get; init; }

        public void Dispose() => Db.Dispose();
    }

    /// <summary>
    /// Reads up to <paramref name="maxUploads"/> queued uploads after <paramref name="afterUploadId"/>, parses
    /// and extracts them; null when there are none. Reads only: nothing is written until <see cref="WriteAsync"/>.
    /// </summary>
    /// <param name="write">The write of the batch before this one, while it runs: its core is left to it until it ends.</param>
    private async Task<Batch?> PrepareAsync(int maxUploads, long afterUploadId, IReadOnlyDictionary<string, Article>? inFlight, IReadOnlyCollection<long> skipSpooled, CancellationToken cancellationToken,
        Task? write = null)
    {
        var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        try
        {
            var batch = await PrepareAsync(db, maxUploads, afterUploadId, inFlight, skipSpooled, write, cancellationToken);
            if (batch is null)
            {
                await db.DisposeAsync();
            }
            return batch;
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    private async Task<Batch?> PrepareAsync(DashboardDb db, int maxUploads, long afterUploadId, IReadOnlyDictionary<string, Article>? inFlight, IReadOnlyCollection<long> skipSpooled,
        Task? write, CancellationToken cancellationToken)
    {
        var started = IngestTimings.Start();
        // A queued upload without content is spooled: it is processed on its own, in chunks (see ProcessSpooledAsync).
        var (uploads, spooled) = await QueueReader.ReadAsync(db, afterUploadId, maxUploads, MaxBatchBytes, skipSpooled, cancellationToken);
        if (spooled is { } spooledId)
        {
            return new Batch(db, [], [], new Dictionary<string, Article>(StringComparer.Ordinal), spooledId, 1) { Spooled = spooledId };
        }
        if (uploads.Count == 0)
        {
            return null;
        }

        var outcomes = uploads.Select(u => new Outcome(u)).ToList();
        // Parsing (decoding, format detection, hashing) is CPU work per file: spread it over the cores too (all but the
        // writer's while a batch is written, see Cores).
        using (var segments = new UploadSpool.SegmentReader(spool))
        {
            Cores.For(outcomes.Count, write, i => Parse(outcomes[i], segments), cancellationToken);
        }
        await QueuePagesAsync(outcomes, cancellationToken);

        var (articles, pending) = await ClassifyAndExtractAsync(db, outcomes, inFlight, write, cancellationToken);
        var mentions = MentionGroups.Of(articles);
        IngestTimings.Add(IngestTimings.Phase.Preparation, started);
        return new Batch(db, outcomes, articles, pending, uploads[^1].Id, uploads.Count) { Mentions = mentions };
    }

    /// <summary>
    /// Sorts each outcome's items into already stored (by normalised text or canonical URL), repeats of an
    /// earlier item (in this batch or in <paramref name="inFlight"/>), and new articles, which are extracted.
    /// </summary>
    private async Task<(List<ArticleWriter.ArticleRows> Articles, Dictionary<string, Article> Pending)> ClassifyAndExtractAsync(
        DashboardDb db, List<Outcome> outcomes, IReadOnlyDictionary<string, Article>? inFlight, Task? write, CancellationToken cancellationToken)
    {
        // Which articles are already stored, by normalised text or by canonical URL: one query each for the batch.
        var hashes = outcomes.SelectMany(o => o.Items).Select(i => i.Hash).Distinct().ToList();
        var stored = new Dictionary<string, (long Id, string Title)>(StringComparer.Ordinal);
        foreach (var chunk in hashes.Chunk(500))
        {
            foreach (var row in await db.Articles.Where(a => chunk.Contains(a.ContentHash)).Select(a => new { a.ContentHash, a.Id, a.Title }).ToListAsync(cancellationToken))
            {
                stored[row.ContentHash] = (row.Id, row.Title);
            }
        }
        var urls = outcomes.SelectMany(o => o.Items).Select(i => NearDuplicates.CanonicalUrl(i.Parsed.Url)).OfType<string>().Distinct().ToList();
        var storedUrls = new Dictionary<string, (long Id, string Title)>(StringComparer.Ordinal);
        foreach (var chunk in urls.Chunk(500))
        {
            foreach (var row in await db.Articles.Where(a => a.CanonicalUrl != null && chunk.Contains(a.CanonicalUrl)).Select(a => new { a.CanonicalUrl, a.Id, a.Title }).ToListAsync(cancellationToken))
            {
                storedUrls[row.CanonicalUrl!] = (row.Id, row.Title);
            }
        }

        // An article a user deleted stays deleted when a feed that still carries it (or the same archive) brings it again.
        if (await db.DeletedArticles.AnyAsync(cancellationToken))
        {
            foreach (var chunk in hashes.Chunk(500))
            {
                foreach (var row in await db.DeletedArticles.Where(d => chunk.Contains(d.ContentHash)).Select(d => new { d.ContentHash, d.ArticleId, d.Title, d.DeletedAt }).ToListAsync(cancellationToken))
                {
                    stored.TryAdd(row.ContentHash, (row.ArticleId, Deleted(row.Title, row.DeletedAt)));
                }
            }
            foreach (var chunk in urls.Chunk(500))
            {
                foreach (var row in await db.DeletedArticles.Where(d => d.CanonicalUrl != null && chunk.Contains(d.CanonicalUrl)).Select(d => new { d.CanonicalUrl, d.ArticleId, d.Title, d.DeletedAt }).ToListAsync(cancellationToken))
                {
                    storedUrls.TryAdd(row.CanonicalUrl!, (row.ArticleId, Deleted(row.Title, row.DeletedAt)));
                }
            }
        }

        var now = clock.GetUtcNow().UtcDateTime;
        // Articles of the batch being written meanwhile count as stored: their ids are known when this batch is written.
        var inBatch = inFlight is null ? new Dictionary<string, Article>(StringComparer.Ordinal) : new Dictionary<string, Article>(inFlight, StringComparer.Ordinal);
        var pending = new Dictionary<string, Article>(StringComparer.Ordinal);
        var toExtract = new List<(Outcome Outcome, Article Article)>();
        foreach (var outcome in outcomes.Where(o => o.Failure is null))
        {
            foreach (var (item, hash) in outcome.Items)
            {
                var canonicalUrl = NearDuplicates.CanonicalUrl(item.Url);
                if (stored.TryGetValue(hash, out var existing) || (canonicalUrl is not null && storedUrls.TryGetValue(canonicalUrl, out existing)))
                {
                    outcome.AddDuplicate(existing);
                }
                else if (inBatch.TryGetValue(hash, out var earlier) || (canonicalUrl is not null && inBatch.TryGetValue("url:" + canonicalUrl, out earlier)))
                {
                    outcome.AddRepeat(earlier);
                }
                else
                {
                    var article = new Article
                    {
                        Title = item.Title,
                        Text = item.Text,
                        PublishedDate = item.Date ?? DateOnly.FromDateTime(outcome.Upload.ReceivedAt),
                        DateIsFallback = item.Date is null || item.DateIsFallback,
                        Source = item.Source,
                        Url = item.Url,
                        CanonicalUrl = canonicalUrl,
                        PublishedAt = item.PublishedAt,
                        Author = item.Author,
                        ContentHash = hash,
                        IngestedAt = now,
                        FeedId = outcome.Upload.FeedId,
                    };
                    inBatch[hash] = pending[hash] = article;
                    if (canonicalUrl is not null)
                    {
                        inBatch["url:" + canonicalUrl] = pending["url:" + canonicalUrl] = article;
                    }
                    outcome.Fresh.Add(article);
                    toExtract.Add((outcome, article));
                }
            }
        }

        // Extraction is the CPU-heavy step: spread it over the cores the writer leaves (Cores). The extractor is thread-safe.
        var extractions = new ArticleWriter.ArticleRows?[toExtract.Count];
        Cores.For(toExtract.Count, write, i =>
        {
            var (outcome, article) = toExtract[i];
            article.Fingerprint = NearDuplicates.Fingerprint(article.Text);
            article.LeadHash = NearDuplicates.LeadHash(article.Text);
            try
            {
                extractions[i] = ArticleWriter.Rows(article, extractor.Extract(article.Title, article.Text, article.PublishedDate));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Extraction crashed on {File}", outcome.Upload.FileName);
                lock (outcome)
                {
                    outcome.Failure ??= $"{outcome.Upload.FileName}: finding countries, actors and topics in \"{article.Title}\" failed ({ex.GetType().Name}: {ex.Message})";
                }
            }
        }, cancellationToken);
        var articles = new List<ArticleWriter.ArticleRows>();
        for (var i = 0; i < toExtract.Count; i++)
        {
            if (toExtract[i].Outcome.Failure is null)
            {
                articles.Add(extractions[i]!);
            }
        }
        return (articles, pending);
    }


    /// <summary>How a deleted article is named in an upload's reason: duplicate of article 12 "Title [deleted on 2026-11-29]".</summary>
    private static string Deleted(string title, DateTime deletedAt) => $"{title} [deleted on {deletedAt:yyyy-MM-dd}]";

    /// <summary>Writes a prepared batch: articles, mentions, counts and upload statuses in one transaction.</summary>
    /// <param name="counts">Holds the batch's counts while more uploads wait (a bulk import); null to count them in this transaction.</param>
    private async Task WriteAsync(Batch batch, DeferredCounts? counts, CancellationToken cancellationToken)
    {
        var db = batch.Db;
        var now = clock.GetUtcNow().UtcDateTime;
        List<long> released = [];
        var moreFollow = false;
        // Uploads waiting to be queued go first: this transaction holds the store's write lock for seconds.
        await InBulkTransactionAsync(db, counts, SqliteSetup.BulkWriteCacheKib, async () =>
        {
            moreFollow = counts is not null && await QueueReader.HasQueuedAfterAsync(db, batch.LastUploadId, cancellationToken);
            // A correction made while the batch was extracted is in force now: the articles it touches are read again.
            var groups = extractor.Refresh(batch.Articles) ? null : batch.Mentions;
            await ArticleWriter.WriteAsync(db, batch.Articles, counts, moreFollow, cancellationToken, groups);
            foreach (var outcome in batch.Outcomes)
            {
                Finish(outcome, now);
            }
            var phase = IngestTimings.Start();
            await ArticleWriter.FinishUploadsAsync(db, batch.Outcomes.Select(o => o.Upload), cancellationToken, SegmentBytes);
            released = QueueWriter.ReleaseSegments(db.Database.GetDbConnection(),
                batch.Outcomes.Select(o => o.Upload.SegmentId).OfType<long>().Distinct());
            IngestTimings.Add(IngestTimings.Phase.UploadStatuses, phase);
        }, cancellationToken);
        SqliteSetup.CheckpointInBackground(db, logger, moreWritesFollow: moreFollow, writeTurns);
        // Segments none of whose files is queued any more: their rows went with the batch's commit (a crash before this
        // leaves files without rows, which the next start deletes).
        foreach (var segment in released)
        {
            spool.ReleaseSegment(segment);
        }

        // A failure gets a line of its own (it names the file and the problem); a bulk import's thousands of stored
        // uploads get one line per batch, so the log stays readable.
        foreach (var outcome in batch.Outcomes)
        {
            var upload = outcome.Upload;
            logger.Log(upload.Status == UploadStatus.Failed ? LogLevel.Warning : LogLevel.Debug,
                "Upload {Id} ({File}): {Status} {Reason}", upload.Id, upload.FileName, upload.Status, upload.Reason);
            notifier.Publish(new UploadProcessed(upload.Id, upload.Status, upload.Reason, upload.ArticleId));
        }
        logger.LogInformation("{Uploads} uploads processed: {Articles} articles stored, {Duplicates} duplicates, {Failed} failed",
            batch.Outcomes.Count, batch.Articles.Count, batch.Outcomes.Count(o => o.Upload.Status == UploadStatus.Duplicate),
            batch.Outcomes.Count(o => o.Upload.Status == UploadStatus.Failed));
        foreach (var (article, _) in batch.Articles)
        {
            notifier.Publish(new ArticleStored(article.Id, article.Title, article.PublishedDate));
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one bulk transaction (see <see cref="SqliteSetup.BeginBulkWriteAsync"/>) while
    /// holding this process's write turn, and commits it; the counts <paramref name="counts"/> holds follow the
    /// transaction's fate (kept when it commits, counted from the store when it fails).
    /// </summary>
    private async Task InBulkTransactionAsync(DashboardDb db, DeferredCounts? counts, int cacheKib, Func<Task> write, CancellationToken cancellationToken)
    {
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            await SqliteSetup.BeginBulkWriteAsync(db, cancellationToken, cacheKib);
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await write();
                var phase = IngestTimings.Start();
                await transaction.CommitAsync(cancellationToken);
                IngestTimings.Add(IngestTimings.Phase.Commits, phase);
                counts?.Committed();
            }
            catch
            {
                counts?.Abandon();
                throw;
            }
            finally
            {
                await SqliteSetup.EndBulkWriteAsync(db);
            }
        }
    }

    /// <summary>Writes the counts a bulk import holds, in a transaction of their own (the queue is empty, or a spooled upload comes next).</summary>
    private async Task FlushCountsAsync(DeferredCounts counts, CancellationToken cancellationToken)
    {
        if (counts.IsEmpty)
        {
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await InBulkTransactionAsync(db, counts, SqliteSetup.BulkWriteCacheKib, async () =>
        {
            var phase = IngestTimings.Start();
            await counts.FlushAsync(db.Database.GetDbConnection(), db.Database.CurrentTransaction!.GetDbTransaction(), cancellationToken);
            IngestTimings.Add(IngestTimings.Phase.Counts, phase);
        }, cancellationToken);
        notifier.Publish(new CountsWritten());
    }

    /// <summary>Counts the articles an import stored and a crash (or a failed write) left uncounted.</summary>
    private async Task CatchUpCountsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        if (await DailyCounts.UncountedAsync(db.Database.GetDbConnection(), null, cancellationToken) == 0)
        {
            return;
        }
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            await DailyCounts.CatchUpAsync(db, cancellationToken);
        }
        notifier.Publish(new CountsWritten());
    }

    /// <summary>
    /// Articles per transaction of a spooled upload (a large archive): far fewer than a queue batch, so memory stays flat.
    /// Two chunks are in flight (one written, the next extracted), and a server ingests an archive on top of its
    /// co-mention index: <c>tools/measure-import-memory.sh</c> over 969,859 articles (stop 32, 20,000 articles as one
    /// JSON Lines file) peaked at 493 MB with 512 and at 523 MB with 1,024 (488 MB in 38 s for stop 31's one chunk at a
    /// time, against 28 and 30 s). Larger chunks write faster (<c>bench archive --mb 1024</c>: 222 s at 512, 174 s at
    /// 1,024 with an 8 MB cache, 149 s at 2,048), each commit rewriting the index pages its articles touched.
    /// </summary>
    private const int SpooledChunkItems = 512;

    /// <summary>Characters of article text per transaction of a spooled upload: bounds memory whatever the file's size.</summary>
    private const int SpooledChunkChars = 8 * 1024 * 1024;

    /// <summary>
    /// The page cache of a spooled chunk's write, in KiB: SQLite's default, not a queue batch's
    /// (<see cref="SqliteSetup.BulkWriteCacheKib"/>). A chunk touches far fewer pages than a batch of 8,192 articles, and
    /// the C library keeps a freed page cache in the memory pool of the thread that wrote it, one pool per thread that
    /// wrote: <c>bench archive --mb 300</c> (stop 32, chunks of 1,024) peaked at 451 to 497 MB resident with 32 MB
    /// caches, 369 and 399 MB with 8 MB and 345 to 356 MB with 2 MB, at the same speed (34 to 42 s); the server's import
    /// above, 574 MB with 8 MB against 523 MB with 2 MB.
    /// </summary>
    private const int SpooledWriteCacheKib = SqliteSetup.DefaultCacheKib;

    /// <summary>
    /// Processes a spooled upload (a large archive or JSON Lines file) in chunks of at most <see cref="SpooledChunkItems"/>
    /// articles: each chunk's articles are written in their own transaction and the position reached is recorded,
    /// so memory stays flat and a restart resumes where the last chunk ended. The upload's status changes with the
    /// last chunk. False when another worker holds the upload.
    /// </summary>
    /// <remarks>
    /// A pipeline of two, as <see cref="DrainAsync"/> runs the queue: the next chunk is read, parsed and extracted while
    /// one is written, and the writes are bulk writes (no checkpoint inside the commit, no foreign-key checks, and the
    /// counts held across chunks). Until stop 32 the chunks were read, extracted and written in turn, each in an ordinary
    /// transaction whose commit copied the log into the database: a 1 GB archive (297,591 articles) took 300 s on one
    /// core, a third of it in the kernel; 222 s since (see <see cref="SpooledChunkItems"/> for what bounds it).
    /// </remarks>
    private async Task<bool> ProcessSpooledAsync(long uploadId, CancellationToken cancellationToken)
    {
        using var claim = spool.TryLock(uploadId);
        if (claim is null)
        {
            return false;
        }
        Upload? upload;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            upload = await db.Uploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == uploadId && u.Status == UploadStatus.Queued, cancellationToken);
        }
        if (upload is null)
        {
            // Finished by another worker between the queue read and the claim.
            return true;
        }
        var progress = spool.ReadProgress(uploadId);
        var counts = new DeferredCounts();
        // Where the last run stopped (the writes move the progress on while the reader reads).
        var (fromEntry, fromItem) = (progress.Entry, progress.Item);
        using var items = new SpooledItems(spool.Has(uploadId)
            ? () => SpooledArticles.Read(upload.FileName, spool.PathOf(uploadId), fromEntry, fromItem)
            : null);
        var chunk = await ReadSpooledChunkAsync(upload, items, null, null, cancellationToken);
        try
        {
            while (chunk is not null)
            {
                var current = chunk;
                chunk = null;
                var writing = Task.Run(() => WriteSpooledChunkAsync(upload, current, progress, counts, cancellationToken), cancellationToken);
                Task<SpooledChunk>? reading = null;
                try
                {
                    if (!current.Last)
                    {
                        // Its articles count as stored already: the chunk being written holds them.
                        reading = Task.Run(() => ReadSpooledChunkAsync(upload, items, current.Pending, writing, cancellationToken), cancellationToken);
                        // Never left running: the reader and the items it reads belong to this call.
                        await Task.WhenAll(reading, writing).ContinueWith(_ => { }, TaskScheduler.Default);
                    }
                    await writing;
                    chunk = reading is null ? null : await reading;
                }
                catch
                {
                    if (reading is { IsCompletedSuccessfully: true })
                    {
                        reading.Result.Dispose();
                    }
                    throw;
                }
                finally
                {
                    current.Dispose();
                }
            }
        }
        finally
        {
            chunk?.Dispose();
            if (!counts.IsEmpty)
            {
                // Stopped between chunks (a shutdown, a failed write): what is held is written now if the store lets
                // it, and otherwise counted from the store by the next drain (see DeferredCounts).
                try
                {
                    await FlushCountsAsync(counts, CancellationToken.None);
                }
                catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or DbUpdateException)
                {
                    logger.LogWarning(ex, "Counts of {File} left to the next drain", upload.FileName);
                }
            }
        }
        return true;
    }

    /// <summary>The items of a spooled upload, read a chunk at a time by whichever thread prepares the next chunk.</summary>
    /// <param name="open">Opens the file's reader, on the first read (opening checks an archive whole, and can throw).</param>
    private sealed class SpooledItems(Func<IEnumerable<SpooledItem>>? open) : IDisposable
    {
        private IEnumerator<SpooledItem>? _items;

        /// <summary>The spooled file was gone when processing began.</summary>
        public bool IsMissing => open is null;

        /// <summary>The next item; false at the end. Throws what the file's reader throws (a broken entry, a bad archive).</summary>
        public bool Next(out SpooledItem item)
        {
            _items ??= open!().GetEnumerator();
            var more = _items.MoveNext();
            item = more ? _items.Current : null!;
            return more;
        }

        public void Dispose() => _items?.Dispose();
    }

    /// <summary>A chunk of a spooled upload read and extracted, waiting to be written; the last one carries the upload's end.</summary>
    private sealed class SpooledChunk(DashboardDb db, List<Outcome> outcomes, List<ArticleWriter.ArticleRows> articles, Dictionary<string, Article> pending,
        MentionGroups mentions, List<SpooledItem> pages, List<string> problems, SpooledItem? end, bool last, string? failure) : IDisposable
    {
        public DashboardDb Db { get; } = db;
        public List<Outcome> Outcomes { get; } = outcomes;
        public List<ArticleWriter.ArticleRows> Articles { get; } = articles;
        public Dictionary<string, Article> Pending { get; } = pending;
        public MentionGroups Mentions { get; } = mentions;

        /// <summary>Rows that only link to their page, queued for the link fetcher before the chunk's position is recorded.</summary>
        public List<SpooledItem> Pages { get; } = pages;

        /// <summary>Entries or rows that could not be read, each named.</summary>
        public List<string> Problems { get; } = problems;

        /// <summary>The last item read: the position recorded once the chunk is stored (null for the last chunk).</summary>
        public SpooledItem? End { get; } = end;

        public bool Last { get; } = last;

        /// <summary>Why reading stopped before the end of the file (the last chunk only).</summary>
        public string? Failure { get; } = failure;

        public void Dispose() => Db.Dispose();
    }

    /// <summary>
    /// Reads the next chunk of a spooled upload and extracts its articles. Reads only: nothing is written until
    /// <see cref="WriteSpooledChunkAsync"/>.
    /// </summary>
    /// <param name="inFlight">The new articles of the chunk being written meanwhile, by content hash and canonical URL.</param>
    /// <param name="write">The write of the chunk before this one, while it runs: its core is left to it (see <see cref="Cores"/>).</param>
    private async Task<SpooledChunk> ReadSpooledChunkAsync(Upload upload, SpooledItems items, IReadOnlyDictionary<string, Article>? inFlight, Task? write,
        CancellationToken cancellationToken)
    {
        var started = IngestTimings.Start();
        var read = new List<SpooledItem>();
        var pages = new List<SpooledItem>();
        var problems = new List<string>();
        long chars = 0;
        string? failure = null;
        var last = false;
        SpooledItem? end = null;
        try
        {
            if (items.IsMissing)
            {
                throw new ArticleParseException($"{upload.FileName}: the spooled file is missing from {spool.Folder}; upload it again");
            }
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!items.Next(out var item))
                {
                    last = true;
                    break;
                }
                end = item;
                if (item.Problem is not null)
                {
                    problems.Add(item.Problem);
                }
                else if (item.Page is not null)
                {
                    pages.Add(item);
                }
                else
                {
                    read.Add(item);
                    chars += item.Article!.Text.Length;
                }
                if (read.Count == SpooledChunkItems || pages.Count == SpooledChunkItems || chars >= SpooledChunkChars)
                {
                    break;
                }
            }
        }
        catch (ArticleParseException ex)
        {
            (failure, last) = (ex.Message, true);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException && spool.Has(upload.Id))
        {
            (failure, last) = ($"{upload.FileName}: could not be read ({ex.Message})", true);
        }
        var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        try
        {
            // One outcome per item: an article whose extraction crashes is left out alone, not with its chunk.
            var outcomes = read.Select(_ => new Outcome(upload)).ToList();
            Cores.For(read.Count, write, i => outcomes[i].Items.Add((read[i].Article!, ContentHash(read[i].Article!.Text))), cancellationToken);
            var (articles, pending) = await ClassifyAndExtractAsync(db, outcomes, inFlight, write, cancellationToken);
            var mentions = MentionGroups.Of(articles);
            IngestTimings.Add(IngestTimings.Phase.Preparation, started);
            return new SpooledChunk(db, outcomes, articles, pending, mentions, pages, problems, last ? null : end, last, failure);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Queues a chunk's rows that only link to their page, before the position after them is recorded: a restart that
    /// reads them again finds them waiting already and does not queue them twice.
    /// </summary>
    private async Task QueueSpooledPagesAsync(long listId, List<SpooledItem> pages, SpoolProgress progress, CancellationToken cancellationToken)
    {
        if (pages.Count == 0)
        {
            return;
        }
        // The export's links are one list, named by the export's own upload.
        var queued = await queue.EnqueueLinksAsync(pages.Select(p => new Uri(p.Page!.Url!)).ToList(), cancellationToken, pages.Select(p => LinkHints.From(p.Page!)).ToList(), listId: listId);
        progress.Pages += pages.Count;
        progress.PagesStored += queued.Count(u => u.Status == UploadStatus.Duplicate);
    }

    /// <summary>
    /// Writes a chunk read by <see cref="ReadSpooledChunkAsync"/> in one bulk transaction (the last one also sets the
    /// upload's status), then records the position after it.
    /// </summary>
    /// <param name="counts">Holds the chunks' counts until the last one (or <see cref="DeferredCounts.MaxHold"/>).</param>
    private async Task WriteSpooledChunkAsync(Upload upload, SpooledChunk chunk, SpoolProgress progress, DeferredCounts counts, CancellationToken cancellationToken)
    {
        await QueueSpooledPagesAsync(upload.Id, chunk.Pages, progress, cancellationToken);
        var db = chunk.Db;
        var now = clock.GetUtcNow().UtcDateTime;
        var last = chunk.Last;
        await InBulkTransactionAsync(db, counts, SpooledWriteCacheKib, async () =>
        {
            var groups = extractor.Refresh(chunk.Articles) ? null : chunk.Mentions;
            await ArticleWriter.WriteAsync(db, chunk.Articles, counts, moreFollow: !last, cancellationToken, groups);
            foreach (var problem in chunk.Problems)
            {
                progress.ProblemCount++;
                if (progress.Problems.Count < 5)
                {
                    progress.Problems.Add(problem);
                }
            }
            foreach (var outcome in chunk.Outcomes)
            {
                Tally(progress, outcome);
            }
            if (last)
            {
                var row = await db.Uploads.FirstAsync(u => u.Id == upload.Id, cancellationToken);
                if (row.Status != UploadStatus.Queued)
                {
                    throw new DbUpdateConcurrencyException($"upload {upload.Id} was finished by another worker");
                }
                FinishSpooled(row, progress, chunk.Failure, now);
                upload.Status = row.Status;
                upload.Reason = row.Reason;
                upload.ArticleId = row.ArticleId;
                await db.SaveChangesAsync(cancellationToken);
            }
        }, cancellationToken);
        SqliteSetup.CheckpointInBackground(db, logger, moreWritesFollow: !last, writeTurns);
        // A chunk holds up to 8 M characters whatever its article count: it counts as a quarter of the collection interval at least.
        HeapTrim.AfterBatch(Math.Max(chunk.Articles.Count, HeapTrim.ArticlesPerCollection / 4));
        if (!last && chunk.End is { } end)
        {
            progress.Entry = end.Entry;
            progress.Item = end.Index + 1;
            spool.WriteProgress(upload.Id, progress);
        }
        else if (upload.Status == UploadStatus.Failed)
        {
            // The file stays for a retry after a fix, read from its start again.
            spool.ForgetProgress(upload.Id);
        }
        else
        {
            spool.Release(upload.Id);
        }
        foreach (var rows in chunk.Articles)
        {
            notifier.Publish(new ArticleStored(rows.Article.Id, rows.Article.Title, rows.Article.PublishedDate));
        }
        if (last)
        {
            logger.Log(upload.Status == UploadStatus.Failed ? LogLevel.Warning : LogLevel.Information,
                "Upload {Id} ({File}): {Status} {Reason}", upload.Id, upload.FileName, upload.Status, upload.Reason);
            notifier.Publish(new UploadProcessed(upload.Id, upload.Status, upload.Reason, upload.ArticleId));
        }
    }

    private static void Tally(SpoolProgress progress, Outcome outcome)
    {
        if (outcome.Failure is not null)
        {
            progress.ProblemCount++;
            if (progress.Problems.Count < 5)
            {
                progress.Problems.Add(outcome.Failure);
            }
            return;
        }
        progress.Stored += outcome.Fresh.Count;
        progress.FirstArticleId ??= outcome.Fresh.FirstOrDefault()?.Id;
        foreach (var (id, title) in outcome.Duplicates.Concat(outcome.RepeatsInBatch.Select(a => (a.Id, a.Title))))
        {
            progress.Repeats++;
            if (progress.FirstRepeatId is null)
            {
                progress.FirstRepeatId = id;
                progress.FirstRepeat = title;
            }
        }
    }

    /// <summary>The spooled upload's status and reason, in the words <see cref="Finish"/> uses for any upload.</summary>
    private static void FinishSpooled(Upload upload, SpoolProgress progress, string? failure, DateTime now)
    {
        upload.ProcessedAt = now;
        var problems = progress.ProblemCount == 0
            ? ""
            : $"; {progress.ProblemCount} not read: " + string.Join("; ", progress.Problems) + (progress.ProblemCount > progress.Problems.Count ? "; \u2026" : "");
        var stopped = failure is null ? "" : $"; then stopped: {failure}";
        var links = LinksQueued(progress.Pages, progress.PagesStored);
        if (progress.Stored == 0 && progress.Repeats == 0 && progress.Pages > 0)
        {
            // An export of story links only: it did its part once its links are queued.
            upload.Status = UploadStatus.Stored;
            upload.ArticleId = null;
            upload.Reason = links + problems + stopped;
            return;
        }
        if (links.Length > 0)
        {
            problems = "; " + links + problems;
        }
        if (progress.Stored == 0 && progress.Repeats == 0)
        {
            upload.Status = UploadStatus.Failed;
            upload.ArticleId = null;
            upload.Reason = failure ?? (progress.ProblemCount > 0
                ? $"{upload.FileName}: no article could be read{problems}"
                : $"{upload.FileName}: no articles found in the file");
            return;
        }
        if (progress.Stored == 0)
        {
            upload.Status = UploadStatus.Duplicate;
            upload.ArticleId = progress.FirstRepeatId;
            upload.Reason = (progress.Repeats == 1
                ? $"duplicate of article {progress.FirstRepeatId} \"{progress.FirstRepeat}\""
                : $"all {progress.Repeats} articles are already stored (first: duplicate of article {progress.FirstRepeatId} \"{progress.FirstRepeat}\")") + problems + stopped;
            return;
        }
        upload.Status = UploadStatus.Stored;
        upload.ArticleId = progress.FirstArticleId;
        upload.Reason = $"{progress.Stored} article{(progress.Stored == 1 ? "" : "s")} stored" + (progress.Repeats > 0 ? $", {progress.Repeats} already stored" : "") + problems + stopped;
    }

    /// <summary>
    /// Queues the pages that files of the batch only link to, before the batch is written: if the process dies in
    /// between, the upload is read again and its links, already waiting, are not queued twice.
    /// </summary>
    private async Task QueuePagesAsync(List<Outcome> outcomes, CancellationToken cancellationToken)
    {
        foreach (var outcome in outcomes.Where(o => o.Failure is null && o.Pages.Count > 0))
        {
            // A link to a story the same upload carries with its text (an archive holding an export of links beside
            // one of articles) is that story: stored from here, never fetched from the web.
            var carried = outcome.Items.Select(i => NearDuplicates.CanonicalUrl(i.Parsed.Url)).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var elsewhere = carried.Count == 0 ? outcome.Pages
                : [.. outcome.Pages.Where(p => NearDuplicates.CanonicalUrl(p.Url) is not { } key || !carried.Contains(key))];
            var pages = elsewhere.Take(IngestQueue.MaxLinks).ToList();
            var queued = await queue.EnqueueLinksAsync(pages.Select(p => new Uri(p.Url!)).ToList(), cancellationToken, pages.Select(LinkHints.From).ToList(), listId: outcome.Upload.Id);
            outcome.PagesStored = outcome.Pages.Count - elsewhere.Count + queued.Count(u => u.Status == UploadStatus.Duplicate);
            if (elsewhere.Count > pages.Count)
            {
                outcome.AddProblem($"{outcome.Upload.FileName}: {elsewhere.Count - pages.Count:N0} more links than the {IngestQueue.MaxLinks:N0} queued from one file: split it");
                outcome.KeepPages(outcome.Pages.Count - (elsewhere.Count - pages.Count));
            }
        }
    }

    private void Parse(Outcome outcome, UploadSpool.SegmentReader segments)
    {
        var upload = outcome.Upload;
        try
        {
            if (upload is { Content: null, SegmentId: { } segment, SegmentOffset: { } offset, SegmentLength: { } length })
            {
                try
                {
                    upload.Content = segments.Read(segment, offset, length);
                }
                catch (IOException ex)
                {
                    throw new ArticleParseException($"{upload.FileName}: {ex.Message}; upload it again");
                }
            }
            var read = ArticleParser.Read(upload.FileName, upload.Content ?? [], pagesToFetch: true);
            foreach (var item in read.Articles)
            {
                outcome.Items.Add((item, ContentHash(item.Text)));
            }
            outcome.AddPages(read.Pages);
            // Entries of an archive or items of a feed that could not be read are named in the upload's reason.
            outcome.AddProblems(read.FailedEntries.Select(f => $"{f.Entry}: {f.Reason}"));
            outcome.AddProblems(read.Skipped);
        }
        catch (ArticleParseException ex)
        {
            outcome.Failure = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A parser bug must fail this one item, not stop the queue behind it.
            logger.LogError(ex, "Parsing {File} crashed", upload.FileName);
            outcome.Failure = $"{upload.FileName}: could not be read ({ex.GetType().Name}: {ex.Message})";
        }
        if (outcome.Failure is null && outcome.Items.Count == 0 && outcome.Pages.Count == 0)
        {
            outcome.Failure = $"{upload.FileName}: no articles found in the file";
        }
        // Read once: the bytes stay in the store (kept there for a retry when the upload fails), not in the batch's memory.
        upload.Content = null;
    }

    /// <summary>
    /// The bytes of a failed upload of a spool segment, kept in the queue table for a retry (the segment goes once none of
    /// its files is queued); null when they cannot be read any more, and the upload cannot be retried.
    /// </summary>
    private byte[]? SegmentBytes(Upload upload)
    {
        if (upload is not { SegmentId: { } segment, SegmentOffset: { } offset, SegmentLength: { } length })
        {
            return null;
        }
        try
        {
            using var reader = new UploadSpool.SegmentReader(spool);
            return reader.Read(segment, offset, length);
        }
        catch (IOException ex)
        {
            logger.LogWarning("Upload {Id} ({File}) failed and {Problem}: it cannot be retried", upload.Id, upload.FileName, ex.Message);
            return null;
        }
    }

    /// <summary>Sets the upload's status and reason. Failed items keep their bytes so they can be retried after a fix.</summary>
    private static void Finish(Outcome outcome, DateTime now)
    {
        var upload = outcome.Upload;
        upload.ProcessedAt = now;
        if (outcome.Failure is not null)
        {
            upload.Status = UploadStatus.Failed;
            upload.Reason = outcome.Failure;
            upload.ArticleId = null;
            return;
        }
        var repeats = outcome.Duplicates.Concat(outcome.RepeatsInBatch.Select(a => (a.Id, a.Title))).ToList();
        var links = LinksQueued(outcome.Pages.Count, outcome.PagesStored);
        if (outcome.Fresh.Count == 0 && repeats.Count == 0)
        {
            // A file of story links only (an export of a search): it did its part once its links are queued.
            upload.Status = UploadStatus.Stored;
            upload.ArticleId = null;
            upload.Reason = links + Problems(outcome);
            return;
        }
        var after = (links.Length > 0 ? "; " + links : "") + Problems(outcome);
        if (outcome.Fresh.Count == 0)
        {
            var (id, title) = repeats[0];
            upload.Status = UploadStatus.Duplicate;
            upload.ArticleId = id;
            upload.Reason = (repeats.Count == 1
                ? $"duplicate of article {id} \"{title}\""
                : $"all {repeats.Count} articles are already stored (first: duplicate of article {id} \"{title}\")") + after;
            return;
        }
        upload.Status = UploadStatus.Stored;
        upload.ArticleId = outcome.Fresh[0].Id;
        upload.Reason = outcome.Fresh.Count + repeats.Count == 1 && after.Length == 0
            ? null
            : $"{outcome.Fresh.Count} article{(outcome.Fresh.Count == 1 ? "" : "s")} stored" + (repeats.Count > 0 ? $", {repeats.Count} already stored" : "") + after;
    }

    /// <summary>What became of a file's rows that only link to their page: "3 links without text: 2 queued to fetch their pages, 1 already stored".</summary>
    private static string LinksQueued(int pages, int stored)
    {
        var fetching = pages - stored;
        return pages == 0 ? ""
            : $"{pages:N0} link{(pages == 1 ? "" : "s")} without text: "
              + (fetching == 0 ? (pages == 1 ? "already stored" : "all already stored")
                 : $"{fetching:N0} queued to fetch {(fetching == 1 ? "its page" : "their pages")}" + (stored > 0 ? $", {stored:N0} already stored" : ""));
    }

    /// <summary>The first few entries that could not be read, so a long archive's reason stays readable.</summary>
    private static string Problems(Outcome outcome) =>
        outcome.Problems.Count == 0
            ? ""
            : $"; {outcome.Problems.Count} not read: " + string.Join("; ", outcome.Problems.Take(5)) + (outcome.Problems.Count > 5 ? "; \u2026" : "");

    /// <summary>For each ASCII character: ' ' for white space (the space included), else the character lower-cased.</summary>
    private static readonly char[] AsciiFolded = Enumerable.Range(0, 128)
        .Select(c => char.IsWhiteSpace((char)c) ? ' ' : char.ToLowerInvariant((char)c))
        .ToArray();

    /// <summary>SHA-256 over the text with case and whitespace folded: the same article re-uploaded hashes the same.</summary>
    public static string ContentHash(string text)
    {
        // Pooled buffers: this runs for every item of every upload, and the text is kilobytes long.
        var normalised = ArrayPool<char>.Shared.Rent(Math.Max(1, text.Length));
        try
        {
            var length = Ascii.IsValid(text) ? FoldAscii(text, normalised) : Fold(text, normalised);
            var chars = normalised.AsSpan(0, length);
            var bytes = ArrayPool<byte>.Shared.Rent(Math.Max(1, Encoding.UTF8.GetMaxByteCount(length)));
            try
            {
                var count = Encoding.UTF8.GetBytes(chars, bytes);
                Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
                SHA256.HashData(bytes.AsSpan(0, count), hash);
                return Convert.ToHexStringLower(hash);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(bytes);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(normalised);
        }
    }

    /// <summary>
    /// The text lower-cased with runs of white space as one space and none at either end, character by character.
    /// Every character is written, and the position moves on unless it is white space after white space (or at the
    /// start), so there is no branch per word to mispredict.
    /// </summary>
    private static int Fold(string text, char[] normalised)
    {
        var length = 0;
        var afterSpace = 1;
        var folded = AsciiFolded;
        foreach (var c in text)
        {
            var lower = c < 128 ? folded[c] : char.IsWhiteSpace(c) ? ' ' : char.ToLowerInvariant(c);
            var isSpace = lower == ' ' ? 1 : 0;
            normalised[length] = lower;
            length += 1 - (isSpace & afterSpace);
            afterSpace = isSpace;
        }
        return length > 0 && normalised[length - 1] == ' ' ? length - 1 : length;
    }

    /// <summary>
    /// <see cref="Fold"/> for ASCII text, in vectorised passes: lower-case the whole, make the other white space
    /// characters spaces, then close up where spaces meet. Parsed texts have single spaces between words and a few
    /// paragraph breaks, so the last two passes find a few dozen places, where the loop above visits every character
    /// (a third of a bulk import's content hashing).
    /// </summary>
    private static int FoldAscii(string text, char[] normalised)
    {
        Ascii.ToLower(text, normalised, out var length);
        var span = normalised.AsSpan(0, length);
        for (var at = span.IndexOfAny(OtherAsciiWhiteSpace); at >= 0; at = span.IndexOfAny(OtherAsciiWhiteSpace))
        {
            span[at] = ' ';
            span = span[(at + 1)..];
        }
        span = normalised.AsSpan(0, length);
        var write = 0;
        var read = 0;
        while (read < span.Length)
        {
            var next = span[read..].IndexOf("  ");
            var end = next < 0 ? span.Length : read + next + 1;
            span[read..end].CopyTo(span[write..]);
            write += end - read;
            read = end;
            while (read < span.Length && span[read] == ' ')
            {
                read++;
            }
        }
        span = span[..write].Trim(' ');
        span.CopyTo(normalised);
        return span.Length;
    }

    /// <summary>The ASCII characters that <see cref="char.IsWhiteSpace(char)"/> takes for white space, the space aside.</summary>
    private static readonly SearchValues<char> OtherAsciiWhiteSpace =
        SearchValues.Create(Enumerable.Range(0, 128).Select(c => (char)c).Where(c => c != ' ' && char.IsWhiteSpace(c)).ToArray());
}
