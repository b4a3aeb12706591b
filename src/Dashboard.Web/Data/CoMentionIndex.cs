using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Numerics;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Data;

/// <summary>
/// Which articles mention each entity, held in memory as sorted article-id arrays, so the numbers under an entity
/// filter (co-mentioned entities, the articles of two entities together, trend lines within a filter) are set
/// intersections instead of joins over millions of mention rows. Pre-aggregating entity pairs does not scale here:
/// an article names about twenty entities, so a million articles make 400 million pair increments.
/// <para>
/// The arrays follow the store: appends (new articles, new mentions) are read by id on the next query; anything
/// else that changes mentions (re-extraction, merges, EF saves) bumps <c>MentionEdits.Generation</c> in its own
/// transaction (see <see cref="DailyCounts"/>), and the index is loaded again; queries wait for a load in progress
/// (counting a common entity's co-mentions in SQL would take longer than loading the index).
/// </para>
/// </summary>
public sealed class CoMentionIndex(IDbContextFactory<DashboardDb> dbFactory)
{
    private readonly SemaphoreSlim _catchUp = new(1, 1);
    private readonly ReaderWriterLockSlim _lock = new();
    private State? _state;
    private Task? _fullLoad;

    /// <summary>How many full loads have started; a state remembers its own number.</summary>
    private long _loadsStarted;

    /// <summary>The store's version as the index last saw it: edits generation and the highest ids.</summary>
    internal readonly record struct Mark(long Generation, long MentionId, long ArticleId, long EntityId);

    /// <summary>
    /// One entity's articles and the articles that are about it: sorted id lists for the many small entities, bitmaps
    /// over article ids for the few large ones.
    /// </summary>
    internal sealed class Postings
    {
        /// <summary>
        /// An entity expected in <paramref name="articles"/> articles, <paramref name="focus"/> of them about it: its
        /// lists are allocated at that size when its first article arrives (a full load reads one entity after the
        /// other and seals each before the next, so only one id list that a bitmap will replace is held at a time).
        /// </summary>
        public Postings(EntityKind kind, int articles = 0, int focus = 0)
        {
            Kind = kind;
            _expectedArticles = articles;
            _expectedFocus = focus;
        }

        private readonly int _expectedArticles;
        private readonly int _expectedFocus;

        public EntityKind Kind { get; }

        /// <summary>Sorted article ids while <see cref="ArticleBits"/> is null; empty once the bitmap holds them.</summary>
        public int[] Articles = [];

        /// <summary>
        /// Occurrences in each article, in ascending article id order (so the i-th count belongs to the i-th id of the
        /// list or the i-th set bit of the bitmap); 255 means "look in <see cref="LargeCounts"/>" (a byte keeps the index small).
        /// </summary>
        public byte[] Counts = [];
        public Dictionary<int, int>? LargeCounts;
        public int ArticleCount;

        /// <summary>Sorted ids of the articles about the entity while <see cref="FocusBits"/> is null; empty after.</summary>
        public int[] Focus = [];
        public int FocusCount;
        public bool Unsorted;

        /// <summary>The highest article id added, so an append in id order is told from one out of order.</summary>
        private int _last;

        /// <summary>
        /// <see cref="Articles"/> and <see cref="Focus"/> as bitmaps over article ids, for entities in more than one
        /// article in 64: intersecting them is a few thousand AND-and-popcounts instead of a test per article. A bitmap
        /// then replaces its id list (at a million articles the id lists of the large entities were 90 MB of the
        /// server's memory; their bitmaps are a fifth of that).
        /// </summary>
        public ulong[]? ArticleBits;
        public ulong[]? FocusBits;

        public void Add(int articleId, int count, bool focus)
        {
            var inOrder = ArticleCount == 0 || articleId > _last;
            _last = Math.Max(_last, articleId);
            var stored = (byte)Math.Min(count, byte.MaxValue);
            if (count >= byte.MaxValue)
            {
                (LargeCounts ??= [])[articleId] = count;
            }
            if (ArticleBits is null)
            {
                if (ArticleCount == Articles.Length)
                {
                    var size = ArticleCount == 0 && _expectedArticles > 0 ? _expectedArticles : Math.Max(16, Articles.Length * 3 / 2);
                    Array.Resize(ref Articles, size);
                    Array.Resize(ref Counts, size);
                }
                Unsorted |= !inOrder;
                Articles[ArticleCount] = articleId;
                Counts[ArticleCount++] = stored;
            }
            else
            {
                if (ArticleCount == Counts.Length)
                {
                    Array.Resize(ref Counts, Headroom(Counts.Length));
                }
                // In a bitmap the counts follow the set bits: one that arrives out of id order goes in at its rank.
                var rank = inOrder ? ArticleCount : Rank(ArticleBits, articleId);
                Array.Copy(Counts, rank, Counts, rank + 1, ArticleCount - rank);
                Counts[rank] = stored;
                ArticleCount++;
                SetBit(ref ArticleBits, articleId);
            }
            if (focus)
            {
                if (FocusBits is null)
                {
                    if (FocusCount == Focus.Length)
                    {
                        Array.Resize(ref Focus, FocusCount == 0 && _expectedFocus > 0 ? _expectedFocus : Math.Max(16, Focus.Length * 3 / 2));
                    }
                    Unsorted |= FocusCount > 0 && Focus[FocusCount - 1] >= articleId;
                    Focus[FocusCount] = articleId;
                }
                else
                {
                    SetBit(ref FocusBits, articleId);
                }
                FocusCount++;
            }
        }

        /// <summary>How many set bits come before <paramref name="id"/>.</summary>
        private static int Rank(ulong[] bits, int id)
        {
            var rank = 0;
            var word = Math.Min(id >> 6, bits.Length);
            for (var w = 0; w < word; w++)
            {
                rank += BitOperations.PopCount(bits[w]);
            }
            return word < bits.Length ? rank + BitOperations.PopCount(bits[word] & ((1UL << id) - 1)) : rank;
        }

