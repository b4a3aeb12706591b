using System.Buffers;
using System.Text;
using System.Text.Unicode;
using System.Text.RegularExpressions;
using Dashboard.Web.Ingestion.Parsers;

namespace Dashboard.Web.Ingestion;

/// <summary>What one file yielded: its articles, the archive entries that failed, and the items left out, each with its reason.</summary>
/// <param name="PagesToFetch">
/// Items that name their page but carry none of its text (an export of story links, as Media Cloud gives), when the
/// reader asked for them: their pages are fetched through the link queue, the items' fields filling what a page lacks.
/// </param>
public sealed record ParseResult(IReadOnlyList<ParsedArticle> Articles, IReadOnlyList<FailedEntry> FailedEntries, IReadOnlyList<string> Skipped,
    IReadOnlyList<ParsedArticle>? PagesToFetch = null)
{
    public IReadOnlyList<ParsedArticle> Pages => PagesToFetch ?? [];
}

/// <summary>An entry of an archive that could not be read ("news.zip!folder/b.txt"), while the rest of the archive was.</summary>
public sealed record FailedEntry(string Entry, string Reason);

/// <summary>
/// Turns the bytes of an uploaded file into articles. The format is read from the content, never trusted
/// from the file name; every failure is an <see cref="ArticleParseException"/> naming the file.
/// </summary>
/// <remarks>
/// Detection, in order: a Word document (.docx) or Excel workbook (.xlsx), which is a ZIP whose entries include
/// <c>[Content_Types].xml</c> and <c>word/document.xml</c> or <c>xl/workbook.xml</c> (see <see cref="OfficeDocuments"/>);
/// then ZIP, tar, gzip (around any other format, a tar archive included) and PDF by their signatures; other binary
/// content is refused; then the decoded text: <c>{</c> or <c>[</c> is JSON (or JSON Lines), <c>&lt;</c> is a feed
/// when the root element is <c>rss</c>, <c>rdf:RDF</c> or <c>feed</c>, other XML (an <c>&lt;?xml</c> declaration or a
/// DOCTYPE that is not HTML's) goes through the safe XML reader, the rest is an HTML page; a "From " line then a
/// header block is an mbox mailbox, a header block alone an e-mail (or a page saved as MHTML); a first line (after
/// any <c>#</c> comment lines) that is a CSV header naming article columns is a CSV or TSV export, one article per
/// row (see <see cref="CsvArticleParser.Detect"/>); anything else is plain text.
/// </remarks>
public static partial class ArticleParser
{
    /// <summary>A line longer than this without a break is not prose: the file is refused before it reaches a parser.</summary>
    public const int MaxLineLength = 1 << 20;

    public static IReadOnlyList<ParsedArticle> Parse(string fileName, ReadOnlySpan<byte> content) =>
        Read(fileName, content).Articles;

    /// <summary>
    /// The articles of a file with what was left out of it; throws when the file yields no article. With
    /// <paramref name="pagesToFetch"/>, items that only link to their page (JSON, CSV, Excel rows without text) are
    /// returned in <see cref="ParseResult.PagesToFetch"/> instead of being left out, and a file of nothing else is read.
    /// </summary>
    public static ParseResult Read(string fileName, ReadOnlySpan<byte> content, bool pagesToFetch = false) => Read(fileName, content, insideArchive: false, pagesToFetch);

    /// <summary>One file taken out of an archive (an archive inside it is refused; a Word or Excel file is read as a document).</summary>
    public static ParseResult ReadArchiveEntry(string entryName, ReadOnlySpan<byte> content, bool pagesToFetch = false) => Read(entryName, content, insideArchive: true, pagesToFetch);

