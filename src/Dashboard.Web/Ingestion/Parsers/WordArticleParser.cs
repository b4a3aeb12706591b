using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// A Word document (.docx) as one article: the body's paragraphs, and each table row as one paragraph of its
/// cells' text, joined with blank lines; headers, footers, footnotes and comments live in other parts and are left
/// out. The title is the document's own (core properties) when it is a real one, else the first heading near the
/// top, else the first sentence as for plain text; the author is the document's creator.
/// </summary>
/// <remarks>
/// The date: a first line <c>date YYYY-MM-DD</c> is read as in the plain-text seed format (the text goes through
/// <see cref="PlainTextParser.Parse"/>). Otherwise the document's creation (or last saved) day is used, marked
/// <see cref="ParsedArticle.DateIsFallback"/>: it says when the file was written, not when the story was published.
/// </remarks>
public static partial class WordArticleParser
{
    /// <summary>A heading this far down (in paragraphs) is a section's, not the story's title.</summary>
    private const int HeadingWithin = 3;

    /// <summary>Between the cells of a table row, written as one paragraph.</summary>
    private const string CellSeparator = " | ";

    public static ParsedArticle Parse(string fileName, Stream package, OpenSettings settings)
    {
        using var document = WordprocessingDocument.Open(package, false, settings);
        var main = document.MainDocumentPart
            ?? throw new ArticleParseException($"{fileName}: the Word document has no main part (its word/document.xml is not declared as the body)");
        var headingStyles = HeadingStyles(main);
        var paragraphs = new List<string>();
        string? heading = null;
        using (var reader = OpenXmlReader.Create(main))
        {
            var bodyDepth = -1;
            while (reader.Read())
            {
                if (reader.ElementType == typeof(Body))
                {
                    bodyDepth = reader.IsStartElement ? reader.Depth : -1;
                }
                else if (bodyDepth >= 0 && reader.Depth == bodyDepth + 1 && reader.IsStartElement && reader.ElementType != typeof(SectionProperties))
                {
                    // One block of the body at a time (a paragraph, a table, a content control): memory holds that block
                    // and the text so far, never the document's whole tree.
                    var block = reader.LoadCurrentElement();
                    if (block is not null)
                    {
                        AddBlock(block, paragraphs, headingStyles, ref heading);
                    }
                }
            }
        }
        if (paragraphs.Count == 0)
        {
            throw new ArticleParseException($"{fileName}: the Word document has no text");
        }
        // The seed format's date header, read where plain text reads it; a header naming no real date fails the
        // file as it does a text file, rather than being stored as body text.
        var article = PlainTextParser.Parse(fileName, string.Join(PlainTextParser.ParagraphBreak, paragraphs));
        var properties = document.PackageProperties;
        var title = MeaningfulTitle(properties.Title) ?? (heading is null ? null : Title(heading)) ?? article.Title;
        var author = string.IsNullOrWhiteSpace(properties.Creator) ? null : OneLine(properties.Creator);
        article = article with { Title = title, Author = author };
        if (article.Date is null && (WrittenOn(properties.Created) ?? WrittenOn(properties.Modified)) is { } written)
        {
            article = article with { Date = written, DateIsFallback = true };
        }
        return article;
    }

    /// <summary>
    /// Adds a body block's text: a paragraph as one paragraph, a table row by row, and anything else (a content
    /// control, inserted or moved text) by the paragraphs and tables inside it.
    /// </summary>
    private static void AddBlock(OpenXmlElement block, List<string> paragraphs, HashSet<string> headingStyles, ref string? heading)
    {
        switch (block)
        {
            case Paragraph paragraph:
                var text = TextOf(paragraph);
                if (text.Length > 0)
                {
                    if (heading is null && paragraphs.Count < HeadingWithin && IsHeading(paragraph, headingStyles))
                    {
                        heading = text;
                    }
                    paragraphs.Add(text);
                }
                break;
            case Table table:
                foreach (var row in table.Descendants<TableRow>().Where(r => r.Ancestors<Table>().FirstOrDefault() == table))
                {
                    var cells = row.Descendants<TableCell>()
                        .Where(c => c.Ancestors<TableRow>().FirstOrDefault() == row)
                        .Select(c => string.Join(" ", c.Descendants<Paragraph>().Select(TextOf).Where(t => t.Length > 0)))
                        .Where(t => t.Length > 0)
                        .ToList();
                    if (cells.Count > 0)
                    {
                        paragraphs.Add(string.Join(CellSeparator, cells));
                    }
                }
                break;
            default:
                foreach (var child in block.ChildElements)
                {
                    AddBlock(child, paragraphs, headingStyles, ref heading);
                }
                break;
        }
    }

