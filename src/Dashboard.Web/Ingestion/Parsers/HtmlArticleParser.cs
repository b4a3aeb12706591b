using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using SmartReader;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>A saved web page: main text, title, byline, site and published time, through SmartReader (a Readability port).</summary>
public static partial class HtmlArticleParser
{
    // Where pages state their publication time, most specific first (Open Graph, schema.org, Dublin Core, Parse.ly).
    private static readonly string[] PublishedMetaNames =
    [
        "article:published_time", "og:published_time", "datepublished", "parsely-pub-date", "sailthru.date",
        "dcterms.created", "dcterms.issued", "dc.date.issued", "dc.date", "publish-date", "pubdate", "publication_date", "date",
    ];

    /// <param name="address">Where the page was saved from, when the file says so (a saved page's Content-Location).</param>
    public static ParsedArticle Parse(string fileName, string html, string? address = null)
    {
        // Short wire items are real articles too: Readability's default 500-character floor would drop them.
        var reader = new Reader(Absolute(address, null)?.ToString() ?? "https://localhost/" + Uri.EscapeDataString(fileName), html) { CharThreshold = 100 };
        var article = reader.GetArticle();
        var text = article.TextContent;
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArticleParseException($"{fileName}: no readable article text was found in this HTML page");
        }
        var paragraphs = PlainTextParser.Paragraphs(text.Replace("\n", "\n\n"));
        if (paragraphs.Count == 0)
        {
            throw new ArticleParseException($"{fileName}: no readable article text was found in this HTML page");
        }
        var body = string.Join("\n\n", paragraphs);
        var document = new HtmlParser().ParseDocument(html);
        // The page's own statement of its time keeps the offset; SmartReader's guess is the fallback.
        var published = PublishedTime(document) ?? (article.PublicationDate is { } guessed ? new DateTimeOffset(guessed.ToUniversalTime(), TimeSpan.Zero) : null);
        var title = string.IsNullOrWhiteSpace(article.Title) ? PlainTextParser.TitleFrom(body) : article.Title.Trim();
        var url = PageUrl(document, html, address);
        return new ParsedArticle(title, body, NewsDate.UtcDay(published),
            Url: url,
            Source: !string.IsNullOrWhiteSpace(article.SiteName) ? article.SiteName.Trim() : SiteOf(url),
            Author: Author(Byline.Clean(article.Byline), () => Byline.Clean(article.Author) ?? DeclaredAuthor(document)))
        {
            PublishedAt = published,
        };
    }

    /// <summary>
    /// The article's own address: the page's canonical link, else its Open Graph URL, else where it was saved from
    /// (the file's own record, or the "saved from url" mark browsers write into a saved page). The address is what
    /// makes a second copy of the page a duplicate, so a canonical link to a site's front page, a common mistake
    /// of templates that would make every page of the site one article, is not taken.
    /// </summary>
    private static string? PageUrl(AngleSharp.Html.Dom.IHtmlDocument document, string html, string? address)
    {
        var declared = new[]
        {
            document.QuerySelector("link[rel~='canonical' i][href]")?.GetAttribute("href"),
            document.QuerySelector("meta[property='og:url' i][content]")?.GetAttribute("content"),
        };
        foreach (var candidate in declared)
        {
            if (Absolute(candidate, address) is { } url && url.AbsolutePath.Trim('/').Length > 0)
            {
                return url.ToString();
            }
        }
        if (Absolute(address, null) is { } saved)
        {
            return saved.ToString();
        }
        var mark = SavedFrom().Match(html.Length > 4096 ? html[..4096] : html);
        return mark.Success && Absolute(mark.Groups[1].Value, null) is { } marked ? marked.ToString() : null;
    }

    private static Uri? Absolute(string? url, string? baseAddress)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }
        Uri? result;
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out result)
            && !(Uri.TryCreate(baseAddress, UriKind.Absolute, out var baseUri) && Uri.TryCreate(baseUri, url.Trim(), out result)))
        {
            return null;
        }
        return result.Scheme is "http" or "https" ? result : null;
    }

    /// <summary>"www.example.org" is "example.org": the outlet a page without a site name came from.</summary>
    private static string? SiteOf(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host
            : null;

    /// <summary>
    /// The byline found in the text, unless it gives no name, or gives one word in capitals where the page declares a name
    /// of several words: a word SmartReader took for a byline from the markup around it ("AUTHORING", a citation whose
    /// anchor is named ref-AUTHORING, where the page's Dublin Core names Michiel de Jong). A capitalised byline the page
    /// does not contradict stays ("REUTERS").
    /// </summary>
    private static string? Author(string? byline, Func<string?> declared)
    {
        if (byline is not null && !OneWordInCapitals(byline))
        {
            return byline;
        }
        var fuller = declared();
        return byline is null || fuller is not null && fuller.Contains(' ') ? fuller : byline;

        // Letters of other scripts have no case, so a name in Chinese is never one.
        static bool OneWordInCapitals(string name) =>
            name.Length > 1 && !name.Contains(' ') && name.All(c => !char.IsLetter(c) || char.IsUpper(c));
    }

    /// <summary>
    /// The author a page declares that SmartReader does not read: its schema.org data (which SmartReader misses inside a
    /// CDATA section), then a link marked as the author's. Asked only when SmartReader's meta-tag author gives no name and
    /// its byline gives none either, or only a word in capitals (<see cref="Author"/>): the byline it finds in the text can
    /// be a place ("on Deadspin", where the meta tag names Patrick Allan) or a bare label ("作者："). With both fallbacks,
    /// 63 of the 66 pages of the Readability test set that have a byline match (57 before; 64 with the capitals rule in
    /// <see cref="Author"/>). Readability itself puts the page's data before the byline it finds in the text; with
    /// SmartReader that order matched 61 of the 66.
    /// </summary>
    private static string? DeclaredAuthor(AngleSharp.Html.Dom.IHtmlDocument document)
    {
        foreach (var script in document.QuerySelectorAll("script[type='application/ld+json' i]"))
        {
            // Some pages wrap the block in a CDATA section, as XHTML once required. Each name is cleaned on its own:
            // joined first, a third name would read as the first one's role.
            var names = JsonLdAuthors(CData().Replace(script.TextContent, "")).Select(Byline.Clean).OfType<string>().Distinct().ToList();
            if (names.Count > 0)
            {
                return string.Join(", ", names);
            }
        }
        return document.QuerySelector("a[rel~='author' i]")?.TextContent is { } linked ? Byline.Clean(linked) : null;
    }

    /// <summary>The names in a schema.org block's <c>author</c> (a name, a person or several); none when the block is not JSON.</summary>
    private static List<string> JsonLdAuthors(string json)
    {
        var names = new List<string>();
        try
        {
            using var data = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
            });
            Collect(data.RootElement, 0);
        }
        catch (JsonException)
        {
            // Pages write broken blocks too; the author link is next.
        }
        return names;

        void Collect(JsonElement element, int depth)
        {
            if (depth > 8 || names.Count > 0)
            {
                return;
            }
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, depth + 1);
                }
            }
            else if (element.ValueKind == JsonValueKind.Object)
            {
                if (element.TryGetProperty("author", out var author))
                {
                    foreach (var one in author.ValueKind == JsonValueKind.Array ? author.EnumerateArray().ToList() : [author])
                    {
                        var name = one.ValueKind == JsonValueKind.String ? one.GetString()
                            : one.ValueKind == JsonValueKind.Object && one.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()
                            : null;
                        if (!string.IsNullOrWhiteSpace(name) && !Uri.IsWellFormedUriString(name.Trim(), UriKind.Absolute))
                        {
                            names.Add(name.Trim());
                        }
                    }
                    return;
                }
                // A graph of several things: the article is one of them.
                if (element.TryGetProperty("@graph", out var graph))
                {
                    Collect(graph, depth + 1);
                }
            }
        }
    }

    private static DateTimeOffset? PublishedTime(AngleSharp.Html.Dom.IHtmlDocument document)
    {
        var metas = document.QuerySelectorAll("meta[content]")
            .Select(m => (Name: (m.GetAttribute("property") ?? m.GetAttribute("name") ?? m.GetAttribute("itemprop") ?? "").ToLowerInvariant(), Content: m.GetAttribute("content")))
            .ToList();
        foreach (var wanted in PublishedMetaNames)
        {
            foreach (var (name, content) in metas)
            {
                if (name == wanted && NewsDate.Parse(content) is { } date)
                {
                    return date;
                }
            }
        }
        foreach (var script in document.QuerySelectorAll("script[type='application/ld+json']"))
        {
            if (JsonLdPublished().Match(script.TextContent) is { Success: true } match && NewsDate.Parse(match.Groups[1].Value) is { } date)
            {
                return date;
            }
        }
        return null;
    }

    /// <summary>The mark browsers write at the top of a saved page: <c>&lt;!-- saved from url=(0043)https://... --&gt;</c>.</summary>
    [GeneratedRegex(@"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", RegexOptions.IgnoreCase)]
    private static partial Regex SavedFrom();

    [GeneratedRegex(@"^\s*<!\[CDATA\[|\]\]>\s*$")]
    private static partial Regex CData();

    [GeneratedRegex(@"""datePublished""\s*:\s*""([^""]+)""")]
    private static partial Regex JsonLdPublished();
}
