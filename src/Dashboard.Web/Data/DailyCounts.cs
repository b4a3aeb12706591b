using System.Buffers;
using System.Data.Common;
using System.Runtime.InteropServices;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Dashboard.Web.Data;

/// <summary>What a chart counts per entity: articles, occurrences, or articles about the entity.</summary>
public enum CountMeasure
{
    Articles,
    Mentions,
    FocusArticles,
}

/// <summary>
/// The pre-aggregated counts (<see cref="EntityDay"/>, <see cref="EntityMonth"/>, <see cref="ArticleDay"/>) that
/// let unfiltered charts over long windows read thousands of rows instead of millions of mentions. Writers add
/// to them in the transaction that stores the mentions; readers sum whole months from <c>EntityMonths</c> and
/// the days at the window's edges from <c>EntityDays</c>. The SQL is portable (UPSERT, UNION ALL) except the
/// month expression, which <see cref="SqliteSetup.MonthStart"/> supplies.
/// </summary>
public static class DailyCounts
{
    private static readonly string Month = SqliteSetup.MonthStart("Day");

    /// <summary>Changes to the counts collected while a batch is written, applied at the end with one upsert per key.</summary>
    public sealed class Tally(int mentions = 0)
    {
        /// <summary>
        /// Sized for the rows to come (<paramref name="mentions"/>, an upper bound on the keys) when the writer knows them:
        /// a bulk batch's tally holds about 150,000 keys, and growing it by doubling allocated a chain of ever larger
        /// arrays on the large-object heap, each a step towards a full collection.
        /// </summary>
        internal Dictionary<(long EntityId, EntityKind Kind, DateOnly Day), (int Articles, int Mentions, int Focus)> Entities { get; } = new(mentions);
        internal Dictionary<(DateOnly Day, string Source), int> Articles { get; } = [];

        /// <summary>True once a mention row was removed: readers that keep mentions in memory must then reload.</summary>
        internal bool RemovesMentions { get; private set; }

        /// <summary>
        /// Empties the tally for the next counts, keeping its tables' room: a bulk import's held tally grows to hundreds
        /// of thousands of keys, and a new one would grow through the same chain of large arrays again at every hold.
        /// </summary>
        public void Clear()
        {
            Entities.Clear();
            Articles.Clear();
            RemovesMentions = false;
        }

        public void AddArticle(DateOnly day, string? source) =>
            CollectionsMarshal.GetValueRefOrAddDefault(Articles, (day, source ?? ""), out _)++;

        /// <summary>Adds (sign 1) or removes (sign -1) one mention row.</summary>
        /// <remarks>One lookup per row (the writer calls this for each of a bulk batch's 150,000 mentions), not a read and a write.</remarks>
        public void AddMention(long entityId, EntityKind kind, DateOnly day, int count, bool isFocus, int sign = 1)
        {
            RemovesMentions |= sign < 0;
            ref var sums = ref CollectionsMarshal.GetValueRefOrAddDefault(Entities, (entityId, kind, day), out _);
            sums = (sums.Articles + sign, sums.Mentions + sign * count, sums.Focus + (isFocus ? sign : 0));
        }

        /// <summary>Adds several new mention rows of one entity on one day at once (the writer's rows come grouped so).</summary>
        public void Add(long entityId, EntityKind kind, DateOnly day, int articles, int mentions, int focusArticles)
        {
            ref var sums = ref CollectionsMarshal.GetValueRefOrAddDefault(Entities, (entityId, kind, day), out _);
            sums = (sums.Articles + articles, sums.Mentions + mentions, sums.Focus + focusArticles);
        }
    }

