namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// What the exports of other tools call an article's fields, and how one exported item becomes a
/// <see cref="ParsedArticle"/>. Shared by the JSON and the CSV parser so that a JSON field and a CSV column of the
/// same name mean the same thing and an item without text is treated alike. Names are matched leniently: case,
/// <c>_</c>, <c>-</c> and spaces are ignored.
/// </summary>
/// <summary>
/// The reasons items of a file were left out, and, when the reader asked for them (<see cref="ArticleParser.Read"/>),
/// the items that name their page without carrying its text: those are kept in <see cref="PagesToFetch"/> instead of
/// being left out, and a file of nothing but such items is read rather than refused.
/// </summary>
internal sealed class SkippedItems(bool pagesToFetch) : List<string>
{
    public List<ParsedArticle>? PagesToFetch { get; } = pagesToFetch ? [] : null;

    /// <summary>True when the list holds pages to fetch: a file without articles is then not refused.</summary>
    public static bool HasPages(List<string> skipped) => skipped is SkippedItems { PagesToFetch.Count: > 0 };

    /// <summary>True when the reader of this list collects pages to fetch.</summary>
    public static bool Collects(List<string> skipped) => skipped is SkippedItems { PagesToFetch: not null };

    /// <summary>Empties the list for the next item (a table reads row after row into one).</summary>
    public void Reset()
    {
        Clear();
        PagesToFetch?.Clear();
    }
}

internal static class ArticleFields
{
    internal static readonly string[] Title = ["title", "headline", "subject"];
    internal static readonly string[] Text = ["text", "body", "content", "contenttext", "contenthtml", "articlebody", "description", "summary", "fulltext", "story"];
    // "publishdate" is Media Cloud's (publish_date), "seendate" the GDELT DOC API's, in their exports of story links.
    internal static readonly string[] Date = ["date", "published", "pubdate", "publishdate", "datetime", "datepublished", "publishedat", "publisheddate", "publicationdate", "created", "createdat", "seendate", "time", "timestamp", "updated", "datemodified"];
    internal static readonly string[] Url = ["url", "link", "href", "permalink", "canonicalurl", "externalurl"];
    // "medianame" is Media Cloud's name for the outlet, in its story exports (CSV) and its API (JSON) alike.
    internal static readonly string[] Source = ["source", "site", "sitename", "publisher", "outlet", "feed", "newspaper", "medianame", "domain"];
    internal static readonly string[] Author = ["author", "authors", "byline", "creator", "writer"];
    internal static readonly string[] Category = ["categories", "category", "tags", "keywords", "topics", "section"];

    /// <summary>Every list an article field can be named from, for telling a recognised column from an unknown one.</summary>
    private static readonly string[][] All = [Title, Text, Date, Url, Source, Author, Category];

    /// <summary>The name as the lists spell it: lower case without <c>_</c>, <c>-</c>, spaces or a byte order mark.</summary>
    internal static string Normalise(string name) =>
        string.Concat(name.Where(c => c is not ('_' or '-' or ' ' or '\uFEFF'))).ToLowerInvariant();

    /// <summary>True when the (normalised) name is one of the article fields.</summary>
    internal static bool IsKnown(string normalised) => All.Any(list => list.Contains(normalised));

    /// <summary>
    /// One item's raw values as the file gave them (text may be HTML). <paramref name="Texts"/> holds the value of
    /// each <see cref="Text"/> name in that order (null when absent); the longest readable one is the article's text.
    /// </summary>
    internal sealed record Values(
        string? Title,
        IEnumerable<string?> Texts,
        DateTimeOffset? Published,
        string? Url,
        string? Source,
        string? Author,
        IReadOnlyList<string> Categories);

