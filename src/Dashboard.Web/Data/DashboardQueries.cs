using System.Collections.Frozen;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Data;

/// <summary>Articles per day in the current filter: the volume chart's numbers.</summary>
public sealed record VolumePoint(DateOnly Day, int Articles);

/// <summary>One bar of an entity chart and one row of <c>GET /api/mentions</c>.</summary>
public sealed record EntityCount(string Key, string Name, int Count);

/// <summary>One bar of the sources or the authors chart: an outlet or a byline, and its articles in the filter.</summary>
public sealed record NamedCount(string Name, int Articles);

/// <summary>An entity as a chip on a timeline row.</summary>
public sealed record EntityChip(EntityKind Kind, string Key, string Name)
{
    public EntityRef Ref => new(Kind, Key);
}

/// <summary>One row of the timeline.</summary>
public sealed record TimelineArticle(long Id, string Title, DateOnly PublishedDate, string? Source, string? Url, IReadOnlyList<EntityChip> Entities)
{
    /// <summary>The passage around the search hits when the filter has a search, else the opening of the text.</summary>
    public IReadOnlyList<SnippetPart> Snippet { get; init; } = [];

    /// <summary>The byline, when the article has one.</summary>
    public string? Author { get; init; }

    /// <summary>How many other stored articles are copies of its story (wire copies, a changed headline), any date.</summary>
    public int StoryCopies { get; init; }
}

/// <summary>Another article of the same story, for the article page: the first copy stands for the story.</summary>
public sealed record StoryCopy(long Id, string Title, DateOnly PublishedDate, string? Source, bool IsFirst);

/// <summary>The other copies of an article's story, oldest first, the first <see cref="Copies"/> of <see cref="Total"/>.</summary>
public sealed record StoryCopies(int Total, IReadOnlyList<StoryCopy> Copies);

/// <summary>A page of the timeline and how many articles the filter matches in all.</summary>
public sealed record TimelinePage(IReadOnlyList<TimelineArticle> Articles, int Total);

/// <summary>The headline numbers above the charts.</summary>
public sealed record DashboardSummary(int Articles, int Countries, int Actors, int Sources);

/// <summary>An entity found in an article with every place it occurs.</summary>
public sealed record ArticleMention(EntityKind Kind, string Key, string Name, int Count, bool IsFocus, double Score, IReadOnlyList<MentionSpan> Spans);

/// <summary>Everything the article page shows.</summary>
public sealed record ArticleDetail(long Id, string Title, string Text, DateOnly PublishedDate, bool DateIsFallback, string? Source, string? Url, string? Author, DateTime IngestedAt, IReadOnlyList<ArticleMention> Mentions);

/// <summary>A bar of the actors chart: people and organisations ranked together, so each bar keeps its kind.</summary>
public sealed record ActorCount(EntityKind Kind, string Key, string Name, int Count)
{
    public EntityRef Ref => new(Kind, Key);
}

/// <summary>How wide one bar of the volume chart is.</summary>
public enum VolumeBucket
{
    Day,
    Week,
    Month,
}

/// <summary>The volume chart's bars: article counts per day, week (from Monday) or month, gaps filled with zero.</summary>
public sealed record VolumeSeries(VolumeBucket Bucket, IReadOnlyList<VolumePoint> Points)
{
    /// <summary>The first and last day a bar covers, for turning a click on it into a date filter.</summary>
    public (DateOnly From, DateOnly To) RangeOf(int index)
    {
        var start = Points[index].Day;
        return Bucket switch
        {
            VolumeBucket.Week => (start, start.AddDays(6)),
            VolumeBucket.Month => (start, start.AddMonths(1).AddDays(-1)),
            _ => (start, start),
        };
    }
}

/// <summary>Where the timeline stopped: the last row shown, so the next page starts after it without counting rows (keyset paging).</summary>
public sealed record TimelineCursor(DateOnly PublishedDate, long Id);

/// <summary>One entity's line on the trend chart: its counts per bucket of <see cref="EntityTrends.Starts"/>.</summary>
public sealed record EntityTrend(EntityRef Entity, string Name, IReadOnlyList<int> Counts);

/// <summary>Several entities over time on the same buckets as the volume chart, for comparing them side by side.</summary>
public sealed record EntityTrends(VolumeBucket Bucket, IReadOnlyList<DateOnly> Starts, IReadOnlyList<EntityTrend> Series)
{
    /// <summary>
    /// Every article of each bucket in the filter's sources and bylines, whatever it mentions or says: what a series'
    /// share is a share of. Empty unless asked for (<see cref="DashboardQueries.TrendsAsync"/>).
    /// </summary>
    public IReadOnlyList<int> AllArticles { get; init; } = [];

    /// <summary>A series as percentages of <see cref="AllArticles"/>, per bucket (0 where the bucket has no articles).</summary>
    public IReadOnlyList<double> Shares(EntityTrend series) =>
        series.Counts.Select((count, i) => i < AllArticles.Count && AllArticles[i] > 0 ? Math.Round(100.0 * count / AllArticles[i], 2) : 0).ToList();
}

/// <summary>What the entity page heads with: the canonical name, other names, and how many articles mention it.</summary>
public sealed record EntityDetail(EntityRef Ref, string Name, IReadOnlyList<string> Aliases, int Articles);

/// <summary>
/// The queries behind every chart, the timeline and the API. Pages and endpoints call these and nothing
/// else, so a number on a bar, the rows under it and the API's answer always come from the same SQL.
/// </summary>
public sealed class DashboardQueries(IDbContextFactory<DashboardDb> dbFactory)
{
    private readonly CoMentionIndex _index = new(dbFactory);

    /// <summary>
    /// Read the pre-aggregated <see cref="DailyCounts"/> when the filter is only a date range (or one entity, for
    /// volumes and timeline totals), count under entity filters with the in-memory <see cref="CoMentionIndex"/>, and
    /// drive entity-filtered timelines from the mention index. Off, every number is counted from articles and
    /// mentions through <see cref="FilterAsync"/>: the tests compare both.
    /// </summary>
    public bool UseDailyCounts { get; init; } = true;

    /// <summary>Loads the co-mention index now, however large the store, instead of on the first entity filter.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken = default) => _index.WarmUpAsync(cancellationToken);

    /// <summary>Starts loading the co-mention index in the background (at start-up), without waiting for it.</summary>
    public void StartLoadingIndex() => _index.StartLoading();

    /// <summary>A count wrapped so "not answered by the index" can be null.</summary>
    private sealed record Counted(int Articles);

    /// <summary>
    /// Runs <paramref name="read"/> over the articles the filter matches, from the <see cref="CoMentionIndex"/> (a search
    /// contributes its hits' ids from the full-text index); null when the fast paths are off: the caller then counts in SQL.
    /// </summary>
    private Task<T?> IndexedAsync<T>(DashboardDb db, ArticleFilter filter, Func<CoMentionIndex.Reader, CoMentionIndex.Matches, T> read, CancellationToken cancellationToken)
        where T : class =>
        IndexedWindowsAsync(db, filter, (reader, match) =>
        {
            using var matches = match(filter.From, filter.To);
            return read(reader, matches);
        }, cancellationToken);

