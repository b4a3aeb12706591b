using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Dashboard.Web.Extraction;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Dashboard.Web.Data;

/// <summary>
/// Writes a batch of new articles (indexed for search as they are inserted) with their mentions, new entities and
/// aliases inside the caller's transaction, through prepared statements. This is the ingestion hot path: EF's change
/// tracker costs more than the extraction itself at tens of thousands of mention rows, so the inserts are plain SQL
/// (portable: INSERT ... RETURNING and ON CONFLICT DO NOTHING work on SQLite and PostgreSQL alike).
/// </summary>
public static class ArticleWriter
{
    /// <summary>One mention row to write: the entity by kind and key (its id is known only in the writer's transaction).</summary>
    /// <remarks>
    /// A value, whose spans and other names are pieces of one string and one array per article: a prepared batch waits
    /// seconds for the writer, through collections that copy every object it holds, and its mention rows were most of
    /// them (a heap dump in the middle of a bulk import counted about 135 live objects per prepared article: 18 rows, 18
    /// span strings, and a list, an array and strings for the other names of most rows).
    /// </remarks>
    public readonly record struct MentionRow(EntityKind Kind, string Key, string Name, int Count, bool IsFocus, double Score, ReadOnlyMemory<char> Spans, ArraySegment<string> Aliases);

    /// <summary>An article with its rows, computed before the write (in parallel, off the single writer's thread).</summary>
    public sealed record ArticleRows(Article Article, IReadOnlyList<MentionRow> Mentions);

    /// <summary>
    /// The other names articles call entities by, each kept once and shared by every row that uses it ("Iranian",
    /// "Tehran's"): a prepared article held about ten such strings of its own, each one more object for the collector to
    /// copy while its batch waits for the writer. Bounded, so a long-running server does not keep every name it ever read.
    /// </summary>
    internal static class OtherNames
    {
        private const int MaxKept = 200_000;
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> s_kept = new(StringComparer.Ordinal);
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> s_bySpan =
            s_kept.GetAlternateLookup<ReadOnlySpan<char>>();
        private static int s_count;

        public static string Shared(ReadOnlySpan<char> name)
        {
            if (s_bySpan.TryGetValue(name, out var kept))
            {
                return kept;
            }
            var text = name.ToString();
            if (Volatile.Read(ref s_count) < MaxKept && s_kept.TryAdd(text, text))
            {
                Interlocked.Increment(ref s_count);
            }
            return text;
        }
    }

    [ThreadStatic]
    private static System.Text.StringBuilder? t_spansText;

    [ThreadStatic]
    private static List<string>? t_names;

    [ThreadStatic]
    private static List<MentionSpan>? t_spans;

    [ThreadStatic]
    private static Dictionary<(EntityKind, string), int>? t_first;

    [ThreadStatic]
    private static List<int>? t_heads;

    [ThreadStatic]
    private static int[]? t_next;

    [ThreadStatic]
    private static int[]? t_last;

    [ThreadStatic]
    private static HashSet<string>? t_topics;

    [ThreadStatic]
    private static List<(int Head, bool IsFocus, int Count, int SpansStart, int SpansLength, int NamesStart)>? t_pieces;

