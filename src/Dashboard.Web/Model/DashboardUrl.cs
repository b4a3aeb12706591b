using System.Globalization;
using System.Text;

namespace Dashboard.Web.Model;

/// <summary>
/// What the dashboard URL carries besides the filter: how the charts count and which entities the trend
/// chart compares. None of it changes which articles match, so it stays out of <see cref="ArticleFilter"/>.
/// </summary>
public sealed record DashboardView(ArticleFilter Filter)
{
    /// <summary>The most entities the trend chart compares side by side.</summary>
    public const int MaxCompared = 5;

    /// <summary>Charts count occurrences instead of articles (<c>count=mentions</c>).</summary>
    public bool CountMentions { get; init; }

    /// <summary>Charts count distinct stories: an article and its wire copies count once (<c>count=stories</c>).</summary>
    public bool CountStories { get; init; }

    /// <summary>Countries count only where an article is about them (<c>countries=about</c>).</summary>
    public bool CountriesAbout { get; init; }

    /// <summary>
    /// The trend chart plots each entity's share of all the period's articles, in percent (<c>trend=share</c>), as Media
    /// Cloud normalises attention: a rise that is only more articles overall no longer looks like more attention.
    /// </summary>
    public bool TrendShare { get; init; }

    /// <summary>Entities picked for the trend chart (<c>compare=kind:key</c>, at most <see cref="MaxCompared"/>).</summary>
    public IReadOnlyList<EntityRef> Compare { get; init; } = [];

    /// <summary>
    /// The last N days, today included, moving with the calendar (<c>days=N</c>): the filter's dates are worked out
    /// each time the view is opened, so a saved "last 7 days" stays the last 7 days. Null for fixed dates.
    /// </summary>
    public int? Days { get; init; }

    /// <summary>The most days a moving window may span (a hundred years).</summary>
    public const int MaxDays = 36_500;

    public bool Equals(DashboardView? other) =>
        other is not null && Filter.Equals(other.Filter) && CountMentions == other.CountMentions && CountStories == other.CountStories
        && CountriesAbout == other.CountriesAbout && Compare.SequenceEqual(other.Compare) && Days == other.Days
        && TrendShare == other.TrendShare;

    public override int GetHashCode() => HashCode.Combine(Filter, CountMentions, CountStories, CountriesAbout, Compare.Count, Days, TrendShare);

    /// <summary>The <c>count=</c> value: articles, mentions or stories.</summary>
    public string CountUnit => CountMentions ? "mentions" : CountStories ? "stories" : "articles";
}

/// <summary>
/// The dashboard's URL is its whole state. It carries the filter with the HTTP API's parameter names
/// (<c>from</c>, <c>to</c>, repeatable <c>entity</c> and <c>exclude</c> as <c>kind:key</c>, <c>source</c>,
/// <c>q</c>, <c>count</c>, <c>countries</c>), so a copied link reopens the same view and the same query
/// string works against <c>/api/articles</c> and the CSV exports.
/// </summary>
public static class DashboardUrl
{
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>A root-relative link to the dashboard showing <paramref name="filter"/>.</summary>
    public static string For(ArticleFilter filter) => For(new DashboardView(filter));

    /// <summary>A root-relative link to the dashboard showing <paramref name="view"/>.</summary>
    public static string For(DashboardView view)
    {
        // A moving window writes its length, not the dates it stands for today.
        var query = new StringBuilder(Query(view.Days is null ? view.Filter : view.Filter with { From = null, To = null }));
        if (view.Days is { } days)
        {
            Append(query, "days", days.ToString(CultureInfo.InvariantCulture));
        }
        if (view.CountMentions || view.CountStories)
        {
            Append(query, "count", view.CountUnit);
        }
        if (view.CountriesAbout)
        {
            Append(query, "countries", "about");
        }
        foreach (var entity in view.Compare)
        {
            Append(query, "compare", entity.ToString());
        }
        if (view.TrendShare)
        {
            Append(query, "trend", "share");
        }
        return query.Length == 0 ? "/" : "/?" + query;
    }

    /// <summary>A link to the dashboard filtered on one entity, as the article page's mentions link.</summary>
    public static string For(EntityRef entity) => For(ArticleFilter.All.WithEntity(entity));

    /// <summary>The filter as a query string without the leading <c>?</c>, for the API and the CSV export links.</summary>
    public static string Query(ArticleFilter filter)
    {
        var query = new StringBuilder();
        if (filter.From is { } from)
        {
            Append(query, "from", from.ToString(DateFormat, CultureInfo.InvariantCulture));
        }
        if (filter.To is { } to)
        {
            Append(query, "to", to.ToString(DateFormat, CultureInfo.InvariantCulture));
        }
        foreach (var entity in filter.Entities)
        {
            Append(query, "entity", entity.ToString());
        }
        foreach (var entity in filter.Excluded)
        {
            Append(query, "exclude", entity.ToString());
        }
        if (filter.Source is { Length: > 0 } source)
        {
            Append(query, "source", source);
        }
        if (filter.Author is { Length: > 0 } author)
        {
            Append(query, "author", author);
        }
        if (filter.Text is { } text && !string.IsNullOrWhiteSpace(text))
        {
            Append(query, "q", text);
        }
        return query.ToString();
    }