    /// <summary>
    /// The article of one item, or null with the reason added to <paramref name="skipped"/> when it has no text:
    /// a title and a link alone are not an article (extraction needs the story's words).
    /// </summary>
    /// <param name="where">Which item, for the reason: "item 3", "line 7", "row 12".</param>
    /// <param name="fieldWord">What the file calls a field: "field" in JSON, "column" in CSV.</param>
    internal static ParsedArticle? ToArticle(string fileName, string where, string fieldWord, Values values, List<string> skipped)
    {
        var text = "";
        foreach (var value in values.Texts)
        {
            // The longest of the text-like fields: a "description" teaser should not win over the "body".
            var candidate = HtmlText.ToPlainText(value);
            if (candidate.Length > text.Length)
            {
                text = candidate;
            }
        }
        var title = HtmlText.ToTitle(values.Title);
        if (text.Length == 0 && skipped is SkippedItems { PagesToFetch: { } pages }
            && Uri.TryCreate(values.Url?.Trim(), UriKind.Absolute, out var link) && link.Scheme is "http" or "https" && link.Host.Length > 0)
        {
            // A story's link without its text (an export of story links): its page is fetched, these fields fill its gaps.
            pages.Add(new ParsedArticle(title, "", NewsDate.UtcDay(values.Published), link.AbsoluteUri, values.Source, values.Author)
            {
                PublishedAt = values.Published,
                Categories = values.Categories,
            });
            return null;
        }
        if (text.Length == 0)
        {
            skipped.Add($"{fileName}: {where}{(title.Length > 0 ? $" (\"{title}\")" : "")} has no text (no text, body, content or description {fieldWord})");
            return null;
        }
        return new ParsedArticle(
            title.Length > 0 ? title : PlainTextParser.TitleFrom(text),
            text,
            NewsDate.UtcDay(values.Published),
            Url: values.Url,
            Source: values.Source,
            Author: values.Author)
        {
            PublishedAt = values.Published,
            Categories = values.Categories,
        };
    }

    /// <summary>
    /// The article of one row of a table (a CSV row, an Excel row): <paramref name="cell"/> gives a column's value
    /// trimmed, or null when the column is -1 or the cell is empty; <paramref name="published"/> is the date as the
    /// format reads its date column. Null, with the reason in <paramref name="skipped"/>, when the row has no text.
    /// </summary>
    internal static ParsedArticle? FromRow(string fileName, string where, Columns columns, Func<int, string?> cell, DateTimeOffset? published, List<string> skipped)
    {
        var author = cell(columns.Author);
        return ToArticle(fileName, where, "column", new Values(
            cell(columns.Title),
            columns.Texts.Select(cell),
            published,
            cell(columns.Url),
            cell(columns.Source),
            author is null ? null : HtmlText.ToTitle(author),
            SplitList(cell(columns.Category))), skipped);
    }

    /// <summary>
    /// Which column of a table's header holds each article field (-1 when none): the first of its names, in the
    /// order the names are listed. <paramref name="header"/> holds the names as <see cref="Normalise"/> gives them.
    /// </summary>
    internal sealed class Columns(string[] header)
    {
        public int Title { get; } = Find(header, ArticleFields.Title);
        public int[] Texts { get; } = ArticleFields.Text.Select(name => Array.IndexOf(header, name)).ToArray();
        public int Date { get; } = Find(header, ArticleFields.Date);
        public int Url { get; } = Find(header, ArticleFields.Url);
        public int Source { get; } = Find(header, ArticleFields.Source);
        public int Author { get; } = Find(header, ArticleFields.Author);
        public int Category { get; } = Find(header, ArticleFields.Category);

        private static int Find(string[] header, string[] names) =>
            names.Select(name => Array.IndexOf(header, name)).FirstOrDefault(i => i >= 0, -1);
    }

    /// <summary>Unix time, in seconds or (when it would land past year 5000 as seconds) in milliseconds; null when out of range.</summary>
    internal static DateTimeOffset? FromUnixTime(long epoch)
    {
        try
        {
            return epoch > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(epoch) : DateTimeOffset.FromUnixTimeSeconds(epoch);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>A list written in one value ("politics, economy" or "a; b"), as tags and categories are.</summary>
    internal static List<string> SplitList(string? value) =>
        (value ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>
    /// The articles of a table's rows (a CSV, a sheet), the reasons of the rows left out added to
    /// <paramref name="skipped"/>; when no row is an article, the exception <paramref name="none"/> builds from the
    /// number of rows and their reasons.
    /// </summary>
    internal static List<ParsedArticle> FromRows(IEnumerable<CsvArticleParser.Row> rows, List<string> skipped, Func<int, IReadOnlyList<string>, ArticleParseException> none)
    {
        var articles = new List<ParsedArticle>();
        var reasons = new List<string>();
        var count = 0;
        foreach (var row in rows)
        {
            count++;
            if (row.Article is not null)
            {
                articles.Add(row.Article);
            }
            else if (row.Page is not null && skipped is SkippedItems { PagesToFetch: { } pages })
            {
                pages.Add(row.Page);
            }
            else
            {
                reasons.Add(row.Problem!);
            }
        }
        skipped.AddRange(reasons);
        return articles.Count > 0 || SkippedItems.HasPages(skipped) ? articles : throw none(count, reasons);
    }
}
