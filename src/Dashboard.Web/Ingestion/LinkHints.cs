using System.Text.Json;

namespace Dashboard.Web.Ingestion;

/// <summary>
/// What a file that only links to a story said of it (a row of a Media Cloud export: title, publication date, outlet),
/// kept with the queued link and laid under the page once it is fetched: the page's own fields win, these fill its
/// gaps, so a page without a date keeps the export's date instead of taking the day it was fetched.
/// </summary>
public sealed record LinkHints(string? Title, DateOnly? Date, DateTimeOffset? PublishedAt, string? Source, string? Author, IReadOnlyList<string>? Categories)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>The hints of an item that named its page; null when it said nothing beyond the address.</summary>
    public static LinkHints? From(ParsedArticle item)
    {
        var hints = new LinkHints(item.Title.Length > 0 ? item.Title : null, item.Date, item.PublishedAt, item.Source, item.Author, item.Categories.Count > 0 ? item.Categories : null);
        return hints is { Title: null, Date: null, PublishedAt: null, Source: null, Author: null, Categories: null } ? null : hints;
    }

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
}
