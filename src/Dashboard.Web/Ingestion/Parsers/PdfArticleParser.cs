using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// A PDF (a printed article, a press release) through PdfPig: the text page by page in reading order, the
/// title from the document's metadata or else its first line, the day it was made (the metadata's creation date)
/// as a fallback date.
/// </summary>
public static class PdfArticleParser
{
    /// <summary>True when the bytes carry the PDF signature, which may follow a little junk at the start.</summary>
    public static bool IsPdf(ReadOnlySpan<byte> content) =>
        content[..Math.Min(content.Length, 1024)].IndexOf("%PDF-"u8) >= 0;

    public static ParsedArticle Parse(string fileName, ReadOnlySpan<byte> content)
    {
        using var document = PdfDocument.Open(content.ToArray(), new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
        var pages = new List<string>();
        string? firstLine = null;
        foreach (var page in document.GetPages())
        {
            var pageText = ContentOrderTextExtractor.GetText(page, new ContentOrderTextExtractor.Options { SeparateParagraphsWithDoubleNewline = true });
            var paragraphs = PlainTextParser.Paragraphs(pageText);
            if (paragraphs.Count > 0)
            {
                firstLine ??= pageText.Split('\n').Select(l => l.Trim()).First(l => l.Length > 0);
                pages.Add(string.Join("\n\n", paragraphs));
            }
        }
        if (pages.Count == 0)
        {
            throw new ArticleParseException($"{fileName}: the PDF has no text (it may be scanned images only)");
        }
        var text = string.Join("\n\n", pages);
        var info = document.Information;
        var metadataTitle = HtmlText.ToTitle(info.Title);
        // The creation date says when the PDF was made (an article printed to PDF, a release exported), not when the
        // story was published: it dates the article only as a fallback, and says so, as a Word document's does.
        var created = info.GetCreatedDateTimeOffset();
        return new ParsedArticle(
            metadataTitle.Length > 0 ? metadataTitle : PlainTextParser.TitleFrom(firstLine ?? text),
            text,
            NewsDate.UtcDay(created),
            Author: string.IsNullOrWhiteSpace(info.Author) ? null : info.Author.Trim())
        {
            DateIsFallback = created is not null,
        };
    }
}
