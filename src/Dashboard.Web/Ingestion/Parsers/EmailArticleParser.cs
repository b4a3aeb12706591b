using System.Text.RegularExpressions;
using MimeKit;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// A saved e-mail (.eml), such as a newsletter or a forwarded story, through MimeKit: the subject is the
/// title, the plain-text body the text (the HTML body, sanitised, when there is none), the Date header the
/// date and the sender the author.
/// </summary>
public static partial class EmailArticleParser
{
    private static readonly HashSet<string> KnownHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "from", "to", "subject", "date", "message-id", "mime-version", "content-type", "received", "return-path",
        "reply-to", "cc", "delivered-to", "x-mailer", "user-agent", "content-transfer-encoding", "dkim-signature",
    };

    /// <summary>
    /// True when the text opens with an RFC 5322 header block holding at least two of the usual mail headers:
    /// a news story that happens to begin "Subject: ..." is still plain text.
    /// </summary>
    public static bool LooksLikeEmail(string text)
    {
        var known = 0;
        using var reader = new StringReader(text.TrimStart('\uFEFF'));
        for (var i = 0; i < 100 && reader.ReadLine() is { } line; i++)
        {
            if (line.Length == 0)
            {
                return known >= 2;
            }
            if (line[0] is ' ' or '\t')
            {
                continue;
            }
            var header = HeaderLine().Match(line);
            if (!header.Success)
            {
                return false;
            }
            if (KnownHeaders.Contains(header.Groups[1].Value))
            {
                known++;
            }
        }
        return false;
    }

    public static ParsedArticle Parse(string fileName, ReadOnlySpan<byte> content)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        var message = MimeMessage.Load(new ParserOptions { MaxMimeDepth = 16 }, stream);
        var text = PlainTextParser.Text(message.TextBody ?? "");
        if (text.Length == 0)
        {
            text = HtmlText.ToPlainText(message.HtmlBody);
        }
        if (text.Length == 0)
        {
            throw new ArticleParseException($"{fileName}: the e-mail has no text body");
        }
        var title = HtmlText.ToTitle(message.Subject);
        DateTimeOffset? published = message.Headers.Contains(HeaderId.Date) && message.Date != DateTimeOffset.MinValue
            ? message.Date
            : NewsDate.Parse(message.Headers[HeaderId.Date]);
        var sender = message.From.Mailboxes.FirstOrDefault();
        return new ParsedArticle(
            title.Length > 0 ? title : PlainTextParser.TitleFrom(text),
            text,
            NewsDate.UtcDay(published),
            Url: null,
            Source: null,
            Author: sender is null ? null : string.IsNullOrWhiteSpace(sender.Name) ? sender.Address : sender.Name.Trim())
        {
            PublishedAt = published,
        };
    }

    [GeneratedRegex(@"^([A-Za-z0-9][A-Za-z0-9\-]*):")]
    private static partial Regex HeaderLine();
}