    /// <summary>The counting switches as the API reads them (<c>count=…&amp;countries=…</c>).</summary>
    public static string CountingQuery(DashboardView view) =>
        $"count={view.CountUnit}&countries={(view.CountriesAbout ? "about" : "mentioned")}";

    /// <summary>The page of one entity: its trend, aliases, co-mentions and latest articles.</summary>
    public static string EntityPage(EntityRef entity) =>
        $"/entities/{EntityRef.KindName(entity.Kind)}/{Uri.EscapeDataString(entity.Key)}";

    private static void Append(StringBuilder query, string name, string value) =>
        // Keep "kind:key" readable in the address bar: ':' is legal in a query value.
        query.Append(query.Length == 0 ? "" : "&").Append(name).Append('=').Append(Uri.EscapeDataString(value).Replace("%3A", ":"));

    /// <summary>Reads the query parameters leniently: a hand-edited value that does not parse is dropped, not an error page.</summary>
    public static ArticleFilter Parse(string? from, string? to, IEnumerable<string>? entities, IEnumerable<string>? excluded, string? source, string? text = null, string? author = null)
    {
        var fromDate = ParseDate(from);
        var toDate = ParseDate(to);
        if (fromDate > toDate)
        {
            (fromDate, toDate) = (toDate, fromDate);
        }
        var filter = new ArticleFilter
        {
            From = fromDate,
            To = toDate,
            Source = string.IsNullOrWhiteSpace(source) ? null : source,
            Author = string.IsNullOrWhiteSpace(author) ? null : author.Trim(),
            Text = string.IsNullOrWhiteSpace(text) ? null : text.Trim(),
        };
        foreach (var entity in References(entities))
        {
            filter = filter.WithEntity(entity);
        }
        foreach (var entity in References(excluded))
        {
            filter = filter.WithExcluded(entity);
        }
        return filter;
    }

    /// <summary>Reads a dashboard address (<c>/?entity=country:IR&amp;q=...</c>) as the page reads its own, leniently.</summary>
    public static DashboardView ParseUrl(string url, DateOnly today)
    {
        var at = url.IndexOf('?');
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(at < 0 ? "" : url[at..]);
        string? One(string name) => query.TryGetValue(name, out var values) ? values.ToString() : null;
        IEnumerable<string> All(string name) => query.TryGetValue(name, out var values) ? values.OfType<string>() : [];
        var filter = Parse(One("from"), One("to"), All("entity"), All("exclude"), One("source"), One("q"), One("author"));
        return ParseView(filter, One("count"), One("countries"), All("compare"), One("days"), today, One("trend"));
    }

    /// <summary>Reads the whole view: the filter plus the counting switches and the compared entities.</summary>
    /// <param name="days">A moving window's length (<c>days=N</c>); it replaces the filter's dates with the last N days up
    /// to <paramref name="today"/>.</param>
    /// <param name="trend"><c>share</c> plots the trend chart as shares of all articles (<see cref="DashboardView.TrendShare"/>).</param>
    public static DashboardView ParseView(ArticleFilter filter, string? count, string? countries, IEnumerable<string>? compare, string? days = null, DateOnly? today = null,
        string? trend = null)
    {
        int? window = int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= DashboardView.MaxDays && today is not null ? n : null;
        if (window is { } length && today is { } now)
        {
            filter = filter with { From = now.AddDays(1 - length), To = now };
        }
        return new(filter)
        {
            CountMentions = string.Equals(count, "mentions", StringComparison.OrdinalIgnoreCase),
            CountStories = string.Equals(count, "stories", StringComparison.OrdinalIgnoreCase),
            CountriesAbout = string.Equals(countries, "about", StringComparison.OrdinalIgnoreCase),
            Compare = References(compare).Distinct().Take(DashboardView.MaxCompared).ToList(),
            Days = window,
            TrendShare = string.Equals(trend, "share", StringComparison.OrdinalIgnoreCase),
        };
    }

    public static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    public static string? FormatDate(DateOnly? date) => date?.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static IEnumerable<EntityRef> References(IEnumerable<string>? texts)
    {
        foreach (var text in texts ?? [])
        {
            if (EntityRef.TryParse(text, out var entity, out _))
            {
                yield return entity;
            }
        }
    }
}
