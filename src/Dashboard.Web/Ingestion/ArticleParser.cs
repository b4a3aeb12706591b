using System.Text;
using Dashboard.Web.Ingestion.Parsers;

namespace Dashboard.Web.Ingestion;

/// <summary>
/// Turns the bytes of an uploaded file into articles. The format is read from the content, never trusted
/// from the file name; every failure is an <see cref="ArticleParseException"/> naming the file.
/// </summary>
public static class ArticleParser
{
    public static IReadOnlyList<ParsedArticle> Parse(string fileName, ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty)
        {
            throw new ArticleParseException($"{fileName}: the file is empty");
        }
        var text = DecodeText(fileName, content);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArticleParseException($"{fileName}: the file holds only whitespace");
        }
        var start = text.AsSpan().TrimStart("\uFEFF \t\r\n");
        if (start.StartsWith("<"))
        {
            return [HtmlArticleParser.Parse(fileName, text)];
        }
        return [PlainTextParser.Parse(fileName, text)];
    }

    /// <summary>UTF-8 (with or without BOM) when valid, otherwise Latin-1; binary content is refused.</summary>
    public static string DecodeText(string fileName, ReadOnlySpan<byte> content)
    {
        var sample = content[..Math.Min(content.Length, 8192)];
        var control = 0;
        foreach (var b in sample)
        {
            if (b == 0)
            {
                throw new ArticleParseException($"{fileName}: this is a binary file (it contains NUL bytes), not an article");
            }
            if (b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t' and not 0x0C)
            {
                control++;
            }
        }
        if (control > sample.Length / 20 + 1)
        {
            throw new ArticleParseException($"{fileName}: this is a binary file ({control} control bytes in the first {sample.Length}), not an article");
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            // Older newswire files (Reuters-21578) are Latin-1; every byte decodes, so nothing is lost.
            var latin = Encoding.Latin1.GetString(content);
            var odd = latin.Count(c => c is >= '\u0080' and <= '\u009F');
            if (odd > latin.Length / 50 + 2)
            {
                throw new ArticleParseException($"{fileName}: the file is neither UTF-8 nor Latin-1 text");
            }
            return latin;
        }
    }
}
