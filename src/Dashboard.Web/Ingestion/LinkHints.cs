using System.Text.Json;

namespace Dashboard.Web.Ingestion;

/// <summary>
/// What a file that only links to a story said of it (a row of a Media Cloud export: title, publication date, outlet),
/// kept with the queued link and laid under the page once it is fetched: the page's own fields win, these fill its
/// gaps, so a page without a date keeps the export's date instead of taking the day it was fetched.
/// </summary>
/// <remarks>
/// A feed item whose page is fetched for its full text (<see cref="Summary"/> set) is the other way round: the item's
/// title, date and outlet win, the page gives the text when it has more than the item's summary, and the summary is
/// stored instead when the page cannot be had.
/// </remarks>
public sealed record LinkHints(string? Title, DateOnly? Date, DateTimeOffset? PublishedAt, string? Source, string? Author, IReadOnlyList<string>? Categories,
    string? Summary = null, string? Link = null, bool DateIsFallback = false)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>The hints of an item that named its page; null when it said nothing beyond the address.</summary>
    public static LinkHints? From(ParsedArticle item)
    {
        var hints = new LinkHints(item.Title.Length > 0 ? item.Title : null, item.Date, item.PublishedAt, item.Source, item.Author, item.Categories.Count > 0 ? item.Categories : null);
        return hints is { Title: null, Date: null, PublishedAt: null, Source: null, Author: null, Categories: null } ? null : hints;
    }

    /// <summary>The hints of a feed item whose page is fetched for its full text; <paramref name="feedTitle"/> names the outlet when the item does not.</summary>
    public static LinkHints FeedItem(ParsedArticle item, string? feedTitle) =>
        new(item.Title.Length > 0 ? item.Title : null, item.Date, item.PublishedAt, item.Source ?? feedTitle, item.Author, item.Categories.Count > 0 ? item.Categories : null,
            Summary: item.Text, Link: item.Url, DateIsFallback: item.DateIsFallback);

    /// <summary>True for a feed item's page: <see cref="Under"/> keeps the item's fields, and the summary stands in for a page that cannot be had.</summary>
    public bool IsFeedItem => Summary is not null;

    /// <summary>The feed item as its feed gave it (its summary as the text), for when its page cannot be had; null when the item had no text at all.</summary>
    public ParsedArticle? SummaryArticle() => string.IsNullOrWhiteSpace(Summary) ? null
        : new ParsedArticle(Title ?? "", Summary, Date, Link, Source, Author)
        {
            PublishedAt = PublishedAt,
            DateIsFallback = DateIsFallback,
            Categories = Categories ?? [],
        };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>The hints stored with a link; null when there are none or they cannot be read (they are only hints).</summary>
    public static LinkHints? Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<LinkHints>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The fetched page's article with these hints filling what it lacks: a date it did not give (then its own, not borrowed), a title, an outlet, an author, categories.</summary>
    public ParsedArticle Under(ParsedArticle page)
    {
        if (IsFeedItem)
        {
            return OverPage(page);
        }
        var dated = (page.Date is null || page.DateIsFallback) && Date is not null;
        return page with
        {
            Title = string.IsNullOrWhiteSpace(page.Title) && Title is not null ? Title : page.Title,
            Date = dated ? Date : page.Date,
            PublishedAt = dated ? PublishedAt : page.PublishedAt,
            DateIsFallback = !dated && page.DateIsFallback,
            Source = page.Source ?? Source,
            Author = page.Author ?? Author,
            Categories = page.Categories.Count > 0 ? page.Categories : Categories ?? [],
        };
    }

    /// <summary>
    /// A feed item's page under the item: the item's title, outlet, author and link (the address its feed gives it, so
    /// the next poll finds it stored), its date unless it was only borrowed from the feed and the page has one, and the
    /// page's text when it says more than the summary (a page that holds only a teaser or a cookie notice does not).
    /// </summary>
    private ParsedArticle OverPage(ParsedArticle page)
    {
        var pageDated = page.Date is not null && !page.DateIsFallback;
        var itemDated = Date is not null && !DateIsFallback;
        var useItemDate = itemDated || !pageDated;
        return page with
        {
            Title = Title ?? page.Title,
            Text = page.Text.Length > (Summary?.Length ?? 0) ? page.Text : Summary!,
            Date = useItemDate ? Date ?? page.Date : page.Date,
            PublishedAt = useItemDate ? (Date is null ? page.PublishedAt : PublishedAt) : page.PublishedAt,
            DateIsFallback = useItemDate ? (Date is null ? page.DateIsFallback : DateIsFallback) : false,
            Url = Link ?? page.Url,
            Source = Source ?? page.Source,
            Author = Author ?? page.Author,
            Categories = Categories ?? page.Categories,
        };
    }
}