    /// <summary>
    /// The words of a paragraph: its text runs, tabs and line breaks as spaces. Deleted text (tracked changes) and
    /// field codes are other elements and stay out; so does the fallback copy Word keeps of a text box for old readers.
    /// </summary>
    private static string TextOf(Paragraph paragraph)
    {
        var text = new StringBuilder();
        foreach (var element in paragraph.Descendants())
        {
            switch (element)
            {
                case Text run when !run.Ancestors<AlternateContentFallback>().Any():
                    text.Append(run.Text);
                    break;
                case TabChar or Break or CarriageReturn:
                    text.Append(' ');
                    break;
                case NoBreakHyphen:
                    text.Append('-');
                    break;
            }
        }
        return OneLine(text.ToString());
    }

    /// <summary>A paragraph in a Title or Heading style, or marked as an outline's first level.</summary>
    private static bool IsHeading(Paragraph paragraph, HashSet<string> headingStyles) =>
        paragraph.ParagraphProperties is { } properties
        && ((properties.ParagraphStyleId?.Val?.Value is { } style && headingStyles.Contains(style))
            || properties.OutlineLevel?.Val?.Value == 0);

    /// <summary>
    /// The style ids of titles and headings. Ids are translated (a German document's is "berschrift1"), but the
    /// built-in styles' names are written in English in every language ("heading 1", "Title").
    /// </summary>
    private static HashSet<string> HeadingStyles(MainDocumentPart main)
    {
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Title" };
        for (var level = 1; level <= 9; level++)
        {
            ids.Add($"Heading{level}");
        }
        foreach (var style in main.StyleDefinitionsPart?.Styles?.Elements<Style>() ?? [])
        {
            if (style.StyleId?.Value is { } id && style.StyleName?.Val?.Value is { } name
                && (name.Equals("Title", StringComparison.OrdinalIgnoreCase) || name.StartsWith("heading ", StringComparison.OrdinalIgnoreCase)))
            {
                ids.Add(id);
            }
        }
        return ids;
    }

    /// <summary>
    /// The title of the document's properties, unless it is one the writing program left there: empty, a template's
    /// placeholder ("Document1", "Untitled"), a file name, or the "Microsoft Word - file.doc" of a converted file.
    /// </summary>
    private static string? MeaningfulTitle(string? title)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            return null;
        }
        var line = OneLine(title);
        return line.Length < 3 || PlaceholderTitle().IsMatch(line) ? null : Title(line);
    }

    /// <summary>A heading or property title on one line, cut at a word boundary when it is long.</summary>
    private static string Title(string line) => line.Length <= PlainTextParser.MaxTitleLength ? line : PlainTextParser.TitleFrom(line);

    private static string OneLine(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The UTC day a property's time falls on; null for the placeholders some writers leave (year 1601, 0001).</summary>
    private static DateOnly? WrittenOn(DateTime? time)
    {
        if (time is not { } value)
        {
            return null;
        }
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        return utc.Year is > 1970 and <= 2200 ? DateOnly.FromDateTime(utc) : null;
    }

    [GeneratedRegex(@"^(untitled|document\s*\d*|doc\d+|title|new document|microsoft word\b.*|.*\.(docx?|rtf|odt|txt))$", RegexOptions.IgnoreCase)]
    private static partial Regex PlaceholderTitle();
}
