using MimeKit;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// A saved e-mail (.eml), such as a newsletter or a forwarded story, through MimeKit: the subject is the
/// title, the plain-text body the text (the HTML body, sanitised, when there is none), the Date header the
/// date and the sender the author. A web page saved as one file (MHTML) is MIME too, and is read as the page. An
/// mbox mailbox (a newsletter archive exported from a mail program) gives one article per message.
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
    public static bool LooksLikeEmail(ReadOnlySpan<char> text)
    {
        var known = 0;
        var rest = text.TrimStart('\uFEFF');
        var lookup = KnownHeaders.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var i = 0; i < 100 && !rest.IsEmpty; i++)
        {
            // Lines end at CR, LF or CRLF, as a mail reader splits them.
            var end = rest.IndexOfAny('\r', '\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + (rest[end] == '\r' && end + 1 < rest.Length && rest[end + 1] == '\n' ? 2 : 1))..];
            if (line.Length == 0)
            {
                return known >= 2;
            }
            if (line[0] is ' ' or '\t')
            {
                continue;
            }
            var name = HeaderName(line);
            if (name.IsEmpty)
            {
                return false;
            }
            if (lookup.Contains(name))
            {
                known++;
            }
        }
        return false;
    }

    /// <summary>The name of a header line ("Subject: ..."): a letter or digit, then letters, digits and hyphens, then a colon; empty when the line is not one.</summary>
    private static ReadOnlySpan<char> HeaderName(ReadOnlySpan<char> line)
    {
        if (line.IsEmpty || !char.IsAsciiLetterOrDigit(line[0]))
        {
            return [];
        }
        var end = 1;
        while (end < line.Length && (char.IsAsciiLetterOrDigit(line[end]) || line[end] == '-'))
        {
            end++;
        }
        return end < line.Length && line[end] == ':' ? line[..end] : [];
    }

    /// <summary>
    /// The page of a web page saved as one file (MHTML: "Save as single file" in Chrome and Edge, <c>.mht</c> from
    /// older browsers): MIME like an e-mail, but a multipart/related body around an HTML page, marked by the
    /// browser (<c>Snapshot-Content-Location</c>, "Saved by ...") or, with no recipient, by the page's web address.
    /// An HTML e-mail with pictures is multipart/related too; it has recipients.
    /// </summary>
    private static TextPart? SavedPage(MimeMessage message)
    {
        if (message.Body is not MultipartRelated related || related.Root is not TextPart { IsHtml: true } page)
        {
            return null;
        }
        var markedByBrowser = message.Headers.Contains("Snapshot-Content-Location")
            || message.Headers[HeaderId.From]?.Contains("Saved by", StringComparison.OrdinalIgnoreCase) == true;
        var webAddress = page.ContentLocation is { IsAbsoluteUri: true, Scheme: "http" or "https" };
        return markedByBrowser || (webAddress && message.To.Count == 0) ? page : null;
    }

    /// <summary>
    /// A saved page is read as the page it is (SmartReader: main text, byline, published time), at the address it
    /// was saved from. The Date header says when it was saved, not published: it dates the article only when the
    /// page does not, and is marked as a fallback.
    /// </summary>
    private static ParsedArticle ReadSavedPage(string fileName, MimeMessage message, TextPart page)
    {
        var address = message.Headers["Snapshot-Content-Location"]?.Trim() ?? page.ContentLocation?.ToString() ?? message.Body?.ContentLocation?.ToString();
        var article = HtmlArticleParser.Parse(fileName, page.Text, address);
        if (article.Date is not null || !message.Headers.Contains(HeaderId.Date) || message.Date == DateTimeOffset.MinValue)
        {
            return article;
        }
        return article with { Date = NewsDate.UtcDay(message.Date), DateIsFallback = true };
    }

    private static readonly ParserOptions Options = new() { MaxMimeDepth = 16 };

    public static ParsedArticle Parse(string fileName, ReadOnlySpan<byte> content)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        return Read(fileName, MimeMessage.Load(Options, stream));
    }

    /// <summary>
    /// True when the text opens like an mbox mailbox (what Thunderbird, Apple Mail and Google Takeout export): a
    /// "From " separator line ending in a year, then a mail header. A story that begins "From Tehran, ..." is not one.
    /// </summary>
    public static bool LooksLikeMailbox(ReadOnlySpan<char> text)
    {
        var rest = text.TrimStart('\uFEFF');
        var end = rest.IndexOf('\n');
        if (end < 0 || !MboxSeparator().IsMatch(rest[..end].TrimEnd('\r')))
        {
            return false;
        }
        return LooksLikeEmail(rest[(end + 1)..]);
    }

    /// <summary>
    /// The messages of an mbox mailbox in order, each read as one e-mail, or the reason it yields no article
    /// ("news.mbox: message 3 ("Subject") has no text body"); the rest of the mailbox goes on. A newsletter
    /// archive is one file of hundreds of stories.
    /// </summary>
    public static IEnumerable<(int Index, ParsedArticle? Article, string? Problem)> ReadMailbox(string fileName, Stream mailbox, int fromMessage = 0)
    {
        var parser = new MimeParser(Options, mailbox, MimeFormat.Mbox);
        for (var index = 0; !parser.IsEndOfStream; index++)
        {
            MimeMessage message;
            try
            {
                message = parser.ParseMessage();
            }
            catch (FormatException ex)
            {
                if (index == 0)
                {
                    throw new ArticleParseException($"{fileName}: not a readable mailbox ({ex.Message})");
                }
                // The separator of the next message could not be found: what follows is not mail.
                yield break;
            }
            if (index < fromMessage)
            {
                continue;
            }
            ParsedArticle? article = null;
            string? problem = null;
            try
            {
                article = Read(fileName, message, inMailbox: true);
            }
            catch (ArticleParseException)
            {
                var subject = HtmlText.ToTitle(message.Subject);
                problem = $"{fileName}: message {index + 1}{(subject.Length > 0 ? $" (\"{subject}\")" : "")} has no text body";
            }
            yield return (index, article, problem);
        }
    }

    /// <summary>Every article of a mailbox held in memory; throws when no message yields one.</summary>
    public static IReadOnlyList<ParsedArticle> ParseMailbox(string fileName, ReadOnlySpan<byte> content, List<string> skipped)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        var articles = new List<ParsedArticle>();
        var messages = 0;
        foreach (var (_, article, problem) in ReadMailbox(fileName, stream))
        {
            messages++;
            if (article is not null)
            {
                articles.Add(article);
            }
            else
            {
                skipped.Add(problem!);
            }
        }
        if (articles.Count == 0)
        {
            throw new ArticleParseException(messages == 0
                ? $"{fileName}: the mailbox holds no messages"
                : $"{fileName}: none of the mailbox's {messages} messages has a text body");
        }
        return articles;
    }

    private static ParsedArticle Read(string fileName, MimeMessage message, bool inMailbox = false)
    {
        if (SavedPage(message) is { } page)
        {
            return ReadSavedPage(fileName, message, page);
        }
        var body = message.TextBody ?? "";
        // A mail program writing a mailbox escapes a line opening with "From " as ">From ": the message said "From ".
        var text = PlainTextParser.Text(inMailbox ? EscapedFrom().Replace(body, "$1") : body);
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

    [System.Text.RegularExpressions.GeneratedRegex(@"(?m)^>(>*From )")]
    private static partial System.Text.RegularExpressions.Regex EscapedFrom();

    /// <summary>An mbox "From " line: the sender (or MAILER-DAEMON), then the delivery time in asctime form, ending in its year.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^From \S+ .*\b\d{4}$")]
    private static partial System.Text.RegularExpressions.Regex MboxSeparator();
}