    /// <summary>
    /// <see cref="IndexedAsync"/> over two date windows of one filter at once: its entities and search are resolved once
    /// and both windows are read from the same state of the index.
    /// </summary>
    private Task<T?> IndexedAsync<T>(DashboardDb db, ArticleFilter filter, (DateOnly From, DateOnly To) first, (DateOnly From, DateOnly To) second,
        Func<CoMentionIndex.Reader, CoMentionIndex.Matches, CoMentionIndex.Matches, T> read, CancellationToken cancellationToken)
        where T : class =>
        IndexedWindowsAsync(db, filter, (reader, match) =>
        {
            using var one = match(first.From, first.To);
            using var two = match(second.From, second.To);
            return read(reader, one, two);
        }, cancellationToken);

    /// <summary>
    /// Resolves the filter's entities and search once and runs <paramref name="read"/> under the index, handing it a way to
    /// match the filter over any dates (the caller disposes each match); null when the fast paths are off.
    /// </summary>
    private async Task<T?> IndexedWindowsAsync<T>(DashboardDb db, ArticleFilter filter,
        Func<CoMentionIndex.Reader, Func<DateOnly?, DateOnly?, CoMentionIndex.Matches>, T> read, CancellationToken cancellationToken)
        where T : class
    {
        if (!UseDailyCounts)
        {
            return null;
        }
        var (included, excluded, hits) = await IndexTermsAsync(db, filter, cancellationToken);
        var source = string.IsNullOrWhiteSpace(filter.Source) ? null : filter.Source;
        return await _index.ReadAsync(reader => read(reader, (from, to) => reader.Match(from, to, included, excluded, hits, source, filter.Author)), cancellationToken);
    }

    /// <summary>A filter's entities as ids (null: not in the store, so nothing matches) and its search as the ids of its hits.</summary>
    private async Task<(List<long?> Included, List<long> Excluded, List<long>? Hits)> IndexTermsAsync(DashboardDb db, ArticleFilter filter, CancellationToken cancellationToken)
    {
        var included = new List<long?>();
        foreach (var entity in filter.Entities)
        {
            included.Add(await EntityIdAsync(db, entity, cancellationToken));
        }
        var excluded = new List<long>();
        foreach (var entity in filter.Excluded)
        {
            if (await EntityIdAsync(db, entity, cancellationToken) is { } id)
            {
                excluded.Add(id);
            }
        }
        var hits = string.IsNullOrWhiteSpace(filter.Text) ? null : await SearchHitsAsync(db, filter.Text.Trim(), cancellationToken);
        return (included, excluded, hits);
    }

    /// <summary>Recent searches' hits and the newest article id when they were read (a refresh asks for one search about ten times).</summary>
    private readonly Dictionary<string, (long NewestArticle, List<long> Hits)> _searches = new(StringComparer.Ordinal);

    /// <summary>
    /// The ids of the articles a search matches, reused while no article has been stored since: a stored article's text
    /// changes only when its page is fetched for the full text, which calls <see cref="ForgetSearches"/>, so otherwise
    /// only a new article can change the hits. The newest id is read before the hits, so an article stored in between
    /// makes the next call read them again rather than be missed.
    /// </summary>
    private async Task<List<long>> SearchHitsAsync(DashboardDb db, string text, CancellationToken cancellationToken)
    {
        var newest = await db.Articles.MaxAsync(a => (long?)a.Id, cancellationToken) ?? 0;
        lock (_searches)
        {
            if (_searches.TryGetValue(text, out var cached) && cached.NewestArticle == newest)
            {
                return cached.Hits;
            }
        }
        var hits = await FullTextSearch.MatchingIdsAsync(db, text, cancellationToken);
        lock (_searches)
        {
            if (_searches.Count >= 8)
            {
                _searches.Clear();
            }
            _searches[text] = (newest, hits);
        }
        return hits;
    }

    /// <summary>Drops the remembered search hits: a stored article's text changed (<see cref="Feeds.FullTextFetch"/>).</summary>
    public void ForgetSearches()
    {
        lock (_searches)
        {
            _searches.Clear();
        }
    }

    /// <summary>True when the filter is a date range only, so the daily counts answer it.</summary>
    private bool DatesOnly(ArticleFilter filter) =>
        UseDailyCounts && filter.Entities.Count == 0 && filter.Excluded.Count == 0 && string.IsNullOrWhiteSpace(filter.Source)
        && filter.Author is null && string.IsNullOrWhiteSpace(filter.Text);

    /// <summary>
    /// For a filter of dates and entities only: the mentions of its rarest included entity in the window, narrowed to
    /// articles that also mention the other included entities and none of the excluded ones. One row per matching
    /// article, read off the (EntityId, PublishedDate, ArticleId) index and probed on (ArticleId, EntityId), instead of
    /// testing every article in the window. <c>Single</c> is the entity id when it is the whole filter (the daily
    /// counts then hold its totals). Null when the filter has a source or a search, or the fast paths are off.
    /// </summary>
    private async Task<(IQueryable<Mention> Mentions, long? Single)?> EntityMentionsAsync(DashboardDb db, ArticleFilter filter, CancellationToken cancellationToken)
    {
        if (!UseDailyCounts || filter.Entities.Count == 0 || !string.IsNullOrWhiteSpace(filter.Source) || filter.Author is not null || !string.IsNullOrWhiteSpace(filter.Text))
        {
            return null;
        }
        var included = new List<(long Id, int Articles)>();
        foreach (var entity in filter.Entities)
        {
            if (await EntityIdAsync(db, entity, cancellationToken) is not { } id)
            {
                return (db.Mentions.Where(m => false), null);
            }
            included.Add((id, await DailyCounts.EntityArticlesAsync(db, id, filter.From, filter.To, cancellationToken)));
        }
        var excluded = new List<long>();
        foreach (var entity in filter.Excluded)
        {
            if (await EntityIdAsync(db, entity, cancellationToken) is { } id)
            {
                excluded.Add(id);
            }
        }
        var driver = included.MinBy(e => e.Articles).Id;
        var lo = filter.From ?? DateOnly.MinValue;
        var hi = filter.To ?? DateOnly.MaxValue;
        var mentions = db.Mentions.AsNoTracking().Where(m => m.EntityId == driver && m.PublishedDate >= lo && m.PublishedDate <= hi);
        foreach (var (other, _) in included.Where(e => e.Id != driver))
        {
            mentions = mentions.Where(m => db.Mentions.Any(o => o.ArticleId == m.ArticleId && o.EntityId == other));
        }
        foreach (var other in excluded)
        {
            mentions = mentions.Where(m => !db.Mentions.Any(o => o.ArticleId == m.ArticleId && o.EntityId == other));
        }
        return (mentions, included.Count == 1 && excluded.Count == 0 ? driver : null);
    }

    public async Task<IReadOnlyList<VolumePoint>> VolumeAsync(ArticleFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (DatesOnly(filter))
        {
            return await DailyCounts.VolumeAsync(db, filter.From, filter.To, cancellationToken);
        }
        var entityMentions = await EntityMentionsAsync(db, filter, cancellationToken);
        if (entityMentions is (_, { } single))
        {
            return await DailyCounts.EntityVolumeAsync(db, single, filter.From, filter.To, cancellationToken);
        }
        if (await IndexedAsync(db, filter, (index, matches) => index.Days(matches), cancellationToken) is { } indexed)
        {
            return indexed;
        }
        if (entityMentions is var (mentioning, _))
        {
            var days = await mentioning.GroupBy(m => m.PublishedDate).Select(g => new { Day = g.Key, Count = g.Count() }).OrderBy(g => g.Day).ToListAsync(cancellationToken);
            return days.Select(d => new VolumePoint(d.Day, d.Count)).ToList();
        }
        var articles = await FilterAsync(db, filter, cancellationToken);
        var rows = await articles
            .GroupBy(a => a.PublishedDate)
            .Select(g => new { Day = g.Key, Count = g.Count() })
            .OrderBy(g => g.Day)
            .ToListAsync(cancellationToken);
        return rows.Select(r => new VolumePoint(r.Day, r.Count)).ToList();
    }