    /// <summary>Applies a tally inside the writer's transaction; rows a removal brought to zero articles are deleted.</summary>
    public static async Task ApplyAsync(DbConnection connection, DbTransaction? transaction, Tally tally, CancellationToken cancellationToken)
    {
        const string Set = "Articles = {0}.Articles + excluded.Articles, Mentions = {0}.Mentions + excluded.Mentions, FocusArticles = {0}.FocusArticles + excluded.FocusArticles";
        using var day = new SqliteStatement(connection,
            "INSERT INTO EntityDays (EntityId, Day, Kind, Articles, Mentions, FocusArticles) VALUES (?1, ?2, ?3, ?4, ?5, ?6) " +
            "ON CONFLICT (Kind, Day, EntityId) DO UPDATE SET " + string.Format(Set, "EntityDays"));
        using var month = new SqliteStatement(connection,
            "INSERT INTO EntityMonths (EntityId, Month, Kind, Articles, Mentions, FocusArticles) VALUES (?1, ?2, ?3, ?4, ?5, ?6) " +
            "ON CONFLICT (Kind, Month, EntityId) DO UPDATE SET " + string.Format(Set, "EntityMonths"));
        using var pruneDay = new SqliteStatement(connection, "DELETE FROM EntityDays WHERE Kind = ?3 AND Day = ?2 AND EntityId = ?1 AND Articles <= 0");
        using var pruneMonth = new SqliteStatement(connection, "DELETE FROM EntityMonths WHERE Kind = ?3 AND Month = ?2 AND EntityId = ?1 AND Articles <= 0");
        var months = new Dictionary<(long EntityId, EntityKind Kind, DateOnly Month), (int Articles, int Mentions, int Focus)>();
        foreach (var ((entityId, kind, date), delta) in tally.Entities)
        {
            var key = (entityId, kind, new DateOnly(date.Year, date.Month, 1));
            var sum = months.GetValueOrDefault(key);
            months[key] = (sum.Articles + delta.Articles, sum.Mentions + delta.Mentions, sum.Focus + delta.Focus);
        }
        // The text of each date once per batch: a batch upserts tens of thousands of (entity, day) rows over a few hundred days.
        var isoDates = new Dictionary<DateOnly, string>();
        // One pooled buffer for both tables' rows, sorted in place: LINQ's ordering of a bulk batch's 150,000 rows
        // allocated five arrays on the large-object heap per batch.
        var sorted = ArrayPool<CountRow>.Shared.Rent(Math.Max(1, tally.Entities.Count));
        try
        {
            foreach (var (table, prune, rows) in new[] { (day, pruneDay, tally.Entities), (month, pruneMonth, months) })
            {
                var count = 0;
                foreach (var ((entityId, kind, date), delta) in rows)
                {
                    if (delta is not (0, 0, 0))
                    {
                        sorted[count++] = new CountRow(kind, date, entityId, delta);
                    }
                }
                // In key order, so consecutive upserts land on neighbouring pages of the table.
                var span = sorted.AsSpan(0, count);
                span.Sort(static (a, b) => a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : a.Day != b.Day ? a.Day.CompareTo(b.Day) : a.EntityId.CompareTo(b.EntityId));
                foreach (var (kind, date, entityId, delta) in span)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!isoDates.TryGetValue(date, out var iso))
                    {
                        isoDates[date] = iso = SqliteStatement.Iso(date);
                    }
                    table.Bind(1, entityId).Bind(2, iso).Bind(3, (int)kind).Bind(4, delta.Articles).Bind(5, delta.Mentions).Bind(6, delta.Focus).Run();
                    if (delta.Articles < 0)
                    {
                        prune.Bind(1, entityId).Bind(2, iso).Bind(3, (int)kind).Run();
                    }
                }
            }
        }
        finally
        {
            ArrayPool<CountRow>.Shared.Return(sorted);
        }
        if (tally.RemovesMentions)
        {
            await using var edit = Command(connection, transaction, BumpGeneration);
            await edit.ExecuteNonQueryAsync(cancellationToken);
        }
        if (tally.Articles.Count > 0)
        {
            // Positional, like the entity counts: a bulk batch spans thousands of (day, outlet) pairs.
            using var article = new SqliteStatement(connection,
                "INSERT INTO ArticleDays (Day, Source, Articles) VALUES (?1, ?2, ?3) ON CONFLICT (Day, Source) DO UPDATE SET Articles = ArticleDays.Articles + excluded.Articles");
            foreach (var ((date, source), count) in tally.Articles)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!isoDates.TryGetValue(date, out var iso))
                {
                    isoDates[date] = iso = SqliteStatement.Iso(date);
                }
                article.Bind(1, iso).Bind(2, source).Bind(3, count).Run();
            }
        }
    }

    /// <summary>One row of counts to upsert, in the order of the tables' keys.</summary>
    private readonly record struct CountRow(EntityKind Kind, DateOnly Day, long EntityId, (int Articles, int Mentions, int Focus) Delta);

    /// <summary>
    /// Counts edits to mention rows other than appends (removals, moves between entities, changed counts), in the
    /// transaction that makes them, so <see cref="CoMentionIndex"/> knows to reload rather than append.
    /// </summary>
    private const string BumpGeneration = "UPDATE MentionEdits SET Generation = Generation + 1";

    /// <summary>
    /// Tells the co-mention index that stored articles changed in place, not only by appends (a byline filled in
    /// later), so it loads again; in the caller's transaction.
    /// </summary>
    public static Task MarkEditedAsync(DashboardDb db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(BumpGeneration, cancellationToken);

    /// <summary>
    /// Counts the articles a bulk import stored without counting them yet (<see cref="DeferredCounts"/>, or one cut
    /// short by a crash) from their stored mentions, in the caller's transaction. Every change to counts other than
    /// adding new articles calls this first, so it changes counts that hold every stored article. Moves the catch-up
    /// generation on, so the importer holding some of those counts in memory drops them instead of adding them twice.
    /// </summary>
    public static async Task CatchUpAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (await UncountedAsync(connection, transaction, cancellationToken) == 0)
        {
            return;
        }
        var tally = new Tally();
        await using (var mentions = Command(connection, transaction,
            "SELECT m.EntityId, e.Kind, m.PublishedDate, m.Count, m.IsFocus FROM UncountedArticles u " +
            "JOIN Mentions m ON m.ArticleId = u.ArticleId JOIN Entities e ON e.Id = m.EntityId"))
        await using (var reader = await mentions.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tally.AddMention(reader.GetInt64(0), (EntityKind)reader.GetInt32(1), ParseDay(reader.GetString(2)), reader.GetInt32(3), reader.GetBoolean(4));
            }
        }
        await using (var articles = Command(connection, transaction,
            "SELECT a.PublishedDate, a.Source FROM UncountedArticles u JOIN Articles a ON a.Id = u.ArticleId"))
        await using (var reader = await articles.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tally.AddArticle(ParseDay(reader.GetString(0)), reader.IsDBNull(1) ? null : reader.GetString(1));
            }
        }
        await ApplyAsync(connection, transaction, tally, cancellationToken);
        await using var forget = Command(connection, transaction, ForgetUncounted);
        await forget.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary><see cref="CatchUpAsync(DbConnection, DbTransaction?, CancellationToken)"/> in the context's transaction, or in one of its own.</summary>
    public static async Task CatchUpAsync(DashboardDb db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            if (db.Database.CurrentTransaction is { } current)
            {
                await CatchUpAsync(connection, current.GetDbTransaction(), cancellationToken);
                return;
            }
            await using var own = await db.Database.BeginTransactionAsync(cancellationToken);
            await CatchUpAsync(connection, own.GetDbTransaction(), cancellationToken);
            await own.CommitAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>How many stored articles are not counted yet.</summary>
    public static async Task<long> UncountedAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT COUNT(*) FROM UncountedArticles");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>How many times uncounted articles were counted from the store (see <see cref="DeferredCounts"/>).</summary>
    public static async Task<long> CatchUpGenerationAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT Generation FROM CountCatchUps");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Every stored article is counted now: none is listed, and a holder of counts must drop them.</summary>
    private const string ForgetUncounted = "DELETE FROM UncountedArticles; UPDATE CountCatchUps SET Generation = Generation + 1";

    private static DateOnly ParseDay(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Recomputes the counts of every entity and day from the stored rows (repair, or a store filled by other means).</summary>
    public static async Task RebuildAsync(DashboardDb db, CancellationToken cancellationToken = default)
    {
        await db.Database.ExecuteSqlRawAsync(BumpGeneration, cancellationToken);
        // Every stored article is counted below, held ones included.
        await db.Database.ExecuteSqlRawAsync(ForgetUncounted, cancellationToken);
        await db.Database.ExecuteSqlRawAsync("DELETE FROM EntityMonths; DELETE FROM EntityDays; DELETE FROM ArticleDays;", cancellationToken);
        await db.Database.ExecuteSqlRawAsync(EntityDaysSql(""), cancellationToken);
        await db.Database.ExecuteSqlRawAsync(EntityMonthsSql(""), cancellationToken);
        await db.Database.ExecuteSqlRawAsync(ArticleDaysSql(""), cancellationToken);
    }

    /// <summary>Recomputes the counts of some entities from their mentions (after a merge moved mentions between them).</summary>
    public static async Task RebuildEntitiesAsync(DashboardDb db, IReadOnlyCollection<long> entityIds, CancellationToken cancellationToken = default)
    {
        if (entityIds.Count > 0)
        {
            // The recount reads every mention of these entities: articles a bulk import has not counted yet are counted first.
            await CatchUpAsync(db, cancellationToken);
            // Every caller has changed mention rows in place (a merge's move, an EF save), not only appended.
            await db.Database.ExecuteSqlRawAsync(BumpGeneration, cancellationToken);
        }
        foreach (var id in entityIds)
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM EntityMonths WHERE EntityId = {0}", [id], cancellationToken);
            await db.Database.ExecuteSqlRawAsync("DELETE FROM EntityDays WHERE EntityId = {0}", [id], cancellationToken);
            await db.Database.ExecuteSqlRawAsync(EntityDaysSql("WHERE m.EntityId = {0}"), [id], cancellationToken);
            await db.Database.ExecuteSqlRawAsync(EntityMonthsSql("WHERE EntityId = {0}"), [id], cancellationToken);
        }
    }

    /// <summary>Recomputes the article counts of some days from the articles.</summary>
    public static async Task RebuildDaysAsync(DashboardDb db, IReadOnlyCollection<DateOnly> days, CancellationToken cancellationToken = default)
    {
        if (days.Count > 0)
        {
            await CatchUpAsync(db, cancellationToken);
        }
        foreach (var day in days)
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM ArticleDays WHERE Day = {0}", [day], cancellationToken);
            await db.Database.ExecuteSqlRawAsync(ArticleDaysSql("WHERE PublishedDate = {0}"), [day], cancellationToken);
        }
    }

    private static string EntityDaysSql(string where) =>
        "INSERT INTO EntityDays (EntityId, Day, Kind, Articles, Mentions, FocusArticles) " +
        "SELECT m.EntityId, m.PublishedDate, e.Kind, COUNT(*), SUM(m.Count), SUM(CASE WHEN m.IsFocus THEN 1 ELSE 0 END) " +
        $"FROM Mentions m JOIN Entities e ON e.Id = m.EntityId {where} GROUP BY m.EntityId, m.PublishedDate, e.Kind";

    private static string EntityMonthsSql(string where) =>
        "INSERT INTO EntityMonths (EntityId, Month, Kind, Articles, Mentions, FocusArticles) " +
        $"SELECT EntityId, {Month}, Kind, SUM(Articles), SUM(Mentions), SUM(FocusArticles) FROM EntityDays {where} GROUP BY EntityId, {Month}, Kind";

    private static string ArticleDaysSql(string where) =>
        "INSERT INTO ArticleDays (Day, Source, Articles) " +
        $"SELECT PublishedDate, COALESCE(Source, ''), COUNT(*) FROM Articles {where} GROUP BY PublishedDate, COALESCE(Source, '')";

    /// <summary>
    /// A date window cut into whole months and the days at either edge: [From, FirstMonth) and [EndMonth, To]
    /// come from <c>EntityDays</c>, [FirstMonth, EndMonth) from <c>EntityMonths</c>.
    /// </summary>
    private readonly record struct Window(DateOnly From, DateOnly FirstMonth, DateOnly EndMonth, DateOnly To)
    {
        public static Window Of(DateOnly? from, DateOnly? to)
        {
            var lo = from ?? DateOnly.MinValue;
            var hi = to ?? DateOnly.MaxValue;
            var firstMonth = lo.Day == 1 ? lo : new DateOnly(lo.Year, lo.Month, 1).AddMonths(1);
            var endMonth = hi == DateOnly.MaxValue ? hi : new DateOnly(hi.Year, hi.Month, 1).AddMonths(hi.AddDays(1).Day == 1 ? 1 : 0);
            if (firstMonth >= endMonth)
            {
                // No whole month inside: every day comes from EntityDays.
                var past = hi == DateOnly.MaxValue ? hi : hi.AddDays(1);
                return new Window(lo, past, past, hi);
            }
            return new Window(lo, firstMonth, endMonth, hi);
        }

        public object[] Parameters(params object[] more) => [FirstMonth, EndMonth, From, To, .. more];
    }

    private static string Column(CountMeasure measure) => measure switch
    {
        CountMeasure.Mentions => "Mentions",
        CountMeasure.FocusArticles => "FocusArticles",
        _ => "Articles",
    };

    /// <summary>The months and edge days of a window as one row set of (EntityId, Kind, Value); {0}..{3} are the window's bounds.</summary>
    private static string Rows(string column, string kindCondition) =>
        $"SELECT EntityId, Kind, {column} AS Value FROM EntityMonths WHERE {kindCondition} Month >= {{0}} AND Month < {{1}} " +
        $"UNION ALL SELECT EntityId, Kind, {column} FROM EntityDays WHERE {kindCondition} Day >= {{2}} AND Day < {{0}} " +
        $"UNION ALL SELECT EntityId, Kind, {column} FROM EntityDays WHERE {kindCondition} Day >= {{1}} AND Day <= {{3}}";

    /// <summary>The entities of one kind with the highest counts in the window, ties by id, like the raw query orders them.</summary>
    public static Task<List<EntityTotal>> TopAsync(DashboardDb db, EntityKind kind, DateOnly? from, DateOnly? to, CountMeasure measure, int limit, CancellationToken cancellationToken)
    {
        var window = Window.Of(from, to);
        var sql = $"SELECT EntityId, SUM(Value) AS Count FROM ({Rows(Column(measure), "Kind = {4} AND")}) AS r " +
            "GROUP BY EntityId HAVING SUM(Value) > 0 ORDER BY SUM(Value) DESC, EntityId LIMIT {5}";
        return db.Database.SqlQueryRaw<EntityTotal>(sql, window.Parameters((int)kind, limit)).ToListAsync(cancellationToken);
    }

    /// <summary>How many distinct entities of each kind were mentioned in the window.</summary>
    public static async Task<Dictionary<EntityKind, int>> DistinctEntitiesAsync(DashboardDb db, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var window = Window.Of(from, to);
        var sql = $"SELECT COUNT(DISTINCT EntityId) AS Value FROM ({Rows("Articles", "Kind = {4} AND")}) AS r WHERE Value > 0";
        var counts = new Dictionary<EntityKind, int>();
        foreach (var kind in Enum.GetValues<EntityKind>())
        {
            counts[kind] = (await db.Database.SqlQueryRaw<int>(sql, window.Parameters((int)kind)).ToListAsync(cancellationToken)).Single();
        }
        return counts;
    }

    /// <summary>Articles mentioning one entity in the window.</summary>
    public static async Task<int> EntityArticlesAsync(DashboardDb db, long entityId, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var window = Window.Of(from, to);
        var sql = $"SELECT COALESCE(SUM(Value), 0) AS Value FROM ({Rows("Articles", "EntityId = {4} AND")}) AS r";
        return (await db.Database.SqlQueryRaw<int>(sql, window.Parameters(entityId)).ToListAsync(cancellationToken)).Single();
    }

    /// <summary>Articles per day mentioning one entity.</summary>
    public static Task<List<VolumePoint>> EntityVolumeAsync(DashboardDb db, long entityId, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var lo = from ?? DateOnly.MinValue;
        var hi = to ?? DateOnly.MaxValue;
        return db.EntityDays.Where(d => d.EntityId == entityId && d.Day >= lo && d.Day <= hi && d.Articles > 0)
            .OrderBy(d => d.Day).Select(d => new VolumePoint(d.Day, d.Articles)).ToListAsync(cancellationToken);
    }

    /// <summary>Articles per day in the window.</summary>
    public static async Task<List<VolumePoint>> VolumeAsync(DashboardDb db, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var lo = from ?? DateOnly.MinValue;
        var hi = to ?? DateOnly.MaxValue;
        var rows = await db.ArticleDays.Where(d => d.Day >= lo && d.Day <= hi)
            .GroupBy(d => d.Day).Select(g => new { Day = g.Key, Count = g.Sum(d => d.Articles) })
            .OrderBy(g => g.Day).ToListAsync(cancellationToken);
        return rows.Where(r => r.Count > 0).Select(r => new VolumePoint(r.Day, r.Count)).ToList();
    }

    /// <summary>Articles and distinct named sources in the window.</summary>
    public static async Task<(int Articles, int Sources)> ArticlesAndSourcesAsync(DashboardDb db, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var lo = from ?? DateOnly.MinValue;
        var hi = to ?? DateOnly.MaxValue;
        var days = db.ArticleDays.Where(d => d.Day >= lo && d.Day <= hi);
        var articles = await days.SumAsync(d => d.Articles, cancellationToken);
        var sources = await days.Where(d => d.Source != "").Select(d => d.Source).Distinct().CountAsync(cancellationToken);
        return (articles, sources);
    }

    /// <summary>One entity's summed count.</summary>
    public sealed record EntityTotal(long EntityId, int Count);

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