        private static void SetBit(ref ulong[] bits, int id)
        {
            if ((id >> 6) >= bits.Length)
            {
                // Appends grow the bitmaps of every large entity: an eighth at a time keeps the slack small.
                Array.Resize(ref bits, Math.Max((id >> 6) + 1, Headroom(bits.Length)));
            }
            bits[id >> 6] |= 1UL << id;
        }

        /// <summary>
        /// Room to grow into, for a bitmap or a large entity's counts: appends would otherwise copy every large entity's
        /// arrays with the first new article (at a million articles, 80 MB of garbage at the start of an import).
        /// </summary>
        private static int Headroom(int size) => size + size / 8 + 16;

        /// <summary>In more than one article in 64: a bitmap is then smaller than two id lists' worth.</summary>
        private static bool IsDense(int count, int maxId) => (long)count * 64 > maxId;

        private static ulong[]? Bitmap(int[] ids, int count, int maxId)
        {
            if (!IsDense(count, maxId))
            {
                return null;
            }
            var bits = new ulong[Headroom(maxId >> 6) + 1];
            for (var i = 0; i < count; i++)
            {
                bits[ids[i] >> 6] |= 1UL << ids[i];
            }
            return bits;
        }

        /// <summary>Whether the article is about the entity: a bit test, or a binary search of the sorted list.</summary>
        public bool IsFocus(int articleId) => FocusBits is { } bits
            ? (articleId >> 6) < bits.Length && (bits[articleId >> 6] & (1UL << articleId)) != 0
            : Array.BinarySearch(Focus, 0, FocusCount, articleId) >= 0;

        /// <summary>The occurrences in the article at <paramref name="rank"/> (its position in id order), whose id is <paramref name="articleId"/>.</summary>
        public int CountAt(int rank, int articleId) => Counts[rank] == byte.MaxValue ? LargeCounts![articleId] : Counts[rank];

        /// <summary>
        /// Sorts what appends left out of order and turns a list that has grown dense into a bitmap;
        /// <paramref name="trim"/> drops the growth slack after a full load.
        /// </summary>
        public void Seal(bool trim, int maxId)
        {
            if (Unsorted)
            {
                if (ArticleBits is null)
                {
                    Array.Sort(Articles, Counts, 0, ArticleCount);
                }
                if (FocusBits is null)
                {
                    Array.Sort(Focus, 0, FocusCount);
                }
                Unsorted = false;
            }
            if (ArticleBits is null && Bitmap(Articles, ArticleCount, maxId) is { } articleBits)
            {
                ArticleBits = articleBits;
                Articles = [];
            }
            if (FocusBits is null && Bitmap(Focus, FocusCount, maxId) is { } focusBits)
            {
                FocusBits = focusBits;
                Focus = [];
            }
            if (trim && ArticleBits is null && Articles.Length != ArticleCount)
            {
                Array.Resize(ref Articles, ArticleCount);
            }
            if (trim && ArticleBits is null && Counts.Length != ArticleCount)
            {
                Array.Resize(ref Counts, ArticleCount);
            }
            if (trim && ArticleBits is not null && Counts.Length < Headroom(ArticleCount))
            {
                Array.Resize(ref Counts, Headroom(ArticleCount));
            }
            if (trim && FocusBits is null && Focus.Length != FocusCount)
            {
                Array.Resize(ref Focus, FocusCount);
            }
        }
    }

    /// <summary>Everything the index holds at one version of the store.</summary>
    internal sealed class State
    {
        public Mark Mark;

        /// <summary>The number of the full load that built this state.</summary>
        public long Load;

        /// <summary>Per article id: the day number of its publication date plus one (0: no such article).</summary>
        public int[] Day = [];

        /// <summary>Per article id: the first copy of its story when it is a near-duplicate (0: it is its own story).</summary>
        public int[] Story = [];

        /// <summary>Each article's outlet (the source filter, the sources chart and tile).</summary>
        public ArticleLabels Sources = new();

        /// <summary>Each article's byline (the author filter, the authors chart).</summary>
        public ArticleLabels Authors = new();

        public Dictionary<long, Postings> Entities = [];

        public void SetArticle(long id, DateOnly day, string? source)
        {
            var i = checked((int)id);
            Grow(ref Day, i);
            Day[i] = day.DayNumber + 1;
            Sources.Set(i, source);
        }

        /// <summary>The near-duplicates (<see cref="Story"/> not 0) as a bitmap: the other articles are each their own story.</summary>
        public ulong[] Copies = [];

        public void SetStory(long id, long? story)
        {
            var i = checked((int)id);
            Grow(ref Story, Math.Max(i, Day.Length - 1));
            Story[i] = story is { } first && first != id ? checked((int)first) : 0;
            if (Story[i] != 0)
            {
                Grow(ref Copies, i >> 6);
                Copies[i >> 6] |= 1UL << i;
            }
        }

        /// <summary>The article that stands for <paramref name="id"/>'s story.</summary>
        public int StoryOf(int id) => id < Story.Length && Story[id] != 0 ? Story[id] : id;