    /// <summary>The rows an extraction becomes: one per entity with its spans, and one per topic.</summary>
    /// <remarks>
    /// Runs for every article of a bulk import, beside the writer: entities are grouped through a chain of mention
    /// indexes (no list per entity), and a surface form becomes a string only when it is a new alias.
    /// </remarks>
    public static ArticleRows Rows(Article article, ExtractionResult extraction)
    {
        var mentions = extraction.Mentions;
        var focus = extraction.Focus;
        // Entities in the order of their first mention; each mention points to the next one of its entity. The tables
        // are the thread's, reused: only the rows outlive the call.
        var first = t_first ??= [];
        var heads = t_heads ??= [];
        first.Clear();
        heads.Clear();
        if (t_next is null || t_next.Length < mentions.Count)
        {
            t_next = new int[Math.Max(mentions.Count, 64)];
            t_last = new int[t_next.Length];
        }
        var next = t_next;
        var last = t_last!;
        for (var i = 0; i < mentions.Count; i++)
        {
            next[i] = -1;
            if (first.TryGetValue((mentions[i].Kind, mentions[i].Key), out var head))
            {
                next[last[head]] = i;
                last[head] = i;
            }
            else
            {
                first[(mentions[i].Kind, mentions[i].Key)] = i;
                heads.Add(i);
                last[i] = i;
            }
        }
        // An array, not a list: the writer reads each row through one object less (see WriteMentions).
        var rows = new MentionRow[heads.Count + extraction.Topics.Count];
        var count = 0;
        // Every row's spans go into one string, and every row's other names into one array, each row a piece of them.
        // Reused per thread (this runs for every article of a bulk import, on every preparing thread).
        var spansText = t_spansText ??= new System.Text.StringBuilder();
        var names = t_names ??= [];
        var pieces = t_pieces ??= [];
        spansText.Clear();
        names.Clear();
        pieces.Clear();
        // One list for every entity's spans in turn: they are sorted and written out before the next entity's.
        var spans = t_spans ??= [];
        foreach (var head in heads)
        {
            var mention = mentions[head];
            spans.Clear();
            var namesStart = names.Count;
            for (var i = head; i >= 0; i = next[i])
            {
                var m = mentions[i];
                spans.Add(new MentionSpan(m.Start, m.End, m.Field, m.Via));
                // A city or a region locates a country; it is not another name for it ("Buenos Aires" is not Argentina).
                if (m.Via is "city" or "capital" or "region")
                {
                    continue;
                }
                var surface = Surface(article, m);
                if (surface.Length > 0 && !Contains(names, namesStart, surface))
                {
                    // The entity's own name is not copied again ("Iran" for Iran, in most articles that name it).
                    names.Add(surface.SequenceEqual(mention.Name) ? mention.Name : OtherNames.Shared(surface));
                }
            }
            var isFocus = mention.Kind == EntityKind.Country && focus.Contains(mention.Key, StringComparer.Ordinal);
            var spansStart = spansText.Length;
            MentionSpans.AppendInPlace(spans, spansText);
            pieces.Add((head, isFocus, spans.Count, spansStart, spansText.Length - spansStart, namesStart));
        }
        var allSpans = spansText.ToString();
        var allNames = names.ToArray();
        for (var p = 0; p < pieces.Count; p++)
        {
            var (head, isFocus, spanCount, spansStart, spansLength, namesStart) = pieces[p];
            var namesEnd = p + 1 < pieces.Count ? pieces[p + 1].NamesStart : allNames.Length;
            var mention = mentions[head];
            rows[count++] = new MentionRow(mention.Kind, mention.Key, mention.Name, spanCount, isFocus, 0.0, allSpans.AsMemory(spansStart, spansLength),
                new ArraySegment<string>(allNames, namesStart, namesEnd - namesStart));
        }
        if (mentions.Count > 1024)
        {
            // An article with thousands of mentions: its tables are not kept for the ordinary ones after it.
            (t_first, t_heads, t_next, t_last, t_spans) = (null, null, null, null, null);
        }
        var topics = t_topics ??= new HashSet<string>(StringComparer.Ordinal);
        topics.Clear();
        foreach (var topic in extraction.Topics)
        {
            if (topics.Add(topic.Key))
            {
                rows[count++] = new MentionRow(EntityKind.Topic, topic.Key, topic.Name, 1, true, topic.Score, ReadOnlyMemory<char>.Empty, ArraySegment<string>.Empty);
            }
        }
        if (count < rows.Length)
        {
            // A topic the extraction named twice.
            Array.Resize(ref rows, count);
        }
        return new ArticleRows(article, rows);

        static bool Contains(List<string> names, int from, ReadOnlySpan<char> surface)
        {
            for (var i = from; i < names.Count; i++)
            {
                if (surface.SequenceEqual(names[i]))
                {
                    return true;
                }
            }
            return false;
        }
    }

