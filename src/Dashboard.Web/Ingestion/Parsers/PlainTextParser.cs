using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// The plain-text upload format: an optional <c>date YYYY-MM-DD</c> header (the body may go on after it on
/// the same line), then paragraphs separated by blank lines. There is no title line: the title is the first
/// sentence, cut at a word boundary.
/// </summary>
public static partial class PlainTextParser
{
    public const int MaxTitleLength = 110;

    public static ParsedArticle Parse(string fileName, string content)
    {
        var body = content.TrimStart('\uFEFF');
        DateOnly? date = null;
        var header = DateHeader().Match(body);
        if (header.Success)
        {
            var value = header.Groups["date"].Value;
            if (!TryParseIsoDate(value, out var parsed) && !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out parsed))
            {
                throw new ArticleParseException($"{fileName}: the date header '{value}' is not a real date (expected date YYYY-MM-DD)");
            }
            date = parsed;
            body = body[header.Length..];
        }

        var paragraphs = Paragraphs(body);
        if (paragraphs.Count == 0)
        {
            throw new ArticleParseException(header.Success
                ? $"{fileName}: there is no article text after the date header"
                : $"{fileName}: the file has no text");
        }
        var text = string.Join("\n\n", paragraphs);
        return new ParsedArticle(TitleFrom(text), text, date);
    }

    /// <summary>
    /// Paragraphs are separated by blank lines; lines inside a paragraph are joined with spaces, and runs of white
    /// space become one space. One pass over the text (every parser ends here, so a split and a regular expression per
    /// line cost a tenth of a millisecond per article in a bulk import).
    /// </summary>
    public static List<string> Paragraphs(string body)
    {
        var paragraphs = new List<string>();
        var current = new StringBuilder();
        var lineHasText = false;
        var space = false;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < body.Length && body[i + 1] == '\n')
                {
                    i++;
                }
                if (!lineHasText && current.Length > 0)
                {
                    // A blank line (or one of white space only) ends the paragraph.
                    paragraphs.Add(current.ToString());
                    current.Clear();
                }
                lineHasText = false;
                space = false;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                space = lineHasText;
                continue;
            }
            if (!lineHasText)
            {
                // The line's first word: joined to the paragraph's previous line with a space.
                if (current.Length > 0)
                {
                    current.Append(' ');
                }
                lineHasText = true;
            }
            else if (space)
            {
                current.Append(' ');
            }
            space = false;
            // The rest of the word in one append (this runs over every character of every upload).
            var start = i;
            while (i + 1 < body.Length && body[i + 1] is not ('\n' or '\r') && !char.IsWhiteSpace(body[i + 1]))
            {
                i++;
            }
            current.Append(body, start, i - start + 1);
        }
        if (current.Length > 0)
        {
            paragraphs.Add(current.ToString());
        }
        return paragraphs;
    }

    /// <summary>The first sentence of the text, cut at a word boundary when it is long.</summary>
    public static string TitleFrom(string text)
    {
        var paragraphEnd = text.IndexOf("\n\n", StringComparison.Ordinal);
        var firstParagraph = paragraphEnd < 0 ? text : text[..paragraphEnd];
        var end = SentenceEnd().Match(firstParagraph);
        var sentence = end.Success ? firstParagraph[..(end.Index + 1)] : firstParagraph;
        sentence = sentence.TrimEnd('.', ' ');
        if (sentence.Length <= MaxTitleLength)
        {
            return sentence;
        }
        var cut = sentence.LastIndexOf(' ', MaxTitleLength);
        if (cut < MaxTitleLength / 2)
        {
            cut = MaxTitleLength;
        }
        return sentence[..cut].TrimEnd(',', ';', ':', ' ', '-', '\u2013', '\u2014') + "\u2026";
    }

    /// <summary>The header's usual form, yyyy-MM-dd, without the general parser (a few microseconds per upload).</summary>
    private static bool TryParseIsoDate(string value, out DateOnly date)
    {
        date = default;
        if (value.Length != 10 || value[4] != '-' || value[7] != '-'
            || !int.TryParse(value.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(value.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || !int.TryParse(value.AsSpan(8, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        date = new DateOnly(year, month, day);
        return true;
    }

    // "date" then something date-like: a header that does not parse is an error, never today's date.
    [GeneratedRegex(@"\A[ \t]*date[ \t]+(?<date>\d[\d\-/.]*)[ \t]*(\r?\n)?", RegexOptions.IgnoreCase)]
    private static partial Regex DateHeader();

    [GeneratedRegex(@"[.!?](?=\s|$)")]
    private static partial Regex SentenceEnd();
}