        internal static void Grow<T>(ref T[] array, int index)
        {
            if (index >= array.Length)
            {
                Array.Resize(ref array, Math.Max(index + 1, array.Length * 3 / 2));
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> over the index brought up to the store's current version, waiting for a load in
    /// progress.
    /// </summary>
    public async Task<T?> ReadAsync<T>(Func<Reader, T> read, CancellationToken cancellationToken) where T : class
    {
        await CatchUpAsync(cancellationToken);
        _lock.EnterReadLock();
        try
        {
            return _state is { } state ? read(new Reader(state)) : null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Brings the index up to date, waiting for a full load however large (benchmarks).</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken = default) => CatchUpAsync(cancellationToken);

    /// <summary>
    /// Starts loading the index in the background if it never was, so that by the time a reader picks an entity the
    /// counts are in memory (a million articles take tens of seconds to load).
    /// </summary>
    public void StartLoading()
    {
        if (_state is null && _fullLoad is null && _catchUp.Wait(0))
        {
            try
            {
                _fullLoad ??= Task.Run(LoadInBackgroundAsync);
            }
            finally
            {
                _catchUp.Release();
            }
        }
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var entry = Interlocked.Read(ref _loadsStarted);
        while (true)
        {
            if (_fullLoad is { } running)
            {
                // A load in progress runs on its own task: a query that gives up does not abort it for the others.
                await running.WaitAsync(cancellationToken);
            }
            await _catchUp.WaitAsync(cancellationToken);
            try
            {
                if (_fullLoad is not null)
                {
                    continue;
                }
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                var connection = await OpenAsync(db, cancellationToken);
                var mark = await ReadMarkAsync(connection, null, cancellationToken);
                var state = _state;
                if (state is not null && state.Mark == mark)
                {
                    return;
                }
                if (state is not null && state.Mark.Generation != mark.Generation && state.Load > entry)
                {
                    // Loaded from a snapshot taken after this query began, and edited again since (a re-extraction runs
                    // batch after batch): answer from it rather than wait for load after load.
                    return;
                }
                if (state is null || state.Mark.Generation != mark.Generation)
                {
                    // Something other than an append changed the mentions: the old arrays are wrong, start again from the store.
                    Invalidate();
                    _fullLoad = Task.Run(LoadInBackgroundAsync);
                    continue;
                }
                await AppendAsync(connection, state, cancellationToken);
                return;
            }
            finally
            {
                _catchUp.Release();
            }
        }
    }

    private async Task LoadInBackgroundAsync()
    {
        try
        {
            await _catchUp.WaitAsync();
            try
            {
                var load = Interlocked.Increment(ref _loadsStarted);
                var state = await LoadAsync(CancellationToken.None);
                state.Load = load;
                Swap(state);
            }
            finally
            {
                _catchUp.Release();
            }
        }
        finally
        {
            _fullLoad = null;
        }
    }

    private void Invalidate()
    {
        _lock.EnterWriteLock();
        _state = null;
        _lock.ExitWriteLock();
    }

    private void Swap(State state)
    {
        _lock.EnterWriteLock();
        _state = state;
        _lock.ExitWriteLock();
    }

    private static async Task<DbConnection> OpenAsync(DashboardDb db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        return db.Database.GetDbConnection();
    }

    /// <summary>
    /// A text attribute of every article (its outlet, its byline), each distinct value stored once and the articles
    /// holding its number: 4 bytes an article, and a filter or a tally compares numbers, not strings.
    /// </summary>
    internal sealed class ArticleLabels
    {
        /// <summary>Per article id: the number of its value in <see cref="Names"/> (0: none).</summary>
        public int[] Number = [];

        /// <summary>The distinct values by number; number 0 is "none".</summary>
        public List<string> Names = [""];

        private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);

        public void Set(int id, string? name)
        {
            State.Grow(ref Number, id);
            if (name is null)
            {
                Number[id] = 0;
                return;
            }
            if (!_numbers.TryGetValue(name, out var number))
            {
                _numbers[name] = number = Names.Count;
                Names.Add(name);
            }
            Number[id] = number;
        }

        /// <summary>The number of <paramref name="name"/>; false when no article holds it.</summary>
        public bool TryFind(string name, out int number) => _numbers.TryGetValue(name, out number);

        /// <summary>The number of article <paramref name="id"/>'s value (0: none, or an id past the ones read).</summary>
        public int Of(int id) => id < Number.Length ? Number[id] : 0;
    }

    private static async Task<Mark> ReadMarkAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT (SELECT Generation FROM MentionEdits), (SELECT COALESCE(MAX(Id), 0) FROM Mentions), " +
            "(SELECT COALESCE(MAX(Id), 0) FROM Articles), (SELECT COALESCE(MAX(Id), 0) FROM Entities)";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new Mark(reader.IsDBNull(0) ? 0 : reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>Reads the whole index from the covering indexes, in one read transaction so it is one version of the store.</summary>
    private async Task<State> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var connection = await OpenAsync(db, cancellationToken);
        await using var transaction = SqliteSetup.BeginSnapshot(connection);
        var state = new State { Mark = await ReadMarkAsync(connection, transaction, cancellationToken) };
        state.Day = new int[state.Mark.ArticleId + 1];
        state.Sources.Number = new int[state.Mark.ArticleId + 1];
        state.Authors.Number = new int[state.Mark.ArticleId + 1];
        // Sized from the monthly counts (one mention row per article and entity), so the arrays are allocated once
        // at their final size: growing them would briefly hold half as much again, at a million articles 50 MB.
        await ReadRowsAsync(connection, transaction,
            "SELECT e.Id, e.Kind, COALESCE(SUM(m.Articles), 0), COALESCE(SUM(m.FocusArticles), 0) FROM Entities e LEFT JOIN EntityMonths m ON m.EntityId = e.Id GROUP BY e.Id, e.Kind",
            row => state.Entities.TryAdd(row.GetInt64(0), new Postings((EntityKind)row.GetInt32(1), row.GetInt32(2), row.GetInt32(3))), cancellationToken);
        // Days from the (PublishedDate, Id) index and sources from the Source index: the article rows themselves are kilobytes.
        string? text = null;
        var day = default(DateOnly);
        await ReadRowsAsync(connection, transaction, "SELECT Id, PublishedDate FROM Articles ORDER BY PublishedDate, Id", row =>
        {
            var current = row.GetString(1);
            if (current != text)
            {
                text = current;
                day = ParseDay(current);
            }
            state.SetArticle(row.GetInt64(0), day, null);
        }, cancellationToken);
        await ReadRowsAsync(connection, transaction, "SELECT Id, Source FROM Articles WHERE Source IS NOT NULL ORDER BY Source", row =>
        {
            var id = row.GetInt64(0);
            state.SetArticle(id, DateOnly.FromDayNumber(state.Day[id] - 1), row.GetString(1));
        }, cancellationToken);
        // Bylines off the Author index, as the sources.
        await ReadRowsAsync(connection, transaction, "SELECT Id, Author FROM Articles WHERE Author IS NOT NULL ORDER BY Author",
            row => state.Authors.Set((int)row.GetInt64(0), row.GetString(1)), cancellationToken);
        // Near-duplicates only, off the StoryId index: the others are their own story.
        state.Story = new int[state.Day.Length];
        state.Copies = new ulong[(state.Day.Length >> 6) + 1];
        await ReadRowsAsync(connection, transaction, "SELECT Id, StoryId FROM Articles WHERE StoryId IS NOT NULL",
            row => state.SetStory(row.GetInt64(0), row.GetInt64(1)), cancellationToken);
        Postings? postings = null;
        var entity = 0L;
        var maxId = state.Day.Length - 1;
        await ReadRowsAsync(connection, transaction, "SELECT EntityId, ArticleId, IsFocus, Count FROM Mentions ORDER BY EntityId", row =>
        {
            var id = row.GetInt64(0);
            if (postings is null || id != entity)
            {
                // The previous entity is complete: its bitmap replaces its id list before the next list is allocated.
                postings?.Seal(trim: true, maxId);
                entity = id;
                postings = state.Entities.GetValueOrDefault(id);
            }
            postings?.Add((int)row.GetInt64(1), row.GetInt32(3), row.GetBoolean(2));
        }, cancellationToken);
        foreach (var p in state.Entities.Values)
        {
            p.Seal(trim: true, maxId);
        }
        await transaction.CommitAsync(cancellationToken);
        return state;
    }

    /// <summary>Adds what was stored since the index's version: new entities, articles and mentions, found by id.</summary>
    private async Task AppendAsync(DbConnection connection, State state, CancellationToken cancellationToken)
    {
        await using var transaction = SqliteSetup.BeginSnapshot(connection);
        var mark = await ReadMarkAsync(connection, transaction, cancellationToken);
        if (mark.Generation != state.Mark.Generation)
        {
            // Edited between the two reads: the next query rebuilds.
            return;
        }
        var articles = new List<(long Id, DateOnly Day, string? Source, long? Story, string? Author)>();
        await ReadRowsAsync(connection, transaction, $"SELECT Id, PublishedDate, Source, StoryId, Author FROM Articles WHERE Id > {state.Mark.ArticleId} AND Id <= {mark.ArticleId}",
            row => articles.Add((row.GetInt64(0), ParseDay(row.GetString(1)), row.IsDBNull(2) ? null : row.GetString(2), row.IsDBNull(3) ? null : row.GetInt64(3),
                row.IsDBNull(4) ? null : row.GetString(4))), cancellationToken);
        var mentions = new List<(long EntityId, int ArticleId, int Count, bool Focus)>();
        await ReadRowsAsync(connection, transaction, $"SELECT EntityId, ArticleId, Count, IsFocus FROM Mentions WHERE Id > {state.Mark.MentionId} AND Id <= {mark.MentionId} ORDER BY Id",
            row => mentions.Add((row.GetInt64(0), (int)row.GetInt64(1), row.GetInt32(2), row.GetBoolean(3))), cancellationToken);
        // The writer stores a batch's mentions in the order of the chart index (entity, then date), not of their
        // articles: appended in article order, each entity's postings grow at their end instead of inserting at a rank.
        mentions.Sort(static (a, b) => a.ArticleId.CompareTo(b.ArticleId));
        var kinds = new List<(long Id, EntityKind Kind)>();
        await ReadRowsAsync(connection, transaction, $"SELECT Id, Kind FROM Entities WHERE Id > {state.Mark.EntityId} AND Id <= {mark.EntityId}",
            row => kinds.Add((row.GetInt64(0), (EntityKind)row.GetInt32(1))), cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        _lock.EnterWriteLock();
        try
        {
            foreach (var (id, kind) in kinds)
            {
                state.Entities.TryAdd(id, new Postings(kind));
            }
            foreach (var (id, day, source, story, author) in articles)
            {
                state.SetArticle(id, day, source);
                state.SetStory(id, story);
                state.Authors.Set((int)id, author);
            }
            foreach (var (entityId, articleId, count, focus) in mentions)
            {
                if (state.Entities.TryGetValue(entityId, out var postings))
                {
                    postings.Add(articleId, count, focus);
                }
            }
            foreach (var entityId in mentions.Select(m => m.EntityId).Distinct())
            {
                if (state.Entities.TryGetValue(entityId, out var postings))
                {
                    postings.Seal(trim: false, state.Day.Length - 1);
                }
            }
            state.Mark = mark;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private static DateOnly ParseDay(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Runs a query and hands each row to <paramref name="row"/>.</summary>
    private static async Task ReadRowsAsync(DbConnection connection, DbTransaction transaction, string sql, Action<DbDataReader> row, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader);
        }
    }

    /// <summary>The set of articles a filter matches, as a bitmap over article ids.</summary>
    public sealed class Matches : IDisposable
    {
        private ulong[]? _bits;

        internal Matches(ulong[] bits, int words)
        {
            _bits = bits;
            Words = words;
        }

        internal ulong[] Bits => _bits ?? throw new ObjectDisposedException(nameof(Matches));
        internal int Words { get; }

        internal bool Contains(int id) => (id >> 6) < Words && (Bits[id >> 6] & (1UL << id)) != 0;

        public int Count
        {
            get
            {
                var bits = Bits;
                var count = 0;
                for (var i = 0; i < Words; i++)
                {
                    count += BitOperations.PopCount(bits[i]);
                }
                return count;
            }
        }

        /// <summary>How many matched articles have an id above <paramref name="afterId"/>: those stored since it (ids only grow).</summary>
        public int CountAfter(long afterId)
        {
            var bits = Bits;
            if (afterId >= ((long)Words << 6) - 1)
            {
                return 0;
            }
            var first = afterId < 0 ? 0 : afterId + 1;
            var word = (int)(first >> 6);
            // The first word counts only the bits from the id after afterId on.
            var count = BitOperations.PopCount(bits[word] & (ulong.MaxValue << (int)(first & 63)));
            for (var w = word + 1; w < Words; w++)
            {
                count += BitOperations.PopCount(bits[w]);
            }
            return count;
        }

        internal IEnumerable<int> Ids()
        {
            for (var w = 0; w < Words; w++)
            {
                var word = Bits[w];
                while (word != 0)
                {
                    yield return (w << 6) + BitOperations.TrailingZeroCount(word);
                    word &= word - 1;
                }
            }
        }

        public void Dispose()
        {
            if (_bits is { } bits)
            {
                ArrayPool<ulong>.Shared.Return(bits);
                _bits = null;
            }
        }
    }

    /// <summary>Read access to one version of the index; valid only inside <see cref="ReadAsync{T}"/>.</summary>
    public readonly struct Reader
    {
        private readonly State _state;

        internal Reader(State state) => _state = state;

        /// <summary>
        /// Articles published in [from, to] that mention every included entity and none of the excluded ones, and, when
        /// given, are among <paramref name="candidates"/> (a search's hits), come from <paramref name="source"/> and carry
        /// the byline <paramref name="author"/>. Starts from the included entity with the fewest articles, else from the
        /// candidates, else from every article; an unknown included entity, source or author matches nothing.
        /// </summary>
        public Matches Match(DateOnly? from, DateOnly? to, IReadOnlyCollection<long?> included, IReadOnlyCollection<long> excluded,
            IReadOnlyCollection<long>? candidates = null, string? source = null, string? author = null)
        {
            var state = _state;
            var words = (state.Day.Length >> 6) + 1;
            var bits = ArrayPool<ulong>.Shared.Rent(words);
            Array.Clear(bits, 0, words);
            var matches = new Matches(bits, words);
            var sourceNumber = 0;
            var authorNumber = 0;
            if (included.Any(id => id is null || !state.Entities.ContainsKey(id.Value))
                || (source is not null && !state.Sources.TryFind(source, out sourceNumber))
                || (author is not null && !state.Authors.TryFind(author, out authorNumber)))
            {
                return matches;
            }
            var lists = included.Select(id => state.Entities[id!.Value]).OrderBy(p => p.ArticleCount).ToList();
            var lo = from is { } f ? f.DayNumber + 1 : 1;
            var hi = to is { } t ? t.DayNumber + 1 : int.MaxValue;
            var day = state.Day;
            var sources = state.Sources;
            var authors = state.Authors;
            void Add(int id)
            {
                if (id < day.Length && day[id] >= lo && day[id] <= hi && (source is null || sources.Of(id) == sourceNumber)
                    && (author is null || authors.Of(id) == authorNumber))
                {
                    bits[id >> 6] |= 1UL << id;
                }
            }
            if (lists.Count > 0)
            {
                var driver = lists[0];
                if (driver.ArticleBits is { } own)
                {
                    for (var w = 0; w < own.Length && w < words; w++)
                    {
                        for (var word = own[w]; word != 0; word &= word - 1)
                        {
                            Add((w << 6) + BitOperations.TrailingZeroCount(word));
                        }
                    }
                }
                else
                {
                    for (var i = 0; i < driver.ArticleCount; i++)
                    {
                        Add(driver.Articles[i]);
                    }
                }
            }
            else if (candidates is not null)
            {
                foreach (var id in candidates)
                {
                    Add((int)id);
                }
            }
            else
            {
                for (var id = 1; id < day.Length; id++)
                {
                    Add(id);
                }
            }
            if (lists.Count > 1 || excluded.Count > 0 || (lists.Count > 0 && candidates is not null))
            {
                var other = ArrayPool<ulong>.Shared.Rent(words);
                try
                {
                    if (lists.Count > 0 && candidates is not null)
                    {
                        Array.Clear(other, 0, words);
                        foreach (var id in candidates.Where(id => id < day.Length))
                        {
                            other[id >> 6] |= 1UL << (int)id;
                        }
                        And(bits, other, words, negate: false);
                    }
                    foreach (var postings in lists.Skip(1))
                    {
                        And(bits, Fill(other, words, postings), words, negate: false);
                    }
                    foreach (var id in excluded)
                    {
                        if (state.Entities.TryGetValue(id, out var postings))
                        {
                            And(bits, Fill(other, words, postings), words, negate: true);
                        }
                    }
                }
                finally
                {
                    ArrayPool<ulong>.Shared.Return(other);
                }
            }
            return matches;
        }

        private static void And(ulong[] bits, ulong[] other, int words, bool negate)
        {
            var mask = negate ? ulong.MaxValue : 0UL;
            var common = Math.Min(words, other.Length);
            for (var w = 0; w < common; w++)
            {
                bits[w] &= other[w] ^ mask;
            }
            if (!negate)
            {
                Array.Clear(bits, common, words - common);
            }
        }

        /// <summary>The entity's articles as a bitmap: its own when it has one, else <paramref name="bits"/> filled from its ids.</summary>
        private static ulong[] Fill(ulong[] bits, int words, Postings postings)
        {
            if (postings.ArticleBits is { } own)
            {
                return own;
            }
            Array.Clear(bits, 0, words);
            for (var i = 0; i < postings.ArticleCount; i++)
            {
                var id = postings.Articles[i];
                bits[id >> 6] |= 1UL << id;
            }
            return bits;
        }

        /// <summary>
        /// For each entity of a kind, how many of the matched articles mention it, are about it (<see cref="CountMeasure.FocusArticles"/>)
        /// or how often they name it (<see cref="CountMeasure.Mentions"/>); zeros left out.
        /// </summary>
        public List<(long EntityId, int Count)> Counts(Matches matches, EntityKind kind, CountMeasure measure)
        {
            var counts = new List<(long, int)>();
            var bits = matches.Bits;
            var words = matches.Words;
            foreach (var (id, postings) in _state.Entities)
            {
                if (postings.Kind != kind)
                {
                    continue;
                }
                int count;
                if (measure == CountMeasure.Mentions)
                {
                    var occurrences = new OccurrenceVisitor(postings);
                    ForEachMatched(matches, postings, ref occurrences);
                    count = occurrences.Count;
                }
                else
                {
                    var focus = measure == CountMeasure.FocusArticles;
                    count = (focus ? postings.FocusBits : postings.ArticleBits) is { } own
                        ? AndCount(bits, words, own)
                        : TestCount(bits, words, focus ? postings.Focus : postings.Articles, focus ? postings.FocusCount : postings.ArticleCount);
                }
                if (count > 0)
                {
                    counts.Add((id, count));
                }
            }
            return counts;
        }

        /// <summary>
        /// For each entity of the given kinds, how many articles of <paramref name="period"/> and of <paramref name="before"/>
        /// mention it, in one pass over the postings (two windows of one view, <see cref="DashboardQueries.AttentionShiftAsync"/>):
        /// counting each window apart reads every entity's postings once per kind and window. Zeros in both left out.
        /// </summary>
        public List<(long EntityId, EntityKind Kind, int Period, int Before)> CountsInBoth(Matches period, Matches before, IReadOnlySet<EntityKind> kinds)
        {
            var counts = new List<(long, EntityKind, int, int)>();
            foreach (var (id, postings) in _state.Entities)
            {
                if (!kinds.Contains(postings.Kind))
                {
                    continue;
                }
                int now, then;
                if (postings.ArticleBits is { } own)
                {
                    now = AndCount(period.Bits, period.Words, own);
                    then = AndCount(before.Bits, before.Words, own);
                }
                else
                {
                    (now, then) = (0, 0);
                    var ids = postings.Articles;
                    for (var i = 0; i < postings.ArticleCount; i++)
                    {
                        var a = ids[i];
                        var w = a >> 6;
                        var bit = 1UL << a;
                        if (w < period.Words && (period.Bits[w] & bit) != 0)
                        {
                            now++;
                        }
                        else if (w < before.Words && (before.Bits[w] & bit) != 0)
                        {
                            then++;
                        }
                    }
                }
                if (now > 0 || then > 0)
                {
                    counts.Add((id, postings.Kind, now, then));
                }
            }
            return counts;
        }

        /// <summary>
        /// For each entity of a kind, how many distinct stories among the matched articles mention it (or, with
        /// <paramref name="focusOnly"/>, are about it): an article and its near-duplicate copies count once. Zeros left out.
        /// </summary>
        public List<(long EntityId, int Count)> StoryCounts(Matches matches, EntityKind kind, bool focusOnly)
        {
            var counts = new List<(long, int)>();
            var seen = ArrayPool<int>.Shared.Rent(_state.Day.Length);
            try
            {
                Array.Clear(seen, 0, _state.Day.Length);
                var stamp = 0;
                foreach (var (id, postings) in _state.Entities)
                {
                    if (postings.Kind != kind)
                    {
                        continue;
                    }
                    // A new stamp per entity: the story marks of the previous one need no clearing.
                    if (!focusOnly && postings.ArticleBits is { } own)
                    {
                        var dense = DenseStories(matches, own, seen, ++stamp);
                        if (dense > 0)
                        {
                            counts.Add((id, dense));
                        }
                        continue;
                    }
                    var visitor = new StoryVisitor(_state, seen, ++stamp);
                    if (focusOnly)
                    {
                        ForEachMatchedFocus(matches, postings, ref visitor);
                    }
                    else
                    {
                        ForEachMatched(matches, postings, ref visitor);
                    }
                    if (visitor.Count > 0)
                    {
                        counts.Add((id, visitor.Count));
                    }
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(seen);
            }
            return counts;
        }

        /// <summary>
        /// Stories of a bitmap entity: the matched articles that are not copies are each a story of their own (a
        /// popcount); a copy adds its story only when the story's first article is not among them and no other copy
        /// of it came before. Copies are a few percent of the articles, so this visits a few percent of the bits.
        /// </summary>
        private int DenseStories(Matches matches, ulong[] own, int[] seen, int stamp)
        {
            var bits = matches.Bits;
            var copies = _state.Copies;
            var story = _state.Story;
            var count = 0;
            var common = Math.Min(matches.Words, own.Length);
            for (var w = 0; w < common; w++)
            {
                var mine = bits[w] & own[w];
                var copied = w < copies.Length ? mine & copies[w] : 0;
                count += BitOperations.PopCount(mine & ~copied);
                for (; copied != 0; copied &= copied - 1)
                {
                    var root = story[(w << 6) + BitOperations.TrailingZeroCount(copied)];
                    var rootWord = root >> 6;
                    var rootCounted = rootWord < common && (bits[rootWord] & own[rootWord] & (1UL << root)) != 0;
                    if (!rootCounted && seen[root] != stamp)
                    {
                        seen[root] = stamp;
                        count++;
                    }
                }
            }
            return count;
        }

        /// <summary>For each entity of a kind, its occurrences in the matched articles that are about it. Zeros left out.</summary>
        public List<(long EntityId, int Count)> FocusOccurrences(Matches matches, EntityKind kind)
        {
            var counts = new List<(long, int)>();
            foreach (var (id, postings) in _state.Entities)
            {
                if (postings.Kind != kind || postings.FocusCount == 0)
                {
                    continue;
                }
                var visitor = new OccurrenceVisitor(postings);
                ForEachMatchedFocus(matches, postings, ref visitor);
                if (visitor.Count > 0)
                {
                    counts.Add((id, visitor.Count));
                }
            }
            return counts;
        }

        /// <summary>What is done with each of an entity's matched articles (a struct, so the loop below is compiled for each).</summary>
        private interface IMatchVisitor
        {
            /// <summary><paramref name="rank"/>: the article's position among the entity's articles in id order (its count's index).</summary>
            void Visit(int articleId, int rank);
        }

        private struct StoryVisitor(State state, int[] seen, int stamp) : IMatchVisitor
        {
            public int Count;

            public void Visit(int articleId, int rank)
            {
                var story = state.StoryOf(articleId);
                if (seen[story] != stamp)
                {
                    seen[story] = stamp;
                    Count++;
                }
            }
        }

        private struct OccurrenceVisitor(Postings postings) : IMatchVisitor
        {
            public int Count;

            public void Visit(int articleId, int rank) => Count += postings.CountAt(rank, articleId);
        }

        /// <summary>
        /// Visits the entity's matched articles that are about it, with their ranks among all its articles: driven by
        /// the "about" set, which is a fraction of the articles (testing each article against it cost 400 ms at a million).
        /// </summary>
        private static void ForEachMatchedFocus<T>(Matches matches, Postings postings, ref T visitor) where T : struct, IMatchVisitor
        {
            var bits = matches.Bits;
            var words = matches.Words;
            var own = postings.ArticleBits;
            if (postings.FocusBits is { } focus && own is not null)
            {
                var rank = 0;
                var common = Math.Min(words, own.Length);
                for (var w = 0; w < common; w++)
                {
                    var mine = own[w];
                    for (var both = bits[w] & (w < focus.Length ? focus[w] : 0) & mine; both != 0; both &= both - 1)
                    {
                        var bit = BitOperations.TrailingZeroCount(both);
                        visitor.Visit((w << 6) + bit, rank + BitOperations.PopCount(mine & ((1UL << bit) - 1)));
                    }
                    rank += BitOperations.PopCount(mine);
                }
                return;
            }
            if (postings.FocusBits is not null)
            {
                // About-bitmap beside an id list (only between a load's seals): test each article.
                for (var i = 0; i < postings.ArticleCount; i++)
                {
                    var a = postings.Articles[i];
                    if ((a >> 6) < words && (bits[a >> 6] & (1UL << a)) != 0 && postings.IsFocus(a))
                    {
                        visitor.Visit(a, i);
                    }
                }
                return;
            }
            // The "about" ids are a sorted list: walk it, keeping the article rank alongside.
            var ranked = 0;
            var word = 0;
            var index = 0;
            for (var f = 0; f < postings.FocusCount; f++)
            {
                var id = postings.Focus[f];
                if (own is not null)
                {
                    var target = id >> 6;
                    for (; word < target && word < own.Length; word++)
                    {
                        ranked += BitOperations.PopCount(own[word]);
                    }
                    if (target >= own.Length)
                    {
                        break;
                    }
                    index = ranked + BitOperations.PopCount(own[target] & ((1UL << id) - 1));
                }
                else
                {
                    while (index < postings.ArticleCount && postings.Articles[index] < id)
                    {
                        index++;
                    }
                    if (index == postings.ArticleCount || postings.Articles[index] != id)
                    {
                        continue;
                    }
                }
                if ((id >> 6) < words && (bits[id >> 6] & (1UL << id)) != 0)
                {
                    visitor.Visit(id, index);
                }
            }
        }

        /// <summary>Visits the entity's articles that are among the matches, with their ranks, in id order.</summary>
        private static void ForEachMatched<T>(Matches matches, Postings postings, ref T visitor) where T : struct, IMatchVisitor
        {
            var bits = matches.Bits;
            var words = matches.Words;
            if (postings.ArticleBits is { } own)
            {
                var rank = 0;
                var common = Math.Min(words, own.Length);
                for (var w = 0; w < common; w++)
                {
                    var mine = own[w];
                    for (var both = bits[w] & mine; both != 0; both &= both - 1)
                    {
                        var bit = BitOperations.TrailingZeroCount(both);
                        visitor.Visit((w << 6) + bit, rank + BitOperations.PopCount(mine & ((1UL << bit) - 1)));
                    }
                    rank += BitOperations.PopCount(mine);
                }
                return;
            }
            var ids = postings.Articles;
            for (var i = 0; i < postings.ArticleCount; i++)
            {
                var a = ids[i];
                if ((a >> 6) < words && (bits[a >> 6] & (1UL << a)) != 0)
                {
                    visitor.Visit(a, i);
                }
            }
        }

        private static int AndCount(ulong[] bits, int words, ulong[] other)
        {
            var count = 0;
            var common = Math.Min(words, other.Length);
            for (var w = 0; w < common; w++)
            {
                count += BitOperations.PopCount(bits[w] & other[w]);
            }
            return count;
        }

        private static int TestCount(ulong[] bits, int words, int[] ids, int n)
        {
            var count = 0;
            for (var i = 0; i < n; i++)
            {
                var a = ids[i];
                if ((a >> 6) < words && (bits[a >> 6] & (1UL << a)) != 0)
                {
                    count++;
                }
            }
            return count;
        }

        /// <summary>How many entities of a kind at least one matched article mentions.</summary>
        public int Distinct(Matches matches, EntityKind kind)
        {
            var bits = matches.Bits;
            var words = matches.Words;
            var distinct = 0;
            foreach (var postings in _state.Entities.Values)
            {
                if (postings.Kind != kind)
                {
                    continue;
                }
                if (postings.ArticleBits is { } own)
                {
                    var common = Math.Min(words, own.Length);
                    for (var w = 0; w < common; w++)
                    {
                        if ((bits[w] & own[w]) != 0)
                        {
                            distinct++;
                            break;
                        }
                    }
                    continue;
                }
                var ids = postings.Articles;
                for (var i = 0; i < postings.ArticleCount; i++)
                {
                    var a = ids[i];
                    if ((a >> 6) < words && (bits[a >> 6] & (1UL << a)) != 0)
                    {
                        distinct++;
                        break;
                    }
                }
            }
            return distinct;
        }

        /// <summary>
        /// The ids of one timeline page of the matched articles, newest first (publication day, then id, both
        /// descending), after <paramref name="skip"/> rows or after the cursor: a bounded heap, so a deep page costs
        /// one pass over the matches.
        /// </summary>
        public List<long> Page(Matches matches, int skip, int take, TimelineCursor? after)
        {
            var wanted = skip + take;
            if (wanted <= 0)
            {
                return [];
            }
            var limit = after is { } cursor ? Key(cursor.PublishedDate.DayNumber + 1, cursor.Id) : long.MaxValue;
            var heap = new PriorityQueue<long, long>(Math.Min(wanted, 4096));
            var day = _state.Day;
            foreach (var id in matches.Ids())
            {
                var key = Key(day[id], id);
                if (key >= limit)
                {
                    continue;
                }
                if (heap.Count < wanted)
                {
                    heap.Enqueue(key, key);
                }
                else if (key > heap.Peek())
                {
                    heap.EnqueueDequeue(key, key);
                }
            }
            var page = new List<long>(heap.Count);
            while (heap.Count > 0)
            {
                page.Add(heap.Dequeue() & uint.MaxValue);
            }
            page.Reverse();
            return page.Skip(skip).ToList();
        }

        private static long Key(int day, long id) => ((long)day << 32) | id;

        /// <summary>
        /// Keeps one article per story among the matches: the story's first copy when it matches, else its earliest
        /// matched copy (a copy always has a larger id than the first copy, and ids are visited in ascending order).
        /// </summary>
        public void CollapseStories(Matches matches)
        {
            var state = _state;
            var bits = matches.Bits;
            var copies = state.Copies;
            Dictionary<int, int>? kept = null;
            for (var w = 0; w < matches.Words && w < copies.Length; w++)
            {
                for (var word = bits[w] & copies[w]; word != 0; word &= word - 1)
                {
                    var bit = BitOperations.TrailingZeroCount(word);
                    var first = state.Story[(w << 6) + bit];
                    // The first copy is never a copy itself, so it is still marked if it matched.
                    if (matches.Contains(first) || !(kept ??= []).TryAdd(first, (w << 6) + bit))
                    {
                        bits[w] &= ~(1UL << bit);
                    }
                }
            }
        }

        /// <summary>How many distinct named sources the matched articles come from.</summary>
        public int Sources(Matches matches)
        {
            var sources = _state.Sources;
            if (sources.Names.Count == 1)
            {
                return 0;
            }
            var seen = new bool[sources.Names.Count];
            var distinct = 0;
            foreach (var id in matches.Ids())
            {
                var source = sources.Of(id);
                if (source != 0 && !seen[source])
                {
                    seen[source] = true;
                    distinct++;
                }
            }
            return distinct;
        }

        /// <summary>The named sources with the most matched articles, most first (ties by name).</summary>
        public List<NamedCount> TopSources(Matches matches, int limit) => Top(matches, _state.Sources, limit);

        /// <summary>The bylines with the most matched articles, most first (ties by name).</summary>
        public List<NamedCount> TopAuthors(Matches matches, int limit) => Top(matches, _state.Authors, limit);

        private static List<NamedCount> Top(Matches matches, ArticleLabels labels, int limit)
        {
            var names = labels.Names;
            if (names.Count == 1 || limit <= 0)
            {
                return [];
            }
            var counts = ArrayPool<int>.Shared.Rent(names.Count);
            Array.Clear(counts, 0, names.Count);
            try
            {
                foreach (var id in matches.Ids())
                {
                    counts[labels.Of(id)]++;
                }
                // Number 0 is "none".
                return Enumerable.Range(1, names.Count - 1).Where(n => counts[n] > 0)
                    .Select(n => new NamedCount(names[n], counts[n]))
                    .OrderByDescending(c => c.Articles).ThenBy(c => c.Name, StringComparer.Ordinal)
                    .Take(limit)
                    .ToList();
            }
            finally
            {
                ArrayPool<int>.Shared.Return(counts);
            }
        }

        /// <summary>Matched articles per publication day, oldest first.</summary>
        public List<VolumePoint> Days(Matches matches)
        {
            var perDay = new Dictionary<int, int>();
            foreach (var id in matches.Ids())
            {
                var day = _state.Day[id] - 1;
                perDay[day] = perDay.GetValueOrDefault(day) + 1;
            }
            return perDay.OrderBy(d => d.Key).Select(d => new VolumePoint(DateOnly.FromDayNumber(d.Key), d.Value)).ToList();
        }
    }
}
