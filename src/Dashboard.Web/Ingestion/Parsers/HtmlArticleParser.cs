using System.Globalization;
using SmartReader;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>A saved web page: main text, title, byline, site and published time, through SmartReader (a Readability port).</summary>
public static class HtmlArticleParser
{
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
        DateOnly? date = article.PublicationDate is { } published
            ? DateOnly.FromDateTime(published.ToUniversalTime())
            : null;
        var title = string.IsNullOrWhiteSpace(article.Title) ? PlainTextParser.TitleFrom(body) : article.Title.Trim();
        return new ParsedArticle(title, body, date,
            Url: null,
            Source: string.IsNullOrWhiteSpace(article.SiteName) ? null : article.SiteName.Trim(),
            Author: string.IsNullOrWhiteSpace(article.Byline) ? null : article.Byline.Trim().ToString(CultureInfo.InvariantCulture));
    }
}