    public static Task WriteAsync(DashboardDb db, IReadOnlyList<(Article Article, ExtractionResult Extraction)> batch, CancellationToken cancellationToken) =>
        WriteAsync(db, batch.Select(b => Rows(b.Article, b.Extraction)).ToList(), cancellationToken);

    public static Task WriteAsync(DashboardDb db, IReadOnlyList<ArticleRows> batch, CancellationToken cancellationToken) =>
        WriteAsync(db, batch, null, false, cancellationToken);

    /// <summary>
    /// Writes the batch; its counts go to <paramref name="deferred"/> when given, which holds them while
    /// <paramref name="moreFollow"/> (a bulk import's next batch is waiting) and writes them with a later batch's.
    /// </summary>
    /// <param name="groups">The batch's mentions grouped by entity (<see cref="MentionGroups.Of"/>), when the caller built
    /// them beside an earlier write; null to group them here.</param>
    public static async Task WriteAsync(DashboardDb db, IReadOnlyList<ArticleRows> batch, DeferredCounts? deferred, bool moreFollow, CancellationToken cancellationToken, MentionGroups? groups = null)
    {
        var (connection, transaction) = Open(db);
        if (batch.Count == 0)
        {
            if (deferred is not null)
            {
                await deferred.EndBatchAsync(connection, transaction, [], moreFollow, cancellationToken);
            }
            return;
        }
        var mentions = 0;
        foreach (var (_, rows) in batch)
        {
            mentions += rows.Count;
        }
        var tally = deferred?.Tally ?? new DailyCounts.Tally(mentions);
        var phase = IngestTimings.Start();
        var stories = FindStoryCandidates(connection, batch, cancellationToken);
        IngestTimings.Add(IngestTimings.Phase.StoryLookups, phase);
        phase = IngestTimings.Start();
        InsertArticles(connection, batch, stories, tally);
        IngestTimings.Add(IngestTimings.Phase.Articles, phase);
        phase = IngestTimings.Start();
        WriteMentions(connection, batch, groups, tally, cancellationToken);
        IngestTimings.Add(IngestTimings.Phase.Mentions, phase);
        phase = IngestTimings.Start();
        if (deferred is null)
        {
            await DailyCounts.ApplyAsync(connection, transaction, tally, cancellationToken);
        }
        else
        {
            await deferred.EndBatchAsync(connection, transaction, batch.Select(b => b.Article.Id).ToList(), moreFollow, cancellationToken);
        }
        IngestTimings.Add(IngestTimings.Phase.Counts, phase);
    }

