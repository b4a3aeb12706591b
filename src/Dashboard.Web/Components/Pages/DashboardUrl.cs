using System.Globalization;
using System.Text;
using Dashboard.Web.Model;

namespace Dashboard.Web.Components.Pages;

/// <summary>
/// The dashboard's URL is its whole state. It carries the filter with the HTTP API's parameter names
/// (<c>from</c>, <c>to</c>, repeatable <c>entity</c> and <c>exclude</c> as <c>kind:key</c>, <c>source</c>),
/// so a copied link reopens the same view and the same query string works against <c>/api/articles</c>.
/// </summary>
public static class DashboardUrl
{
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>A root-relative link to the dashboard showing <paramref name="filter"/>.</summary>
    public static string For(ArticleFilter filter)
    {
        var query = new StringBuilder();
        void Add(string name, string value) =>
            // Keep "kind:key" readable in the address bar: ':' is legal in a query value.
            query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value).Replace("%3A", ":"));
        if (filter.From is { } from)
        {
            Add("from", from.ToString(DateFormat, CultureInfo.InvariantCulture));
        }
        if (filter.To is { } to)
        {
            Add("to", to.ToString(DateFormat, CultureInfo.InvariantCulture));
        }
        foreach (var entity in filter.Entities)
        {
            Add("entity", entity.ToString());
        }
        foreach (var entity in filter.Excluded)
        {
            Add("exclude", entity.ToString());
        }
        if (filter.Source is { Length: > 0 } source)
        {
            Add("source", source);
        }
        return "/" + query;
    }

    /// <summary>A link to the dashboard filtered on one entity, as the article page's mentions link.</summary>
    public static string For(EntityRef entity) => For(ArticleFilter.All.WithEntity(entity));

    /// <summary>Reads the query parameters leniently: a hand-edited value that does not parse is dropped, not an error page.</summary>
    public static ArticleFilter Parse(string? from, string? to, IEnumerable<string>? entities, IEnumerable<string>? excluded, string? source)
    {
        var fromDate = ParseDate(from);
        var toDate = ParseDate(to);
        if (fromDate > toDate)
        {
            (fromDate, toDate) = (toDate, fromDate);
        }
        var filter = new ArticleFilter { From = fromDate, To = toDate, Source = string.IsNullOrWhiteSpace(source) ? null : source };
        foreach (var text in entities ?? [])
        {
            if (EntityRef.TryParse(text, out var entity, out _))
            {
                filter = filter.WithEntity(entity);
            }
        }
        foreach (var text in excluded ?? [])
        {
            if (EntityRef.TryParse(text, out var entity, out _))
            {
                filter = filter.WithExcluded(entity);
            }
        }
        return filter;
    }

    public static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    public static string? FormatDate(DateOnly? date) => date?.ToString(DateFormat, CultureInfo.InvariantCulture);
}