    /// <summary>The most mentioned entities of one kind. Counts articles (not occurrences) unless asked, so repetition inside one article does not inflate a bar.</summary>
    /// <param name="countStories">Count distinct stories: an article and its near-duplicate wire copies count once.</param>
    public async Task<IReadOnlyList<EntityCount>> TopEntitiesAsync(EntityKind kind, ArticleFilter filter, int limit = 10, bool countMentions = false, bool focusOnly = false, CancellationToken cancellationToken = default, bool countStories = false)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ranked = await CountEntitiesAsync(db, kind, filter, limit, countMentions, focusOnly, countStories, cancellationToken);
        var names = await EntityNamesAsync(db, ranked.Select(t => t.EntityId).ToList(), cancellationToken);
        return ranked.Select(t => new EntityCount(names[t.EntityId].Key, names[t.EntityId].Name, t.Count))
            .OrderByDescending(t => t.Count).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The key and name of each entity id.</summary>
    private static async Task<Dictionary<long, (string Key, string Name)>> EntityNamesAsync(DashboardDb db, List<long> ids, CancellationToken cancellationToken)
    {
        var names = new Dictionary<long, (string Key, string Name)>(ids.Count);
        foreach (var chunk in ids.Chunk(2_000))
        {
            foreach (var entity in await db.Entities.Where(e => chunk.Contains(e.Id)).Select(e => new { e.Id, e.Key, e.Name }).ToListAsync(cancellationToken))
            {
                names[entity.Id] = (entity.Key, entity.Name);
            }
        }
        return names;
    }

    /// <summary>
    /// The <paramref name="limit"/> entities of one kind with the highest counts in the filter, by id, ranked by count
    /// then id: from the daily counts for dates alone, else from the co-mention index, else (fast paths off) in SQL.
    /// </summary>
    private async Task<List<(long EntityId, int Count)>> CountEntitiesAsync(DashboardDb db, EntityKind kind, ArticleFilter filter, int limit, bool countMentions, bool focusOnly, bool countStories, CancellationToken cancellationToken)
    {
        if (DatesOnly(filter) && !countStories && !(countMentions && focusOnly))
        {
            var measure = countMentions ? CountMeasure.Mentions : focusOnly ? CountMeasure.FocusArticles : CountMeasure.Articles;
            var totals = await DailyCounts.TopAsync(db, kind, filter.From, filter.To, measure, limit, cancellationToken);
            return totals.Select(t => (t.EntityId, t.Count)).ToList();
        }
        // Every other count comes from the co-mention index; the SQL below is for when it is switched off (tests compare the two).
        if (await IndexedAsync(db, filter, (index, matches) => countMentions && focusOnly ? index.FocusOccurrences(matches, kind)
                : countMentions ? index.Counts(matches, kind, CountMeasure.Mentions)
                : countStories ? index.StoryCounts(matches, kind, focusOnly)
                : index.Counts(matches, kind, focusOnly ? CountMeasure.FocusArticles : CountMeasure.Articles), cancellationToken) is { } counts)
        {
            // Ranked like the SQL below: count, then entity id, so both cut the same top N.
            return counts.OrderByDescending(c => c.Count).ThenBy(c => c.EntityId).Take(limit).ToList();
        }
        var articles = await FilterAsync(db, filter, cancellationToken);
        var mentions = db.Mentions.Where(m => m.Entity!.Kind == kind);
        if (filter.From is { } from)
        {
            mentions = mentions.Where(m => m.PublishedDate >= from);
        }
        if (filter.To is { } to)
        {
            mentions = mentions.Where(m => m.PublishedDate <= to);
        }
        if (focusOnly)
        {
            mentions = mentions.Where(m => m.IsFocus);
        }
        if (await EntityMentionsAsync(db, filter, cancellationToken) is var (mentioning, _))
        {
            var ids = mentioning.Select(m => m.ArticleId);
            mentions = mentions.Where(m => ids.Contains(m.ArticleId));
        }
        else if (filter.Entities.Count > 0 || filter.Excluded.Count > 0 || filter.Source is not null || filter.Author is not null || !string.IsNullOrWhiteSpace(filter.Text))
        {
            var ids = articles.Select(a => a.Id);
            mentions = mentions.Where(m => ids.Contains(m.ArticleId));
        }
        var grouped = countMentions
            ? mentions.GroupBy(m => m.EntityId).Select(g => new { EntityId = g.Key, Count = g.Sum(m => m.Count) })
            : countStories
                ? mentions.GroupBy(m => m.EntityId).Select(g => new { EntityId = g.Key, Count = g.Select(m => m.Article!.StoryId ?? m.ArticleId).Distinct().Count() })
                : mentions.GroupBy(m => m.EntityId).Select(g => new { EntityId = g.Key, Count = g.Count() });
        var top = await grouped.OrderByDescending(g => g.Count).ThenBy(g => g.EntityId).Take(limit).ToListAsync(cancellationToken);
        return top.Select(t => (t.EntityId, t.Count)).ToList();
    }

    /// <summary>
    /// The outlets with the most articles in the filter: from the daily counts for dates alone, else from the
    /// co-mention index, else (fast paths off) in SQL.
    /// </summary>
    public async Task<IReadOnlyList<NamedCount>> TopSourcesAsync(ArticleFilter filter, int limit = 10, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (DatesOnly(filter))
        {
            var lo = filter.From ?? DateOnly.MinValue;
            var hi = filter.To ?? DateOnly.MaxValue;
            var top = await db.ArticleDays.Where(d => d.Day >= lo && d.Day <= hi && d.Source != "")
                .GroupBy(d => d.Source).Select(g => new { Source = g.Key, Articles = g.Sum(d => d.Articles) })
                .OrderByDescending(g => g.Articles).ThenBy(g => g.Source).Take(limit)
                .ToListAsync(cancellationToken);
            return Ranked(top.Select(t => new NamedCount(t.Source, t.Articles)));
        }
        if (await IndexedAsync(db, filter, (index, matches) => index.TopSources(matches, limit), cancellationToken) is { } indexed)
        {
            return indexed;
        }
        return await TopNamesAsync(db, filter, limit, a => a.Source, cancellationToken);
    }