    /// <summary>
    /// True when the content is an HTML page (not a feed, an archive or a PDF): what a site's own address answers.
    /// The feed poller asks, because a page is read as one article and a site's front page is not news.
    /// </summary>
    public static bool IsWebPage(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty || Archives.IsArchive(content) || PdfArticleParser.IsPdf(content))
        {
            return false;
        }
        try
        {
            using var decoded = Decode("page", content);
            return decoded.Chars.TrimStart("\uFEFF \t\r\n").StartsWith("<") && !IsXml(decoded.Text);
        }
        catch (ArticleParseException)
        {
            return false;
        }
    }

    private static ParseResult Read(string fileName, ReadOnlySpan<byte> content, bool insideArchive, bool pagesToFetch)
    {
        var skipped = new SkippedItems(pagesToFetch);
        var failedEntries = new List<FailedEntry>();
        var format = "text";
        try
        {
            if (content.IsEmpty)
            {
                throw new ArticleParseException($"{fileName}: the file is empty");
            }
            // An Office document is a ZIP underneath, and one inside an archive is a document, not a nested archive.
            if (OfficeDocuments.MayBeOffice(content))
            {
                format = "an Office document";
                if (OfficeDocuments.Read(fileName, content.ToArray(), skipped) is { } document)
                {
                    return new ParseResult(document.Select(Repaired).ToList(), failedEntries, skipped, skipped.PagesToFetch);
                }
            }
            if (LinkFiles.TryRead(content, out var link))
            {
                throw new ArticleParseException($"{fileName}: a link to {link}, not an article; its page is fetched when the link file is dropped on the Upload page, posted to the API, put in the inbox folder or imported, or when the address is sent with \"Fetch article\"");
            }
            if (LinkFiles.OpensLikeLongList(content))
            {
                throw new ArticleParseException($"{fileName}: a list of web addresses over 4 MB, more than is taken at once: split it into lists of at most {IngestQueue.MaxLinks:N0} addresses");
            }
            if (LinkFiles.TryReadList(content, out var list))
            {
                throw new ArticleParseException($"{fileName}: a list of {list.Count:N0} web address{(list.Count == 1 ? "" : "es")}, not an article; their pages are fetched when the list is dropped on the Upload page, posted to the API, put in the inbox folder or imported on its own");
            }
            if (insideArchive && Archives.IsArchive(content))
            {
                throw new ArticleParseException($"{fileName}: an archive inside an archive is not unpacked (unpack it and upload its files)");
            }
            if (ZipArticleParser.IsZip(content))
            {
                format = "a ZIP archive";
                var entries = ZipArticleParser.Parse(fileName, content, (entry, bytes) => Read(entry, bytes, insideArchive: true, pagesToFetch), skipped, failedEntries);
                return new ParseResult(entries, failedEntries, skipped, skipped.PagesToFetch);
            }
            if (TarArticleParser.IsTar(content))
            {
                format = "a tar archive";
                var archive = content.ToArray();
                var entries = TarArticleParser.Parse(fileName, () => new MemoryStream(archive, writable: false), (entry, bytes) => Read(entry, bytes, insideArchive: true, pagesToFetch), skipped, failedEntries);
                return new ParseResult(entries, failedEntries, skipped, skipped.PagesToFetch);
            }
            if (GzipLayer.IsGzip(content))
            {
                format = "a gzip file";
                return ReadGzip(fileName, content.ToArray(), pagesToFetch);
            }
            if (PdfArticleParser.IsPdf(content))
            {
                format = "a PDF";
                return new ParseResult([PdfArticleParser.Parse(fileName, content)], failedEntries, skipped);
            }
            // Decoded into a pooled buffer: a plain-text upload (most of a bulk import) is read from it straight into its
            // body, and only the other formats, whose libraries take strings, get the whole text as a string.
            using var decoded = Decode(fileName, content);
            var chars = decoded.Chars;
            if (chars.IsWhiteSpace())
            {
                throw new ArticleParseException($"{fileName}: the file holds only whitespace");
            }
            var start = chars.TrimStart("\uFEFF \t\r\n");
            IReadOnlyList<ParsedArticle> articles;
            if (start.StartsWith("{") || start.StartsWith("["))
            {
                format = "JSON";
                var text = decoded.Text;
                if (JsonArticleParser.IsJsonLines(text))
                {
                    RefuseLongLines(fileName, text);
                }
                articles = JsonArticleParser.Parse(fileName, text, skipped);
            }
            else if (start.StartsWith("<") && IsXml(decoded.Text))
            {
                format = "XML";
                var document = SafeXml.Load(fileName, content, decoded.Text);
                format = "a feed";
                articles = FeedArticleParser.Parse(fileName, document, skipped);
            }
            else if (start.StartsWith("<"))
            {
                format = "an HTML page";
                articles = [HtmlArticleParser.Parse(fileName, decoded.Text)];
            }
            else if (EmailArticleParser.LooksLikeMailbox(chars))
            {
                format = "a mailbox";
                articles = EmailArticleParser.ParseMailbox(fileName, content, skipped);
            }
            else if (EmailArticleParser.LooksLikeEmail(chars))
            {
                format = "an e-mail";
                articles = [EmailArticleParser.Parse(fileName, content)];
            }
            else if (CsvArticleParser.Detect(chars) is { } layout)
            {
                // Long lines are judged cell by cell: a row with a huge cell is left out, the other rows are read.
                format = "CSV";
                articles = CsvArticleParser.Parse(fileName, decoded.Text, layout, skipped);
            }
            else
            {
                RefuseLongLines(fileName, chars);
                articles = [PlainTextParser.Parse(fileName, chars)];
            }
            return new ParseResult(articles.Select(Repaired).ToList(), failedEntries, skipped, skipped.PagesToFetch);
        }
        catch (ArticleParseException)
        {
            throw;
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            // A library's surprise on a strange file must fail that file with its name, never the batch.
            throw new ArticleParseException($"{fileName}: could not be read as {format} ({ex.GetType().Name}: {ex.Message})");
        }
    }

    /// <summary>
    /// A gzip file: a tar archive inside is read file by file as it is unpacked; any other file is unpacked whole
    /// (up to what one article file may hold) and read as if it had been uploaded unpacked.
    /// </summary>
    private static ParseResult ReadGzip(string fileName, byte[] compressed, bool pagesToFetch)
    {
        var head = GzipLayer.Head(fileName, compressed, 512);
        if (TarArticleParser.IsTar(head))
        {
            var skipped = new List<string>();
            var failedEntries = new List<FailedEntry>();
            var entries = TarArticleParser.Parse(
                fileName,
                () => GzipLayer.Open(fileName, new MemoryStream(compressed, writable: false), compressed.Length, Archives.MaxTotalBytes),
                (entry, bytes) => Read(entry, bytes, insideArchive: true, pagesToFetch: false),
                skipped,
                failedEntries);
            return new ParseResult(entries, failedEntries, skipped);
        }
        if (GzipLayer.IsGzip(head))
        {
            throw new ArticleParseException($"{fileName}: the file is compressed twice; unpack it once and upload that");
        }
        return Read(fileName, GzipLayer.Unpack(fileName, compressed, Archives.MaxEntryBytes), insideArchive: false, pagesToFetch);
    }

    /// <summary>Titles, texts and names with double-decoded UTF-8 ("â€™") repaired; see <see cref="Mojibake"/>.</summary>
    public static ParsedArticle Repaired(ParsedArticle article)
    {
        var title = Mojibake.Repair(article.Title);
        var text = Mojibake.Repair(article.Text);
        var author = article.Author is null ? null : Mojibake.Repair(article.Author);
        return ReferenceEquals(title, article.Title) && ReferenceEquals(text, article.Text) && ReferenceEquals(author, article.Author)
            ? article
            : article with { Title = title, Text = text, Author = author };
    }

    /// <summary>
    /// XML rather than HTML: the root element is a feed's, or the file declares itself XML (<c>&lt;?xml</c>) or
    /// carries a DOCTYPE that is not HTML's, in which case the safe reader refuses it.
    /// </summary>
    private static bool IsXml(string text)
    {
        var head = text.Length > 65_536 ? text[..65_536] : text;
        var root = FirstElement().Match(head);
        if (root.Success)
        {
            var name = root.Groups["name"].Value;
            var local = name.Contains(':') ? name[(name.IndexOf(':') + 1)..] : name;
            if (local.Equals("rss", StringComparison.OrdinalIgnoreCase) || local.Equals("feed", StringComparison.OrdinalIgnoreCase)
                || local.Equals("RDF", StringComparison.Ordinal) || local.Equals("urlset", StringComparison.Ordinal))
            {
                return true;
            }
            if (local.Equals("html", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        var doctype = Doctype().Match(head);
        if (doctype.Success)
        {
            return !doctype.Groups["name"].Value.Equals("html", StringComparison.OrdinalIgnoreCase);
        }
        return head.AsSpan().TrimStart("\uFEFF \t\r\n").StartsWith("<?xml", StringComparison.OrdinalIgnoreCase)
            && !(root.Success && HtmlElements().IsMatch(root.Groups["name"].Value));
    }

    private static void RefuseLongLines(string fileName, ReadOnlySpan<char> text)
    {
        // A vectorised search for each line break (a character-by-character pass was 0.7% of a bulk import's CPU).
        var rest = text;
        for (var line = 1; ; line++)
        {
            var end = rest.IndexOf('\n');
            var length = end < 0 ? rest.Length : end;
            if (length > MaxLineLength)
            {
                throw new ArticleParseException($"{fileName}: line {line} is {length:N0} characters long without a line break (more than {MaxLineLength:N0}): this is not article text");
            }
            if (end < 0)
            {
                return;
            }
            rest = rest[(end + 1)..];
        }
    }

    /// <summary>UTF-8 (with or without BOM) when valid, otherwise Latin-1; binary content is refused.</summary>
    public static string DecodeText(string fileName, ReadOnlySpan<byte> content)
    {
        using var decoded = Decode(fileName, content);
        return decoded.Text;
    }

    /// <summary>
    /// The text of <paramref name="content"/> (see <see cref="DecodeText"/>) in a buffer rented from the shared pool
    /// when it is article-sized, in a buffer of its own when it is larger (the pool would keep a large one alive).
    /// </summary>
    private static DecodedText Decode(string fileName, ReadOnlySpan<byte> content)
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
        // UTF-8 never decodes to more chars than it has bytes, and Latin-1 to exactly as many.
        var decoded = new DecodedText(content.Length);
        try
        {
            var buffer = decoded.Buffer;
            if (Utf8.ToUtf16(content, buffer, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
            {
                decoded.Length = written;
                return decoded;
            }
            // Older newswire files (Reuters-21578) are Latin-1; every byte decodes, so nothing is lost.
            decoded.Length = Encoding.Latin1.GetChars(content, buffer);
            var odd = 0;
            foreach (var c in buffer[..decoded.Length])
            {
                if (c is >= '\u0080' and <= '\u009F')
                {
                    odd++;
                }
            }
            if (odd > decoded.Length / 50 + 2)
            {
                throw new ArticleParseException($"{fileName}: the file is neither UTF-8 nor Latin-1 text");
            }
            return decoded;
        }
        catch
        {
            decoded.Dispose();
            throw;
        }
    }

    /// <summary>A file's decoded text, in a buffer rented from the shared pool (returned on dispose) when it is article-sized.</summary>
    private sealed class DecodedText(int capacity) : IDisposable
    {
        /// <summary>Larger files (rare, and at most the inline upload limit) get a buffer of their own: the pool would keep it alive.</summary>
        private const int MaxPooledChars = 1 << 20;

        private char[]? _rented = capacity <= MaxPooledChars ? ArrayPool<char>.Shared.Rent(Math.Max(capacity, 1)) : null;
        private readonly char[]? _own = capacity <= MaxPooledChars ? null : new char[capacity];
        private string? _text;

        public int Length { get; set; }

        /// <summary>Where the decoder writes.</summary>
        public Span<char> Buffer => _rented ?? _own ?? throw new ObjectDisposedException(nameof(DecodedText));

        public ReadOnlySpan<char> Chars => Buffer[..Length];

        /// <summary>The text as a string, for the parsers whose libraries read strings; made once.</summary>
        public string Text => _text ??= new string(Chars);

        public void Dispose()
        {
            if (_rented is not null)
            {
                ArrayPool<char>.Shared.Return(_rented);
                _rented = null;
            }
        }
    }

    [GeneratedRegex(@"<(?<name>[A-Za-z_][\w.\-]*(?::[\w.\-]+)?)")]
    private static partial Regex FirstElement();

    [GeneratedRegex(@"<!DOCTYPE\s+(?<name>[\w:.\-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Doctype();

    [GeneratedRegex(@"^(html|head|body|div|p|article|meta|title|section)$", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlElements();
}
