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

    /// <summary>The article of an upload's decoded text (read from the decoder's buffer: the body is the one copy made).</summary>
    public static ParsedArticle Parse(string fileName, ReadOnlySpan<char> content)
    {
        var bodyStart = 0;
        while (bodyStart < content.Length && content[bodyStart] == '\uFEFF')
        {
            bodyStart++;
        }
        DateOnly? date = null;
        // The pattern is anchored at the start, so the first match is the only one.
        var headers = DateHeader().EnumerateMatches(content[bodyStart..]);
        var hasHeader = headers.MoveNext();
        if (hasHeader)
        {
            var header = headers.Current;
            var value = HeaderDate(content.Slice(bodyStart + header.Index, header.Length));
            if (!TryParseIsoDate(value, out var parsed) && !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out parsed))
            {
                throw new ArticleParseException($"{fileName}: the date header '{value}' is not a real date (expected date YYYY-MM-DD)");
            }
            date = parsed;
            bodyStart += header.Index + header.Length;
        }

        var text = Text(content, bodyStart);
        if (text.Length == 0)
        {
            throw new ArticleParseException(hasHeader
                ? $"{fileName}: there is no article text after the date header"
                : $"{fileName}: the file has no text");
        }
        return new ParsedArticle(TitleFrom(text), text, date);
    }

    /// <summary>The date of a matched header ("date 2024-06-01"): the run of digits and separators after the word.</summary>
    private static ReadOnlySpan<char> HeaderDate(ReadOnlySpan<char> header)
    {
        var rest = header.TrimStart(" \t")["date".Length..].TrimStart(" \t");
        var end = rest.IndexOfAnyExcept("0123456789-/.");
        return end < 0 ? rest : rest[..end];
    }

    /// <summary>The paragraphs of <paramref name="body"/> (see <see cref="Text"/>), one string each.</summary>
    public static List<string> Paragraphs(string body)
    {
        var text = Text(body);
        return text.Length == 0 ? [] : [.. text.Split(ParagraphBreak)];
    }

    /// <summary>Paragraphs are joined with a blank line: the stored form of every article's text.</summary>
    public const string ParagraphBreak = "\n\n";

    /// <summary>
    /// The text of <paramref name="body"/> from <paramref name="start"/> as paragraphs joined by
    /// <see cref="ParagraphBreak"/>: paragraphs are separated by blank lines; lines inside a paragraph are joined
    /// with spaces, and runs of white space become one space. One pass into one buffer, a line at a time (every parser
    /// ends here, and a split, a regular expression or a string per paragraph cost a tenth of a millisecond per article
    /// in a bulk import).
    /// </summary>
    public static string Text(ReadOnlySpan<char> body, int start = 0)
    {
        var text = RentBuilder(body.Length - start);
        var paragraphHasText = false;
        var rest = body[start..];
        while (true)
        {
            var end = rest.IndexOfAny('\n', '\r');
            if (!AppendLine(text, end < 0 ? rest : rest[..end], ref paragraphHasText))
            {
                // A blank line (or one of white space only) ends the paragraph.
                paragraphHasText = false;
            }
            if (end < 0)
            {
                break;
            }
            var next = end + 1;
            if (rest[end] == '\r' && next < rest.Length && rest[next] == '\n')
            {
                next++;
            }
            rest = rest[next..];
        }
        var result = text.ToString();
        ReturnBuilder(text);
        return result;
    }

    /// <summary>White space other than the plain space (line breaks aside): a line with none of it may be copied whole.</summary>
    private static readonly System.Buffers.SearchValues<char> OtherWhiteSpace = System.Buffers.SearchValues.Create(
        new string(Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(c => char.IsWhiteSpace(c) && c is not (' ' or '\n' or '\r')).ToArray()));

    /// <summary>
    /// Appends one line (no line break in it) with its runs of white space as single spaces, joined to the paragraph's
    /// previous line with a space or opening a new paragraph; false when the line holds no text. Most lines of most
    /// articles are words with single spaces between them, checked by vectorised searches and copied in one append
    /// (a character-by-character pass took 2% of a bulk import's CPU).
    /// </summary>
    private static bool AppendLine(StringBuilder text, ReadOnlySpan<char> line, ref bool paragraphHasText)
    {
        if (line.IsEmpty)
        {
            return false;
        }
        if (line[0] != ' ' && line[^1] != ' ' && line.IndexOfAny(OtherWhiteSpace) < 0 && !line.Contains("  ", StringComparison.Ordinal))
        {
            OpenLine(text, ref paragraphHasText);
            text.Append(line);
            return true;
        }
        var lineHasText = false;
        var space = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (char.IsWhiteSpace(line[i]))
            {
                space = lineHasText;
                continue;
            }
            if (!lineHasText)
            {
                OpenLine(text, ref paragraphHasText);
                lineHasText = true;
            }
            else if (space)
            {
                text.Append(' ');
            }
            space = false;
            // The rest of the word in one append.
            var wordStart = i;
            while (i + 1 < line.Length && !char.IsWhiteSpace(line[i + 1]))
            {
                i++;
            }
            text.Append(line.Slice(wordStart, i - wordStart + 1));
        }
        return lineHasText;
    }

    /// <summary>Before a line's first word: a space joins it to the paragraph's previous line, or a paragraph break opens a new one.</summary>
    private static void OpenLine(StringBuilder text, ref bool paragraphHasText)
    {
        if (paragraphHasText)
        {
            text.Append(' ');
        }
        else if (text.Length > 0)
        {
            text.Append(ParagraphBreak);
        }
        paragraphHasText = true;
    }

    /// <summary>One buffer per thread for <see cref="Text"/>, kept while it stays article-sized.</summary>
    [ThreadStatic]
    private static StringBuilder? _builder;

    private const int KeptBuilderChars = 256 * 1024;

    private static StringBuilder RentBuilder(int capacity)
    {
        var builder = _builder ?? new StringBuilder(Math.Min(Math.Max(capacity, 16), KeptBuilderChars));
        _builder = null;
        builder.EnsureCapacity(Math.Max(capacity, 0));
        return builder;
    }

    private static void ReturnBuilder(StringBuilder builder)
    {
        builder.Clear();
        if (builder.Capacity <= KeptBuilderChars)
        {
            _builder = builder;
        }
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
    private static bool TryParseIsoDate(ReadOnlySpan<char> value, out DateOnly date)
    {
        date = default;
        if (value.Length != 10 || value[4] != '-' || value[7] != '-'
            || !int.TryParse(value.Slice(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(value.Slice(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || !int.TryParse(value.Slice(8, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var day)
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