    /// <summary>
    /// The bylines with the most articles in the filter: from the co-mention index (which holds each article's
    /// byline), else in SQL over the Author index.
    /// </summary>
    public async Task<IReadOnlyList<NamedCount>> TopAuthorsAsync(ArticleFilter filter, int limit = 10, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await IndexedAsync(db, filter, (index, matches) => index.TopAuthors(matches, limit), cancellationToken) is { } indexed)
        {
            return indexed;
        }
        return await TopNamesAsync(db, filter, limit, a => a.Author, cancellationToken);
    }

    /// <summary>The filter's articles grouped by one of their names (outlet, byline) in SQL, most first.</summary>
    private static async Task<IReadOnlyList<NamedCount>> TopNamesAsync(DashboardDb db, ArticleFilter filter, int limit,
        System.Linq.Expressions.Expression<Func<Article, string?>> name, CancellationToken cancellationToken)
    {
        var articles = await FilterAsync(db, filter, cancellationToken);
        var counted = await articles.Select(name).Where(n => n != null)
            .GroupBy(n => n!).Select(g => new { Name = g.Key, Articles = g.Count() })
            .OrderByDescending(g => g.Articles).ThenBy(g => g.Name).Take(limit)
            .ToListAsync(cancellationToken);
        return Ranked(counted.Select(t => new NamedCount(t.Name, t.Articles)));
    }

    /// <summary>Most articles first, ties by name in ordinal order, as the index ranks them.</summary>
    private static List<NamedCount> Ranked(IEnumerable<NamedCount> counts) =>
        counts.OrderByDescending(c => c.Articles).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();

    /// <summary>Newest first, with each article's countries, actors and topics as chips.</summary>
    /// <param name="oneRowPerStory">Counting stories: one row per story, its earliest copy the filter matches (the total
    /// is then stories), as the charts count them.</param>
    public async Task<TimelinePage> TimelineAsync(ArticleFilter filter, int skip, int take, CancellationToken cancellationToken = default, bool oneRowPerStory = false)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (oneRowPerStory)
        {
            // From the co-mention index, which knows each article's story; in SQL when it is switched off.
            if (await IndexedAsync(db, filter, (index, matches) =>
                {
                    index.CollapseStories(matches);
                    return new IndexedPage(index.Page(matches, skip, take, null), matches.Count);
                }, cancellationToken) is { } stories)
            {
                return new TimelinePage(await TimelineArticlesAsync(db, filter, await RowsAsync(db, stories.Ids, cancellationToken), cancellationToken), stories.Total);
            }
            var firstCopies = FirstCopies(await FilterAsync(db, filter, cancellationToken));
            return new TimelinePage(await TimelineArticlesAsync(db, filter, await PageAsync(firstCopies, skip, take, cancellationToken), cancellationToken),
                await firstCopies.CountAsync(cancellationToken));
        }
        if (DatesOnly(filter))
        {
            var (articlesInWindow, _) = await DailyCounts.ArticlesAndSourcesAsync(db, filter.From, filter.To, cancellationToken);
            var rows = await PageAsync(await FilterAsync(db, filter, cancellationToken), skip, take, cancellationToken);
            return new TimelinePage(await TimelineArticlesAsync(db, filter, rows, cancellationToken), articlesInWindow);
        }
        if (await EntityMentionsAsync(db, filter, cancellationToken) is var (mentioning, single))
        {
            // Newest first straight off the mention index; the article row is read only for the page.
            var rows = await mentioning
                .OrderByDescending(m => m.PublishedDate).ThenByDescending(m => m.ArticleId)
                .Skip(skip).Take(take)
                .Select(m => new TimelineRow(m.Article!.Id, m.Article.Title, m.Article.PublishedDate, m.Article.Source, m.Article.Url, m.Article.Author, m.Article.Text.Substring(0, 240), m.Article.StoryId))
                .ToListAsync(cancellationToken);
            var total = single is { } id
                ? await DailyCounts.EntityArticlesAsync(db, id, filter.From, filter.To, cancellationToken)
                : (await IndexedAsync(db, filter, (_, matches) => new Counted(matches.Count), cancellationToken))?.Articles
                    ?? await mentioning.CountAsync(cancellationToken);
            return new TimelinePage(await TimelineArticlesAsync(db, filter, rows, cancellationToken), total);
        }
        if (await IndexedAsync(db, filter, (index, matches) => new IndexedPage(index.Page(matches, skip, take, null), matches.Count), cancellationToken) is { } indexed)
        {
            return new TimelinePage(await TimelineArticlesAsync(db, filter, await RowsAsync(db, indexed.Ids, cancellationToken), cancellationToken), indexed.Total);
        }
        var articles = await FilterAsync(db, filter, cancellationToken);
        var count = await articles.CountAsync(cancellationToken);
        var page = await PageAsync(articles, skip, take, cancellationToken);
        return new TimelinePage(await TimelineArticlesAsync(db, filter, page, cancellationToken), count);
    }

    /// <summary>The articles no earlier article of the same story is among: one per story.</summary>
    internal static IQueryable<Article> FirstCopies(IQueryable<Article> articles) =>
        articles.Where(a => !articles.Any(b => (b.StoryId ?? b.Id) == (a.StoryId ?? a.Id) && b.Id < a.Id));

    /// <summary>The ids of a timeline page picked in memory, and how many articles the filter matches.</summary>
    private sealed record IndexedPage(List<long> Ids, int Total);

    /// <summary>
    /// How many of the articles <paramref name="filter"/> matches were stored after article <paramref name="afterId"/>
    /// (ids only grow): a saved view's new arrivals since it was opened, whatever their dates and whatever was edited
    /// meanwhile. With <paramref name="stories"/>, a new copy of a story the view already showed is not new.
    /// </summary>
    public async Task<int> ArticlesStoredAfterAsync(ArticleFilter filter, long afterId, bool stories, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await IndexedAsync(db, filter, (index, matches) =>
            {
                if (stories)
                {
                    index.CollapseStories(matches);
                }
                return new IndexedPage([], matches.CountAfter(afterId));
            }, cancellationToken) is { } counted)
        {
            return counted.Total;
        }
        var articles = await FilterAsync(db, filter, cancellationToken);
        return await (stories ? FirstCopies(articles) : articles).CountAsync(a => a.Id > afterId, cancellationToken);
    }

    /// <summary>How many of a view's newest articles its distinctive words are counted over, and of the store's for comparison.</summary>
    public const int WordSample = 300;
    private const int BackgroundSample = 2_000;

    /// <summary>The store's word counts over a random sample, kept a while: what a view's words are compared with.</summary>
    private sealed record BackgroundWords(DateTime At, long LastId, Dictionary<string, int> Counts, int Articles);

    private volatile BackgroundWords? _background;

    /// <summary>
    /// The words <paramref name="filter"/>'s articles use far more than the store's (<see cref="DistinctiveWords"/>),
    /// counted over its newest <see cref="WordSample"/> articles; the whole store's most used words when it has no filter.
    /// </summary>
    public async Task<IReadOnlyList<DistinctiveWord>> DistinctiveWordsAsync(ArticleFilter filter, int limit = 15, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = await NewestIdsAsync(db, filter, 0, WordSample, cancellationToken);
        var texts = await TextsAsync(db, ids, cancellationToken);
        var view = DistinctiveWords.DocumentCounts(texts, out var shown);
        if (filter.Equals(ArticleFilter.All))
        {
            return DistinctiveWords.Rank(view, texts.Count, view, texts.Count, wholeStore: true, limit, shown);
        }
        var (counts, articles) = await BackgroundWordsAsync(db, cancellationToken);
        return DistinctiveWords.Rank(view, texts.Count, counts, articles, wholeStore: false, limit, shown);
    }

    /// <summary>The ids of the filter's articles, newest first (as the timeline lists them), <paramref name="take"/> of them from <paramref name="skip"/>.</summary>
    public async Task<List<long>> NewestArticleIdsAsync(ArticleFilter filter, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await NewestIdsAsync(db, filter, skip, take, cancellationToken);
    }

    private async Task<List<long>> NewestIdsAsync(DashboardDb db, ArticleFilter filter, int skip, int take, CancellationToken cancellationToken) =>
        await IndexedAsync(db, filter, (index, matches) => index.Page(matches, skip, take, null), cancellationToken)
            ?? await (await FilterAsync(db, filter, cancellationToken)).OrderByDescending(a => a.PublishedDate).ThenByDescending(a => a.Id)
                .Skip(skip).Take(take).Select(a => a.Id).ToListAsync(cancellationToken);

    /// <summary>Word counts over a random sample of the store, counted again every ten minutes or when the store has grown by a tenth.</summary>
    private async Task<(Dictionary<string, int> Counts, int Articles)> BackgroundWordsAsync(DashboardDb db, CancellationToken cancellationToken)
    {
        var lastId = await db.Articles.MaxAsync(a => (long?)a.Id, cancellationToken) ?? 0;
        if (_background is { } kept && DateTime.UtcNow - kept.At < TimeSpan.FromMinutes(10) && lastId >= kept.LastId && lastId - kept.LastId <= kept.LastId / 10)
        {
            return (kept.Counts, kept.Articles);
        }
        var firstId = await db.Articles.MinAsync(a => (long?)a.Id, cancellationToken) ?? 0;
        // Random ids in the range, not ORDER BY RANDOM(), which reads every row; gaps (deleted articles) only thin the sample.
        var random = new Random(unchecked((int)lastId));
        var ids = lastId - firstId + 1 <= BackgroundSample
            ? null
            : Enumerable.Range(0, BackgroundSample).Select(_ => firstId + random.NextInt64(lastId - firstId + 1)).Distinct().ToList();
        var texts = ids is null
            ? await db.Articles.AsNoTracking().Select(a => a.Title + "\n" + a.Text.Substring(0, TextSampleChars)).ToListAsync(cancellationToken)
            : await TextsAsync(db, ids, cancellationToken);
        var counts = DistinctiveWords.DocumentCounts(texts);
        _background = new BackgroundWords(DateTime.UtcNow, lastId, counts, texts.Count);
        return (counts, texts.Count);
    }

    /// <summary>The opening of each article's text that words are counted in: the lead says what a story is about.</summary>
    private const int TextSampleChars = 1_500;

    private static async Task<List<string>> TextsAsync(DashboardDb db, List<long> ids, CancellationToken cancellationToken)
    {
        var texts = new List<string>(ids.Count);
        foreach (var chunk in ids.Chunk(500))
        {
            texts.AddRange(await db.Articles.AsNoTracking().Where(a => chunk.Contains(a.Id))
                .Select(a => a.Title + "\n" + a.Text.Substring(0, TextSampleChars)).ToListAsync(cancellationToken));
        }
        return texts;
    }

    /// <summary>The kinds of entity whose rises and falls the dashboard lists.</summary>
    private static readonly FrozenSet<EntityKind> ShiftKinds = FrozenSet.ToFrozenSet([EntityKind.Country, EntityKind.Person, EntityKind.Organization, EntityKind.Topic]);

    /// <summary>
    /// The entities that gained and lost most attention in the view's period against the period of the same length
    /// before it (<see cref="AttentionShifts"/>). A view without a start date is compared over its last week: the
    /// <see cref="AttentionShifts.DefaultDays"/> days up to its end, or up to the newest article (not after today).
    /// Null when the store has no article.
    /// </summary>
    /// <param name="countStories">Count stories, as the charts do: ten wire copies of one story are not ten times the attention.</param>
    public async Task<AttentionShift?> AttentionShiftAsync(ArticleFilter filter, int limit = 8, bool countStories = false, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (filter.To is not { } to)
        {
            if (await db.Articles.MaxAsync(a => (DateOnly?)a.PublishedDate, cancellationToken) is not { } newest)
            {
                return null;
            }
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            to = newest > today ? today : newest;
        }
        var from = filter.From ?? to.AddDays(-(AttentionShifts.DefaultDays - 1));
        if (from > to)
        {
            from = to;
        }
        var days = to.DayNumber - from.DayNumber + 1;
        var beforeFrom = from.DayNumber > days ? from.AddDays(-days) : DateOnly.MinValue;
        var beforeTo = from.DayNumber > 0 ? from.AddDays(-1) : DateOnly.MinValue;
        var period = filter with { From = from, To = to };
        var before = filter with { From = beforeFrom, To = beforeTo };

        // The volume each period's counts are scaled by, in the unit they count: stories when the charts count stories,
        // so ten wire copies of one story in the view's week neither inflate a name's count nor the week's total.
        var articles = countStories ? (await TimelineAsync(period, 0, 0, cancellationToken, oneRowPerStory: true)).Total : (await VolumeAsync(period, cancellationToken)).Sum(p => p.Articles);
        var articlesBefore = countStories ? (await TimelineAsync(before, 0, 0, cancellationToken, oneRowPerStory: true)).Total : (await VolumeAsync(before, cancellationToken)).Sum(p => p.Articles);
        var counts = new List<AttentionShifts.Counts>();
        if (articles == 0 || articlesBefore == 0)
        {
            // Nothing to compare: no counting.
        }
        else if (!countStories && !DatesOnly(period) && await IndexedAsync(db, filter, (from, to), (beforeFrom, beforeTo),
                     (index, now, then) => index.CountsInBoth(now, then, ShiftKinds), cancellationToken) is { } both)
        {
            counts.AddRange(both.Select(c => new AttentionShifts.Counts(c.Kind, c.EntityId, c.Period, c.Before)));
        }
        else
        {
            foreach (var kind in ShiftKinds)
            {
                var now = await CountEntitiesAsync(db, kind, period, int.MaxValue, false, false, countStories, cancellationToken);
                var then = (await CountEntitiesAsync(db, kind, before, int.MaxValue, false, false, countStories, cancellationToken))
                    .ToDictionary(c => c.EntityId, c => c.Count);
                var ids = new Dictionary<long, (int Articles, int Before)>(now.Count + then.Count);
                foreach (var (id, count) in now)
                {
                    ids[id] = (count, then.GetValueOrDefault(id));
                }
                foreach (var (id, count) in then)
                {
                    ids.TryAdd(id, (0, count));
                }
                counts.AddRange(ids.Select(e => new AttentionShifts.Counts(kind, e.Key, e.Value.Articles, e.Value.Before)));
            }
        }
        var (rising, fading) = AttentionShifts.Rank(counts, articles, articlesBefore, limit);
        var names = await EntityNamesAsync(db, rising.Concat(fading).Select(r => r.Counts.EntityId).ToList(), cancellationToken);
        AttentionChange Named(AttentionShifts.Ranked r)
        {
            var (key, name) = names[r.Counts.EntityId];
            return new AttentionChange(new EntityRef(r.Counts.Kind, key), name, r.Counts.Articles, r.Counts.Before, r.Expected, r.Score);
        }
        return new AttentionShift(from, to, beforeFrom, beforeTo, articles, articlesBefore, filter.From is null,
            rising.Select(Named).ToList(), fading.Select(Named).ToList());
    }

    /// <summary>The id of the last article stored (0 in an empty store): what a saved view has seen when it is opened.</summary>
    public async Task<long> LastArticleIdAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Articles.MaxAsync(a => (long?)a.Id, cancellationToken) ?? 0;
    }

    /// <summary>Timeline rows by id, in the order of the ids: the index chose and ordered the page, SQL reads only its rows.</summary>
    private static async Task<List<TimelineRow>> RowsAsync(DashboardDb db, List<long> ids, CancellationToken cancellationToken)
    {
        var rows = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new TimelineRow(a.Id, a.Title, a.PublishedDate, a.Source, a.Url, a.Author, a.Text.Substring(0, 240), a.StoryId))
            .ToDictionaryAsync(r => r.Id, cancellationToken);
        return ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList();
    }

    private static Task<List<TimelineRow>> PageAsync(IQueryable<Article> articles, int skip, int take, CancellationToken cancellationToken) =>
        articles
            .OrderByDescending(a => a.PublishedDate).ThenByDescending(a => a.Id)
            .Skip(skip).Take(take)
            .Select(a => new TimelineRow(a.Id, a.Title, a.PublishedDate, a.Source, a.Url, a.Author, a.Text.Substring(0, 240), a.StoryId))
            .ToListAsync(cancellationToken);

    public async Task<DashboardSummary> SummaryAsync(ArticleFilter filter, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (DatesOnly(filter))
        {
            // The dashboard opened: have the co-mention index ready for the first entity the reader picks.
            _index.StartLoading();
            var (articleCount, sourceCount) = await DailyCounts.ArticlesAndSourcesAsync(db, filter.From, filter.To, cancellationToken);
            var seen = await DailyCounts.DistinctEntitiesAsync(db, filter.From, filter.To, cancellationToken);
            return new DashboardSummary(articleCount, seen[EntityKind.Country], seen[EntityKind.Person] + seen[EntityKind.Organization], sourceCount);
        }
        var indexed = await IndexedAsync(db, filter, (index, matches) => new DashboardSummary(matches.Count, index.Distinct(matches, EntityKind.Country),
            index.Distinct(matches, EntityKind.Person) + index.Distinct(matches, EntityKind.Organization), index.Sources(matches)), cancellationToken);
        if (indexed is not null)
        {
            return indexed;
        }
        var articles = await FilterAsync(db, filter, cancellationToken);
        var ids = articles.Select(a => a.Id);
        int count;
        if (await EntityMentionsAsync(db, filter, cancellationToken) is var (mentioning, single))
        {
            ids = mentioning.Select(m => m.ArticleId);
            articles = db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id));
            count = single is { } id
                ? await DailyCounts.EntityArticlesAsync(db, id, filter.From, filter.To, cancellationToken)
                : await mentioning.CountAsync(cancellationToken);
        }
        else
        {
            count = await articles.CountAsync(cancellationToken);
        }
        var sources = await articles.Where(a => a.Source != null).Select(a => a.Source).Distinct().CountAsync(cancellationToken);
        var kinds = await db.Mentions.Where(m => ids.Contains(m.ArticleId))
            .Select(m => new { m.EntityId, m.Entity!.Kind }).Distinct()
            .GroupBy(m => m.Kind).Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        int Of(params EntityKind[] wanted) => kinds.Where(k => wanted.Contains(k.Key)).Sum(k => k.Count);
        return new DashboardSummary(count, Of(EntityKind.Country), Of(EntityKind.Person, EntityKind.Organization), sources);
    }

    public async Task<ArticleDetail?> ArticleAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var article = await db.Articles.AsNoTracking()
            .Include(a => a.Mentions).ThenInclude(m => m.Entity)
            .AsSplitQuery()
            .FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (article is null)
        {
            return null;
        }
        var mentions = article.Mentions
            .OrderBy(m => m.Entity!.Kind).ThenByDescending(m => m.Entity!.Kind == EntityKind.Topic ? m.Score : m.Count)
            .ThenBy(m => m.Entity!.Name, StringComparer.Ordinal)
            .Select(m => new ArticleMention(m.Entity!.Kind, m.Entity.Key, m.Entity.Name, m.Count, m.IsFocus, m.Score, m.Spans))
            .ToList();
        return new ArticleDetail(article.Id, article.Title, article.Text, article.PublishedDate, article.DateIsFallback,
            article.Source, article.Url, article.Author, article.IngestedAt, mentions);
    }

    /// <summary>The display name of an entity reference, for filter chips; null when nothing by that key is stored.</summary>
    public async Task<string?> EntityNameAsync(EntityRef entity, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Entities.Where(e => e.Kind == entity.Kind && e.Key == entity.Key).Select(e => e.Name).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// The volume chart's bars: daily counts from <see cref="VolumeAsync(ArticleFilter, CancellationToken)"/>, summed per
    /// week when the range is longer than three months and per month beyond two years, so the chart stays readable.
    /// </summary>
    public async Task<VolumeSeries> VolumeSeriesAsync(ArticleFilter filter, CancellationToken cancellationToken = default)
    {
        var daily = await VolumeAsync(filter, cancellationToken);
        if (daily.Count == 0)
        {
            return new VolumeSeries(VolumeBucket.Day, []);
        }
        // Stretch to the filter's ends so "last 7 days" shows seven bars, but not to absurd ranges (from=1900).
        const int MaxStretchDays = 3 * 366;
        var first = filter.From is { } from && from < daily[0].Day && daily[^1].Day.DayNumber - from.DayNumber <= MaxStretchDays ? from : daily[0].Day;
        var last = filter.To is { } to && to > daily[^1].Day && to.DayNumber - first.DayNumber <= MaxStretchDays ? to : daily[^1].Day;
        var days = last.DayNumber - first.DayNumber + 1;
        var bucket = days <= 92 ? VolumeBucket.Day : days <= 731 ? VolumeBucket.Week : VolumeBucket.Month;
        var counts = new SortedDictionary<DateOnly, int>();
        for (var day = BucketStart(first, bucket); day <= last; day = NextBucket(day, bucket))
        {
            counts[day] = 0;
        }
        foreach (var point in daily)
        {
            counts[BucketStart(point.Day, bucket)] += point.Articles;
        }
        return new VolumeSeries(bucket, counts.Select(c => new VolumePoint(c.Key, c.Value)).ToList());
    }

    /// <summary>The most mentioned actors, people and organisations ranked together (counted like <see cref="TopEntitiesAsync"/>).</summary>
    public Task<IReadOnlyList<ActorCount>> TopActorsAsync(ArticleFilter filter, int limit = 10, CancellationToken cancellationToken = default) =>
        TopActorsAsync(filter, limit, countMentions: false, cancellationToken);

    private static DateOnly BucketStart(DateOnly day, VolumeBucket bucket) => bucket switch
    {
        VolumeBucket.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        VolumeBucket.Month => new DateOnly(day.Year, day.Month, 1),
        _ => day,
    };

    private static DateOnly NextBucket(DateOnly start, VolumeBucket bucket) => bucket switch
    {
        VolumeBucket.Week => start.AddDays(7),
        VolumeBucket.Month => start.AddMonths(1),
        _ => start.AddDays(1),
    };

    /// <summary>The start of the text cut at a word boundary, for rows without a search.</summary>
    private static string Opening(string text)
    {
        if (text.Length < 240)
        {
            return text;
        }
        var cut = text.LastIndexOf(' ', 200);
        return text[..(cut > 100 ? cut : 200)] + "\u2026";
    }

    /// <summary>Applies the filter; entity references are resolved to ids first so the SQL stays on indexes.</summary>
    internal static async Task<IQueryable<Article>> FilterAsync(DashboardDb db, ArticleFilter filter, CancellationToken cancellationToken)
    {
        var articles = db.Articles.AsNoTracking();
        if (filter.From is { } from)
        {
            articles = articles.Where(a => a.PublishedDate >= from);
        }
        if (filter.To is { } to)
        {
            articles = articles.Where(a => a.PublishedDate <= to);
        }
        if (!string.IsNullOrWhiteSpace(filter.Source))
        {
            articles = articles.Where(a => a.Source == filter.Source);
        }
        if (filter.Author is { } author)
        {
            articles = articles.Where(a => a.Author == author);
        }
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            articles = await FullTextSearch.MatchAsync(db, articles, filter.Text.Trim(), cancellationToken);
        }
        foreach (var entity in filter.Entities)
        {
            var id = await EntityIdAsync(db, entity, cancellationToken);
            articles = id is null
                ? articles.Where(a => false)
                : articles.Where(a => db.Mentions.Any(m => m.ArticleId == a.Id && m.EntityId == id));
        }
        foreach (var entity in filter.Excluded)
        {
            if (await EntityIdAsync(db, entity, cancellationToken) is { } id)
            {
                articles = articles.Where(a => !db.Mentions.Any(m => m.ArticleId == a.Id && m.EntityId == id));
            }
        }
        return articles;
    }

    private static Task<long?> EntityIdAsync(DashboardDb db, EntityRef entity, CancellationToken cancellationToken) =>
        db.Entities.Where(e => e.Kind == entity.Kind && e.Key == entity.Key).Select(e => (long?)e.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The actors chart counted like <see cref="TopEntitiesAsync"/> with its <c>countMentions</c> switch.</summary>
    public async Task<IReadOnlyList<ActorCount>> TopActorsAsync(ArticleFilter filter, int limit, bool countMentions, CancellationToken cancellationToken = default, bool countStories = false)
    {
        // The top N of the union is always within the top N of each kind.
        var people = await TopEntitiesAsync(EntityKind.Person, filter, limit, countMentions, cancellationToken: cancellationToken, countStories: countStories);
        var organizations = await TopEntitiesAsync(EntityKind.Organization, filter, limit, countMentions, cancellationToken: cancellationToken, countStories: countStories);
        return people.Select(p => new ActorCount(EntityKind.Person, p.Key, p.Name, p.Count))
            .Concat(organizations.Select(o => new ActorCount(EntityKind.Organization, o.Key, o.Name, o.Count)))
            .OrderByDescending(a => a.Count).ThenBy(a => a.Name, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
    }

    /// <summary>
    /// Articles per bucket for each entity within the filter, on the volume chart's buckets so the lines line up
    /// with its bars. An entity the filter excludes has no articles in it, so its line is flat at zero.
    /// </summary>
    /// <param name="withShares">Also count every article of each bucket (<see cref="EntityTrends.AllArticles"/>), for shares.</param>
    public async Task<EntityTrends> TrendsAsync(IReadOnlyList<EntityRef> entities, ArticleFilter filter, CancellationToken cancellationToken = default, bool withShares = false)
    {
        var overall = await VolumeSeriesAsync(filter, cancellationToken);
        IReadOnlyList<int> allArticles = [];
        if (withShares && entities.Count > 0)
        {
            // Shares of the whole coverage of the period: the filter's entities and search narrow what is counted, not what it is counted against.
            var all = overall.Points.ToDictionary(p => p.Day, _ => 0);
            foreach (var point in await VolumeAsync(filter with { Entities = [], Excluded = [], Text = null }, cancellationToken))
            {
                var start = BucketStart(point.Day, overall.Bucket);
                if (all.ContainsKey(start))
                {
                    all[start] += point.Articles;
                }
            }
            allArticles = overall.Points.Select(p => all[p.Day]).ToList();
        }
        var series = new List<EntityTrend>();
        foreach (var entity in entities)
        {
            var name = await EntityNameAsync(entity, cancellationToken) ?? entity.Key;
            var counts = overall.Points.ToDictionary(p => p.Day, _ => 0);
            var daily = overall.Points.Count == 0 || filter.Excluded.Contains(entity)
                ? []
                : await VolumeAsync(filter.WithEntity(entity), cancellationToken);
            foreach (var point in daily)
            {
                var start = BucketStart(point.Day, overall.Bucket);
                if (counts.ContainsKey(start))
                {
                    counts[start] += point.Articles;
                }
            }
            series.Add(new EntityTrend(entity, name, overall.Points.Select(p => counts[p.Day]).ToList()));
        }
        return new EntityTrends(overall.Bucket, overall.Points.Select(p => p.Day).ToList(), series) { AllArticles = allArticles };
    }

    /// <summary>The name set aside under this key as not an actor, and when; null when it is not set aside.</summary>
    public async Task<IgnoredEntity?> IgnoredEntityAsync(EntityRef entity, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.IgnoredEntities.AsNoTracking().FirstOrDefaultAsync(i => i.Kind == entity.Kind && i.Key == entity.Key, cancellationToken);
    }

    /// <summary>An entity's name, aliases and article count; null when nothing by that key is stored.</summary>
    public async Task<EntityDetail?> EntityAsync(EntityRef entity, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Entities.AsNoTracking()
            .Where(e => e.Kind == entity.Kind && e.Key == entity.Key)
            .Select(e => new { e.Id, e.Name, Aliases = e.Aliases.Select(a => a.Name).ToList() })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }
        // One mention row per article and entity, so counting rows counts articles; the monthly counts hold the sum.
        var articles = UseDailyCounts
            ? await DailyCounts.EntityArticlesAsync(db, row.Id, null, null, cancellationToken)
            : await db.Mentions.CountAsync(m => m.EntityId == row.Id, cancellationToken);
        var aliases = row.Aliases.Where(a => !string.Equals(a, row.Name, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList();
        return new EntityDetail(entity, row.Name, aliases, articles);
    }

    /// <summary>
    /// The timeline page after <paramref name="after"/>, newest first: a seek on (date, id) instead of OFFSET, so a
    /// page deep in the past costs what the first page costs. Rows are built like <see cref="TimelineAsync"/>'s.
    /// </summary>
    public async Task<IReadOnlyList<TimelineArticle>> TimelineAfterAsync(ArticleFilter filter, TimelineCursor after, int take, CancellationToken cancellationToken = default, bool oneRowPerStory = false)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (oneRowPerStory)
        {
            if (await IndexedAsync(db, filter, (index, matches) =>
                {
                    index.CollapseStories(matches);
                    return index.Page(matches, 0, take, after);
                }, cancellationToken) is { } storyIds)
            {
                return await TimelineArticlesAsync(db, filter, await RowsAsync(db, storyIds, cancellationToken), cancellationToken);
            }
            var stories = FirstCopies(await FilterAsync(db, filter, cancellationToken));
            return await TimelineArticlesAsync(db, filter, await stories
                .Where(a => a.PublishedDate < after.PublishedDate || (a.PublishedDate == after.PublishedDate && a.Id < after.Id))
                .OrderByDescending(a => a.PublishedDate).ThenByDescending(a => a.Id)
                .Take(take)
                .Select(a => new TimelineRow(a.Id, a.Title, a.PublishedDate, a.Source, a.Url, a.Author, a.Text.Substring(0, 240), a.StoryId))
                .ToListAsync(cancellationToken), cancellationToken);
        }
        if (await EntityMentionsAsync(db, filter, cancellationToken) is var (mentioning, _))
        {
            var rows = await mentioning
                .Where(m => m.PublishedDate < after.PublishedDate || (m.PublishedDate == after.PublishedDate && m.ArticleId < after.Id))
                .OrderByDescending(m => m.PublishedDate).ThenByDescending(m => m.ArticleId)
                .Take(take)
                .Select(m => new TimelineRow(m.Article!.Id, m.Article.Title, m.Article.PublishedDate, m.Article.Source, m.Article.Url, m.Article.Author, m.Article.Text.Substring(0, 240), m.Article.StoryId))
                .ToListAsync(cancellationToken);
            return await TimelineArticlesAsync(db, filter, rows, cancellationToken);
        }
        if (await IndexedAsync(db, filter, (index, matches) => index.Page(matches, 0, take, after), cancellationToken) is { } ids)
        {
            return await TimelineArticlesAsync(db, filter, await RowsAsync(db, ids, cancellationToken), cancellationToken);
        }
        var articles = await FilterAsync(db, filter, cancellationToken);
        var page = await articles
            .Where(a => a.PublishedDate < after.PublishedDate || (a.PublishedDate == after.PublishedDate && a.Id < after.Id))
            .OrderByDescending(a => a.PublishedDate).ThenByDescending(a => a.Id)
            .Take(take)
            .Select(a => new TimelineRow(a.Id, a.Title, a.PublishedDate, a.Source, a.Url, a.Author, a.Text.Substring(0, 240), a.StoryId))
            .ToListAsync(cancellationToken);
        return await TimelineArticlesAsync(db, filter, page, cancellationToken);
    }

    /// <summary>A timeline row as read from the store, before its chips and snippet are added.</summary>
    private sealed record TimelineRow(long Id, string Title, DateOnly PublishedDate, string? Source, string? Url, string? Author, string Opening, long? StoryId);

    /// <summary>
    /// The other articles of <paramref name="articleId"/>'s story (the first copy, which stands for it, and every copy
    /// linked to it), oldest first, up to <paramref name="limit"/>; null when there is no such article.
    /// </summary>
    public async Task<StoryCopies?> StoryCopiesAsync(long articleId, int limit = 50, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Articles.Where(a => a.Id == articleId).Select(a => (long?)(a.StoryId ?? a.Id)).FirstOrDefaultAsync(cancellationToken) is not { } story)
        {
            return null;
        }
        // Off the primary key and the StoryId index: a story's copies are few, however large the store.
        var copies = db.Articles.AsNoTracking().Where(a => (a.Id == story || a.StoryId == story) && a.Id != articleId);
        var total = await copies.CountAsync(cancellationToken);
        var first = total == 0 ? [] : await copies.OrderBy(a => a.PublishedDate).ThenBy(a => a.Id).Take(limit)
            .Select(a => new StoryCopy(a.Id, a.Title, a.PublishedDate, a.Source, a.Id == story))
            .ToListAsync(cancellationToken);
        return new StoryCopies(total, first);
    }

    /// <summary>
    /// For each article, how many other articles share its story. Every copy points at the first one (a near-duplicate's
    /// story is its earliest copy's, never a copy of a copy), so the others are the rows pointing at the story, whichever
    /// copy asks: the first sees all of them, a copy sees the first and all but itself.
    /// </summary>
    private static async Task<Dictionary<long, int>> StoryCopiesOfAsync(DashboardDb db, List<TimelineRow> page, CancellationToken cancellationToken)
    {
        var keys = page.Select(a => (long?)(a.StoryId ?? a.Id)).Distinct().ToList();
        var copies = await db.Articles.Where(a => keys.Contains(a.StoryId)).GroupBy(a => a.StoryId!.Value)
            .Select(g => new { Story = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Story, g => g.Count, cancellationToken);
        return page.ToDictionary(a => a.Id, a => copies.GetValueOrDefault(a.StoryId ?? a.Id));
    }

    /// <summary>Adds each row's entity chips (countries, then actors, then topics; most central first), its snippet and its story's copies.</summary>
    private static async Task<IReadOnlyList<TimelineArticle>> TimelineArticlesAsync(DashboardDb db, ArticleFilter filter, List<TimelineRow> page, CancellationToken cancellationToken)
    {
        var ids = page.Select(a => a.Id).ToList();
        var storyCopies = await StoryCopiesOfAsync(db, page, cancellationToken);
        var chips = await db.Mentions
            .Where(m => ids.Contains(m.ArticleId))
            .Select(m => new { m.ArticleId, m.Entity!.Kind, m.Entity.Key, m.Entity.Name, m.Count, m.Score, m.IsFocus })
            .ToListAsync(cancellationToken);
        var byArticle = chips.ToLookup(c => c.ArticleId);
        var snippets = string.IsNullOrWhiteSpace(filter.Text)
            ? []
            : await FullTextSearch.SnippetsAsync(db, ids, filter.Text.Trim(), cancellationToken);
        return page.Select(a => new TimelineArticle(a.Id, a.Title, a.PublishedDate, a.Source, a.Url,
            byArticle[a.Id]
                .OrderBy(c => c.Kind)
                .ThenByDescending(c => c.IsFocus)
                .ThenByDescending(c => c.Kind == EntityKind.Topic ? c.Score : c.Count)
                .ThenBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => new EntityChip(c.Kind, c.Key, c.Name))
                .ToList())
        {
            Snippet = snippets.TryGetValue(a.Id, out var snippet) ? snippet : [new SnippetPart(Opening(a.Opening), false)],
            Author = a.Author,
            StoryCopies = storyCopies.GetValueOrDefault(a.Id),
        }).ToList();
    }

    /// <summary>Entities whose name or alias contains the text, most mentioned first: for pickers such as "merge into".</summary>
    public async Task<IReadOnlyList<EntityChip>> FindEntitiesAsync(string text, IReadOnlyCollection<EntityKind> kinds, int limit = 20, CancellationToken cancellationToken = default)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pattern = "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        var matching = db.Entities.AsNoTracking()
            .Where(e => kinds.Contains(e.Kind)
                && (EF.Functions.Like(e.Name, pattern, "\\") || e.Key == text || e.Aliases.Any(a => EF.Functions.Like(a.Name, pattern, "\\"))));
        // The monthly counts rank a common entity without counting its hundreds of thousands of mention rows.
        var ranked = UseDailyCounts
            ? matching.Select(e => new { e.Kind, e.Key, e.Name, Articles = db.EntityMonths.Where(m => m.EntityId == e.Id).Sum(m => m.Articles) })
            : matching.Select(e => new { e.Kind, e.Key, e.Name, Articles = db.Mentions.Count(m => m.EntityId == e.Id) });
        var found = await ranked
            .OrderByDescending(e => e.Articles).ThenBy(e => e.Name)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return found.Select(e => new EntityChip(e.Kind, e.Key, e.Name)).ToList();
    }
}