    /// <summary>Inserts the batch's articles, each joined to the story of an earlier copy it resembles, and indexes them for search.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see WriteMentions
    private static void InsertArticles(DbConnection connection, IReadOnlyList<ArticleRows> batch, Dictionary<long, List<(long Id, long? StoryId, long Fingerprint)>> stories, DailyCounts.Tally tally)
    {
        using (var insertArticle = new SqliteStatement(connection,
            "INSERT INTO Articles (Title, Text, PublishedDate, DateIsFallback, PublishedAt, Source, Url, CanonicalUrl, Author, ContentHash, IngestedAt, Fingerprint, LeadHash, StoryId, FeedId) " +
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"))
        using (var index = new SqliteStatement(connection, FullTextSearch.IndexNewSql))
        {
            foreach (var (article, _) in batch)
            {
                // A near-duplicate joins the story of the earliest copy it resembles (earlier ones in this batch included).
                List<(long Id, long? StoryId, long Fingerprint)>? copies = null;
                if (article.LeadHash != 0 && stories.TryGetValue(article.LeadHash, out copies))
                {
                    foreach (var copy in copies)
                    {
                        if (NearDuplicates.Distance(copy.Fingerprint, article.Fingerprint) <= NearDuplicates.MaxDistance)
                        {
                            article.StoryId = copy.StoryId ?? copy.Id;
                            break;
                        }
                    }
                }
                article.Id = insertArticle.Bind(1, article.Title).Bind(2, article.Text).Bind(3, article.PublishedDate).Bind(4, article.DateIsFallback)
                    .Bind(5, article.PublishedAt).Bind(6, article.Source).Bind(7, article.Url).Bind(8, article.CanonicalUrl).Bind(9, article.Author)
                    .Bind(10, article.ContentHash).Bind(11, article.IngestedAt).Bind(12, article.Fingerprint).Bind(13, article.LeadHash)
                    .Bind(14, article.StoryId).Bind(15, article.FeedId).RunInsert();
                tally.AddArticle(article.PublishedDate, article.Source);
                if (article.LeadHash != 0)
                {
                    if (copies is null)
                    {
                        stories[article.LeadHash] = copies = [];
                    }
                    if (copies.Count < StoryCandidates)
                    {
                        copies.Add((article.Id, article.StoryId, article.Fingerprint));
                    }
                }
            }
            // Indexed for search once all are in (see IndexNewSql).
            index.Bind(1, batch[0].Article.Id).Bind(2, batch[^1].Article.Id).Run();
        }
    }

    /// <summary>
    /// Writes the uploads' new statuses in the caller's transaction, each only if it is still queued: an upload
    /// another worker finished first throws <see cref="DbUpdateConcurrencyException"/>, and the batch rolls back.
    /// One prepared statement instead of the change tracker: this runs for every upload of a bulk import.
    /// </summary>
    /// <param name="segmentBytes">The bytes of a failed upload of a spool segment, kept in the queue table for a retry.</param>
    public static async Task FinishUploadsAsync(DashboardDb db, IEnumerable<Upload> uploads, CancellationToken cancellationToken, Func<Upload, byte[]?>? segmentBytes = null)
    {
        var (connection, _) = Open(db);
        using var update = new SqliteStatement(connection,
            "UPDATE Uploads SET Status = ?1, Reason = ?2, ArticleId = ?3, ProcessedAt = ?4 WHERE Id = ?5 AND Status = ?6");
        using var dropContent = new SqliteStatement(connection, "DELETE FROM UploadContents WHERE UploadId = ?1");
        using var keepContent = new SqliteStatement(connection, "INSERT INTO UploadContents (UploadId, Content) VALUES (?1, ?2)");
        foreach (var upload in uploads)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A failed upload keeps its bytes for a retry; a finished one drops them (a segment's go with their segment).
            update.Bind(1, (int)upload.Status).Bind(2, upload.Reason).Bind(3, upload.ArticleId).Bind(4, upload.ProcessedAt)
                .Bind(5, upload.Id).Bind(6, (int)UploadStatus.Queued);
            if (update.Run() != 1)
            {
                throw new DbUpdateConcurrencyException($"upload {upload.Id} is no longer queued: another worker finished it first");
            }
            if (upload.Status != UploadStatus.Failed)
            {
                if (upload.SegmentId is null)
                {
                    dropContent.Bind(1, upload.Id).Run();
                }
            }
            else if (upload.SegmentId is not null && segmentBytes?.Invoke(upload) is { } bytes)
            {
                keepContent.Bind(1, upload.Id).Blob(2, bytes).Run();
            }
        }
    }

    /// <summary>Earliest stored copies compared per opening-words hash; enough for any real story, bounded for boilerplate openings.</summary>
    private const int StoryCandidates = 50;

    /// <summary>The stored articles sharing an opening with the batch's articles, earliest first.</summary>
    /// <remarks>
    /// One prepared lookup per distinct opening (an index seek each, most finding nothing): queries of 500 named
    /// parameters with a window function, prepared again for every chunk, took the writer 45 ms per bulk batch.
    /// </remarks>
    private static Dictionary<long, List<(long Id, long? StoryId, long Fingerprint)>> FindStoryCandidates(DbConnection connection, IReadOnlyList<ArticleRows> batch, CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, List<(long Id, long? StoryId, long Fingerprint)>>();
        var looked = new HashSet<long>();
        using var find = new SqliteStatement(connection, $"SELECT Id, StoryId, Fingerprint FROM Articles WHERE LeadHash = ?1 ORDER BY Id LIMIT {StoryCandidates}");
        foreach (var (article, _) in batch)
        {
            if (article.LeadHash == 0 || !looked.Add(article.LeadHash))
            {
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            find.Bind(1, article.LeadHash);
            try
            {
                while (find.Read())
                {
                    if (!result.TryGetValue(article.LeadHash, out var copies))
                    {
                        result[article.LeadHash] = copies = [];
                    }
                    copies.Add((find.Int64(0), find.IsNull(1) ? null : find.Int64(1), find.Int64(2)));
                }
            }
            finally
            {
                find.Reset();
            }
        }
        return result;
    }

    /// <summary>Replaces the mentions of stored articles with a new extraction (after rules or aliases changed).</summary>
    public static Task ReplaceMentionsAsync(DashboardDb db, IReadOnlyList<(Article Article, ExtractionResult Extraction)> batch, CancellationToken cancellationToken) =>
        ReplaceMentionsAsync(db, batch.Select(b => Rows(b.Article, b.Extraction)).ToList(), cancellationToken);

    public static async Task ReplaceMentionsAsync(DashboardDb db, IReadOnlyList<ArticleRows> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        var (connection, transaction) = Open(db);
        // The old rows' counts are subtracted below: they must have been added (a bulk import may hold them still).
        await DailyCounts.CatchUpAsync(connection, transaction, cancellationToken);
        var tally = new DailyCounts.Tally();
        await using (var old = Prepare(connection, transaction,
            "SELECT m.EntityId, e.Kind, m.PublishedDate, m.Count, m.IsFocus FROM Mentions m JOIN Entities e ON e.Id = m.EntityId WHERE m.ArticleId = $article", "$article"))
        await using (var delete = Prepare(connection, transaction, "DELETE FROM Mentions WHERE ArticleId = $article", "$article"))
        {
            foreach (var (article, _) in batch)
            {
                // The removed rows leave the daily counts; the new extraction adds its own below.
                Bind(old, article.Id);
                await using (var reader = await old.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        tally.AddMention(reader.GetInt64(0), (EntityKind)reader.GetInt32(1), DateOnly.Parse(reader.GetString(2), System.Globalization.CultureInfo.InvariantCulture),
                            reader.GetInt32(3), reader.GetBoolean(4), sign: -1);
                    }
                }
                Bind(delete, article.Id);
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        WriteMentions(connection, batch, null, tally, cancellationToken);
        await DailyCounts.ApplyAsync(connection, transaction, tally, cancellationToken);
    }

    private static (DbConnection Connection, DbTransaction Transaction) Open(DashboardDb db) =>
        (db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("ArticleWriter needs the caller's transaction: articles and upload statuses commit together."));

    // Compiled optimised at once: the per-batch loops over every article and mention row run a few dozen times in a
    // process's life, so the tiered compiler would leave them in their first, loop-transition (OSR) code, where perf
    // put twice the writer's own time in this method (4.7% of an import's samples against 2.6%).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteMentions(DbConnection connection, IReadOnlyList<ArticleRows> batch, MentionGroups? groups, DailyCounts.Tally tally, CancellationToken cancellationToken)
    {
        groups = groups is not null && ReferenceEquals(groups.Articles, batch) ? groups : MentionGroups.Of(batch);
        EnsureEntities(connection, groups, cancellationToken);
        using var insert = new SqliteStatement(connection,
            "INSERT INTO Mentions (ArticleId, EntityId, PublishedDate, Count, IsFocus, Score, Spans) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        using var insertAlias = new SqliteStatement(connection, "INSERT INTO EntityAliases (EntityId, Name, IsUserDefined) VALUES (?1, ?2, 0) ON CONFLICT DO NOTHING");

        // Each article's id, date (as the store keeps it) and mention rows, once, in arrays: the loop below takes the rows
        // in entity order, a different article each time, and each object it went through per row was a cache miss.
        var articleIds = new long[batch.Count];
        var dates = new DateOnly[batch.Count];
        var days = new string[batch.Count];
        var mentions = new MentionRow[batch.Count][];
        var isoDays = new Dictionary<DateOnly, string>();
        for (var i = 0; i < batch.Count; i++)
        {
            var article = batch[i].Article;
            articleIds[i] = article.Id;
            dates[i] = article.PublishedDate;
            mentions[i] = batch[i].Mentions as MentionRow[] ?? [.. batch[i].Mentions];
            ref var iso = ref CollectionsMarshal.GetValueRefOrAddDefault(isoDays, article.PublishedDate, out var seen);
            days[i] = seen ? iso! : iso = SqliteStatement.Iso(article.PublishedDate);
        }
        // In the order of the chart index (entity, date, article): a batch's rows then land side by side in it, each
        // entity's at one place, instead of one at a random place per row. Measured on the rows of 100,000 generated
        // articles inserted 8,000 articles at a time: 3.4 s against 5.6 s for the mention inserts, the same rows.
        var entities = groups.Entities.ToArray();
        Array.Sort(entities, static (a, b) => a.Id.CompareTo(b.Id));
        foreach (var group in entities)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The rows of one day go to the counts together.
            var runDay = default(DateOnly);
            var (runArticles, runMentions, runFocus) = (0, 0, 0);
            foreach (var (index, position) in group.Rows)
            {
                ref readonly var row = ref mentions[index][position];
                var day = dates[index];
                if (runArticles > 0 && day != runDay)
                {
                    tally.Add(group.Id, group.Kind, runDay, runArticles, runMentions, runFocus);
                    (runArticles, runMentions, runFocus) = (0, 0, 0);
                }
                runDay = day;
                runArticles++;
                runMentions += row.Count;
                runFocus += row.IsFocus ? 1 : 0;
                insert.Bind(1, articleIds[index]).Bind(2, group.Id).Bind(3, days[index]).Bind(4, row.Count).Bind(5, row.IsFocus).Bind(6, row.Score).Bind(7, row.Spans.Span).Run();
            }
            if (runArticles > 0)
            {
                tally.Add(group.Id, group.Kind, runDay, runArticles, runMentions, runFocus);
            }
            if (group.Aliases is { } aliases)
            {
                foreach (var alias in aliases)
                {
                    if (alias != group.StoredName)
                    {
                        insertAlias.Bind(1, group.Id).Bind(2, alias).Run();
                    }
                }
            }
        }
    }

    /// <summary>Sets the id and stored name of each entity of the batch, inserting the ones the store has not seen.</summary>
    /// <remarks>
    /// One prepared lookup per entity (an index seek each), then one prepared insert per new one: a bulk batch names
    /// thousands of entities, and queries of 400 named parameters each, prepared again for every chunk, with an
    /// INSERT ... RETURNING per new entity, took 60 ms of the writer's time per batch.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // see WriteMentions
    private static void EnsureEntities(DbConnection connection, MentionGroups groups, CancellationToken cancellationToken)
    {
        var missing = new List<MentionGroups.Group>();
        using (var find = new SqliteStatement(connection, "SELECT Id, Name FROM Entities WHERE Kind = ?1 AND Key = ?2"))
        {
            foreach (var group in groups.Entities)
            {
                cancellationToken.ThrowIfCancellationRequested();
                find.Bind(1, (int)group.Kind).Bind(2, group.Key);
                try
                {
                    if (find.Read())
                    {
                        (group.Id, group.StoredName) = (find.Int64(0), find.Text(1));
                    }
                    else
                    {
                        missing.Add(group);
                    }
                }
                finally
                {
                    find.Reset();
                }
            }
        }
        using var insert = new SqliteStatement(connection, "INSERT INTO Entities (Kind, Key, Name) VALUES (?1, ?2, ?3)");
        foreach (var group in missing)
        {
            (group.Id, group.StoredName) = (insert.Bind(1, (int)group.Kind).Bind(2, group.Key).Bind(3, group.Name).RunInsert(), group.Name);
        }
    }

    private static ReadOnlySpan<char> Surface(Article article, ExtractedMention mention)
    {
        var source = mention.Field == "title" ? article.Title : article.Text;
        return mention.Start >= 0 && mention.End <= source.Length && mention.Start < mention.End
            ? source.AsSpan(mention.Start, mention.End - mention.Start)
            : [];
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }
        command.Prepare();
        return command;
    }

    private static void Bind(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
