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

    public static ParsedArticle Parse(string fileName, string html)
    {
        // Short wire items are real articles too: Readability's default 500-character floor would drop them.
        var reader = new Reader("https://localhost/" + Uri.EscapeDataString(fileName), html) { CharThreshold = 100 };
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
        // The page's own statement of its time keeps the offset; SmartReader's guess is the fallback.
        var published = PublishedTime(html) ?? (article.PublicationDate is { } guessed ? new DateTimeOffset(guessed.ToUniversalTime(), TimeSpan.Zero) : null);
        var title = string.IsNullOrWhiteSpace(article.Title) ? PlainTextParser.TitleFrom(body) : article.Title.Trim();
        return new ParsedArticle(title, body, NewsDate.UtcDay(published),
            Url: null,
            Source: string.IsNullOrWhiteSpace(article.SiteName) ? null : article.SiteName.Trim(),
            Author: string.IsNullOrWhiteSpace(article.Byline) ? null : article.Byline.Trim())
        {
            PublishedAt = published,
        };
    }

    private static DateTimeOffset? PublishedTime(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
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

    [GeneratedRegex(@"""datePublished""\s*:\s*""([^""]+)""")]
    private static partial Regex JsonLdPublished();
}
