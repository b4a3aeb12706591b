using System.IO.Compression;
using System.Text;
using System.Text.Unicode;
using Dashboard.Web.Ingestion.Parsers;

namespace Dashboard.Web.Ingestion;

/// <summary>
/// One item of a spooled upload: an article, a problem (an entry or a line that could not be read), or a page to fetch
/// (a row of an export of story links, with a link but no text), at its position.
/// </summary>
/// <param name="Entry">Index of the archive entry (0 for a file that is not an archive).</param>
/// <param name="Index">Index of the item inside the entry (a JSON Lines line, a CSV data row, a feed item).</param>
public sealed record SpooledItem(int Entry, int Index, ParsedArticle? Article, string? Problem, ParsedArticle? Page = null);

/// <summary>
/// Reads a spooled upload item by item, so memory stays flat however large the file: a ZIP or tar archive
/// (gzipped or not) entry by entry (checked as a whole first, as any archive), JSON Lines line by line, CSV row
/// by row and an mbox mailbox message by message (gzipped or not), an Excel workbook row by row (a Word document
/// whole), any other entry or
/// file whole (each is bounded by the per-entry and upload limits). Reading can start at a position saved by
/// <see cref="SpoolProgress"/>, so a restart does not read a gigabyte again.
/// </summary>
public static class SpooledArticles
{
    /// <summary>Entries larger than this are looked at before being read whole: JSON Lines are streamed.</summary>
    private const int StreamAbove = 1 << 20;

    private const int PeekBytes = 64 * 1024;

    /// <summary>The items from (<paramref name="fromEntry"/>, <paramref name="fromItem"/>) on; throws <see cref="ArticleParseException"/> when the file as a whole is refused.</summary>
    public static IEnumerable<SpooledItem> Read(string fileName, string path, int fromEntry = 0, int fromItem = 0)
    {
        var head = new byte[512];
        long length;
        using (var probe = File.OpenRead(path))
        {
            length = probe.Length;
            if (length == 0)
            {
                throw new ArticleParseException($"{fileName}: the file is empty");
            }
            head = head[..probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        }
        if (ZipArticleParser.IsZip(head))
        {
            var archive = ZipArticleParser.Open(fileName, File.OpenRead(path));
            OfficeKind kind;
            try
            {
                kind = OfficeDocuments.KindOf(archive);
                if (kind != OfficeKind.None)
                {
                    // A large Word or Excel file is a ZIP too, but one document: checked as any archive, then read as itself.
                    OfficeDocuments.Check(fileName, archive, kind, Archives.MaxStreamedTotalBytes);
                    archive.Dispose();
                }
            }
            catch
            {
                archive.Dispose();
                throw;
            }
            return kind == OfficeKind.None
                ? ReadArchive(fileName, archive, fromEntry, fromItem)
                : ReadOffice(fileName, path, kind, fromEntry == 0 ? fromItem : int.MaxValue);
        }
        if (TarArticleParser.IsTar(head))
        {
            return ReadTar(fileName, () => File.OpenRead(path), fromEntry, fromItem);
        }
        if (GzipLayer.IsGzip(head))
        {
            Stream Unpacked() => GzipLayer.Open(fileName, File.OpenRead(path), length, Archives.MaxStreamedTotalBytes);
            byte[] inner;
            using (var peek = Unpacked())
            {
                inner = new byte[512];
                inner = inner[..peek.ReadAtLeast(inner, inner.Length, throwOnEndOfStream: false)];
            }
            if (TarArticleParser.IsTar(inner))
            {
                return ReadTar(fileName, Unpacked, fromEntry, fromItem);
            }
            if (Archives.IsArchive(inner))
            {
                throw new ArticleParseException($"{fileName}: a large archive inside a gzip file is not unpacked (unpack it once and upload that)");
            }
            return ReadWhole(fileName, Unpacked, null, fromEntry == 0 ? fromItem : int.MaxValue);
        }
        return ReadWhole(fileName, () => File.OpenRead(path), length, fromEntry == 0 ? fromItem : int.MaxValue);
    }

    private static IEnumerable<SpooledItem> ReadWhole(string fileName, Func<Stream> open, long? length, int fromItem)
    {
        using var stream = open();
        foreach (var item in ReadFile(fileName, 0, stream, length, fromItem, insideArchive: false))
        {
            yield return item;
        }
    }

    /// <summary>
    /// A Word document or Excel workbook read from the spool: a workbook row by row, indexed by its row under the
    /// header so a restart resumes there; a document whole (its body is bounded by what one article file may hold).
    /// </summary>
    private static IEnumerable<SpooledItem> ReadOffice(string fileName, string path, OfficeKind kind, int fromItem)
    {
        using var package = File.OpenRead(path);
        var settings = OfficeDocuments.Settings(kind, Archives.MaxStreamedTotalBytes);
        if (kind == OfficeKind.Excel)
        {
            foreach (var row in OfficeDocuments.Guarded(fileName, kind, ExcelArticleParser.Rows(fileName, package, settings, fromItem, pagesToFetch: true)))
            {
                yield return Item(0, row);
            }
            yield break;
        }
        if (fromItem > 0)
        {
            yield break;
        }
        ParsedArticle article;
        try
        {
            article = WordArticleParser.Parse(fileName, package, settings);
        }
        catch (Exception ex) when (ex is not (ArticleParseException or OutOfMemoryException or OperationCanceledException))
        {
            throw OfficeDocuments.Damaged(fileName, kind, ex);
        }
        yield return new SpooledItem(0, 0, ArticleParser.Repaired(article), null);
    }

    private static IEnumerable<SpooledItem> ReadArchive(string fileName, ZipArchive archive, int fromEntry, int fromItem)
    {
        using (archive)
        {
            var files = ZipArticleParser.Files(fileName, archive, Archives.MaxStreamedTotalBytes);
            long unpacked = 0;
            for (var i = fromEntry; i < files.Count; i++)
            {
                var entry = files[i];
                var entryName = $"{fileName}!{entry.FullName}";
                var skipTo = i == fromEntry ? fromItem : 0;
                if (Archives.IsSystemClutter(entry.FullName))
                {
                    if (skipTo == 0)
                    {
                        yield return new SpooledItem(i, 0, null, $"{entryName}: skipped (operating-system metadata, not an article)");
                    }
                    continue;
                }
                unpacked += entry.Length;
                if (unpacked > Archives.MaxStreamedTotalBytes)
                {
                    throw new ArticleParseException($"{entryName}: the archive unpacks to more than {Archives.MaxStreamedTotalBytes:N0} bytes");
                }
                using var content = new BoundedStream(entry.Open(), entry.Length, entryName);
                foreach (var item in ReadFile(entryName, i, content, entry.Length, skipTo, insideArchive: true))
                {
                    yield return item;
                }
            }
        }
    }

    /// <summary>
    /// A tar archive (or a gzipped one) opened twice: once to check it as a whole, then to read its files in order.
    /// Resuming at a file reads past the earlier ones: a tar archive has no directory to jump from.
    /// </summary>
    private static IEnumerable<SpooledItem> ReadTar(string fileName, Func<Stream> open, int fromEntry, int fromItem)
    {
        var notes = new List<string>();
        using (var check = open())
        {
            TarArticleParser.Files(fileName, check, Archives.MaxStreamedTotalBytes, notes);
        }
        return Items();

        IEnumerable<SpooledItem> Items()
        {
            if (fromEntry == 0 && fromItem == 0)
            {
                foreach (var note in notes)
                {
                    yield return new SpooledItem(0, 0, null, note);
                }
            }
            using var archive = open();
            foreach (var (file, content) in TarArticleParser.Contents(fileName, archive))
            {
                if (file.Index < fromEntry)
                {
                    continue;
                }
                var entryName = $"{fileName}!{file.Name}";
                var skipTo = file.Index == fromEntry ? fromItem : 0;
                if (Archives.IsSystemClutter(file.Name))
                {
                    if (skipTo == 0)
                    {
                        yield return new SpooledItem(file.Index, 0, null, $"{entryName}: skipped (operating-system metadata, not an article)");
                    }
                    continue;
                }
                foreach (var item in ReadFile(entryName, file.Index, content, file.Length, skipTo, insideArchive: true))
                {
                    yield return item;
                }
            }
        }
    }

    /// <summary>
    /// One file (or archive entry) from its stream, which the caller owns: streamed line by line, row by row or message
    /// by message when it is large JSON Lines, CSV or an mbox mailbox, otherwise read whole and parsed as any upload. <paramref name="length"/> is null when only
    /// reading tells (a gzip file).
    /// </summary>
    private static IEnumerable<SpooledItem> ReadFile(string name, int entry, Stream stream, long? length, int fromItem, bool insideArchive)
    {
        var head = new byte[PeekBytes];
        int headLength;
        string? failure = null;
        try
        {
            headLength = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (insideArchive && ex is InvalidDataException or IOException)
        {
            headLength = 0;
            failure = $"{name}: the entry cannot be unpacked ({ex.Message})";
        }
        // The peeked head is read again in front of the rest of the stream, so no entry is opened twice.
        var content = new ReplayStream(head, headLength, stream);
        if (failure is null && (length ?? long.MaxValue) > StreamAbove && headLength == PeekBytes && Peek(head, headLength) is { } streamed)
        {
            var items = streamed.Kind switch
            {
                // Rows that only link to their page are fetched, in a file of its own as in an archive's.
                StreamedKind.JsonLines => ReadJsonLines(name, entry, content, fromItem, pagesToFetch: true),
                StreamedKind.Csv => ReadCsv(name, entry, content, fromItem, streamed.Csv!, streamed.Encoding, pagesToFetch: true),
                _ => ReadMailbox(name, entry, content, fromItem),
            };
            foreach (var item in items)
            {
                yield return item;
            }
            yield break;
        }
        if (failure is null && length > Archives.MaxEntryBytes)
        {
            if (!insideArchive)
            {
                throw new ArticleParseException($"{name}: {length:N0} bytes in one file is read in parts only as a ZIP or tar archive, JSON Lines (one article per line) CSV (one article per row) or an mbox mailbox (one per message); other formats are read whole, up to {Archives.MaxEntryBytes:N0} bytes");
            }
            yield return new SpooledItem(entry, 0, null, $"{name}: the file unpacks to {length:N0} bytes, more than the {Archives.MaxEntryBytes:N0} one article may have");
            yield break;
        }
        ParseResult? result = null;
        try
        {
            if (failure is null)
            {
                using var buffer = new MemoryStream((int)Math.Min(length ?? PeekBytes, Archives.MaxEntryBytes));
                CopyAtMost(content, buffer, Archives.MaxEntryBytes + 1);
                if (buffer.Length > Archives.MaxEntryBytes)
                {
                    throw new ArticleParseException($"{name}: the file unpacks to more than {Archives.MaxEntryBytes:N0} bytes; only ZIP or tar archives, JSON Lines (one article per line), CSV (one article per row) and mbox mailboxes (one per message) are read in parts, other formats whole, up to that size");
                }
                result = insideArchive
                    ? ArticleParser.ReadArchiveEntry(name, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), pagesToFetch: true)
                    : ArticleParser.Read(name, buffer.GetBuffer().AsSpan(0, (int)buffer.Length), pagesToFetch: true);
            }
        }
        catch (ArticleParseException ex) when (insideArchive)
        {
            failure = ex.Message;
        }
        catch (Exception ex) when (insideArchive && ex is InvalidDataException or IOException)
        {
            // Encrypted, truncated or oddly compressed entries fail alone; the archive's other files go on.
            failure = $"{name}: the entry cannot be unpacked ({ex.Message})";
        }
        if (failure is not null)
        {
            if (fromItem == 0)
            {
                yield return new SpooledItem(entry, 0, null, failure);
            }
            yield break;
        }
        if (fromItem == 0)
        {
            foreach (var problem in result!.FailedEntries.Select(f => $"{f.Entry}: {f.Reason}").Concat(result.Skipped))
            {
                yield return new SpooledItem(entry, 0, null, problem);
            }
        }
        for (var i = fromItem; i < result!.Articles.Count; i++)
        {
            var article = result.Articles[i];
            yield return new SpooledItem(entry, i, insideArchive && article.FileName is null ? article with { FileName = name } : article, null);
        }
        // Rows that only link to their page, after the articles.
        for (var j = Math.Max(0, fromItem - result.Articles.Count); j < result.Pages.Count; j++)
        {
            yield return new SpooledItem(entry, result.Articles.Count + j, null, null, result.Pages[j]);
        }
    }

    private static void CopyAtMost(Stream from, Stream to, long limit)
    {
        var buffer = new byte[81920];
        long copied = 0;
        int n;
        while (copied < limit && (n = from.Read(buffer, 0, (int)Math.Min(buffer.Length, limit - copied))) > 0)
        {
            to.Write(buffer, 0, n);
            copied += n;
        }
    }

    private enum StreamedKind
    {
        JsonLines,
        Csv,
        Mailbox,
    }

    /// <summary>How a large file is read in parts: as JSON Lines, as a CSV with its layout and text encoding, or as an mbox mailbox.</summary>
    private sealed record Streamed(StreamedKind Kind, CsvArticleParser.Layout? Csv, Encoding Encoding);

    /// <summary>How the file's first bytes say it can be streamed; null when it is read whole.</summary>
    private static Streamed? Peek(byte[] buffer, int read)
    {
        // The last line of the peek may be cut: judge on whole lines only.
        var cut = buffer.AsSpan(0, read).LastIndexOf((byte)'\n');
        if (cut <= 0)
        {
            return null;
        }
        var head = buffer.AsSpan(0, cut);
        var text = Encoding.UTF8.GetString(head);
        if (JsonArticleParser.IsJsonLines(text))
        {
            return new Streamed(StreamedKind.JsonLines, null, Encoding.UTF8);
        }
        if (EmailArticleParser.LooksLikeMailbox(text))
        {
            return new Streamed(StreamedKind.Mailbox, null, Encoding.UTF8);
        }
        // Spreadsheets saved on Windows are often not UTF-8: Latin-1 when the first lines are not valid UTF-8, as a file read whole is decoded.
        var utf8 = Utf8.IsValid(head);
        var layout = CsvArticleParser.Detect(utf8 ? text : Encoding.Latin1.GetString(head));
        return layout is null ? null : new Streamed(StreamedKind.Csv, layout, utf8 ? new UTF8Encoding(false) : Encoding.Latin1);
    }

    private static IEnumerable<SpooledItem> ReadJsonLines(string name, int entry, Stream stream, int fromItem, bool pagesToFetch)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var line = new StringBuilder();
        var skipped = new SkippedItems(pagesToFetch);
        for (var index = 0; ; index++)
        {
            var (ended, tooLong) = ReadLine(reader, line);
            if (ended && line.Length == 0 && !tooLong)
            {
                yield break;
            }
            if (index < fromItem)
            {
                continue;
            }
            if (tooLong)
            {
                yield return new SpooledItem(entry, index, null, $"{name}: line {index + 1} is longer than {ArticleParser.MaxLineLength:N0} characters without a line break: this is not article text");
            }
            else if (line.Length > 0 && !string.IsNullOrWhiteSpace(line.ToString()))
            {
                skipped.Reset();
                var article = JsonArticleParser.ParseLine(name, line.ToString().Trim(), index + 1, skipped);
                yield return article is not null ? new SpooledItem(entry, index, ArticleParser.Repaired(article), null)
                    : skipped.PagesToFetch is [var page, ..] ? new SpooledItem(entry, index, null, null, page)
                    : new SpooledItem(entry, index, null, skipped.FirstOrDefault() ?? $"{name}: line {index + 1} holds no article");
            }
            if (ended)
            {
                yield break;
            }
        }
    }

    private static IEnumerable<SpooledItem> ReadMailbox(string name, int entry, Stream stream, int fromItem)
    {
        foreach (var (index, article, problem) in EmailArticleParser.ReadMailbox(name, stream, fromItem))
        {
            yield return new SpooledItem(entry, index, article is null ? null : ArticleParser.Repaired(article), problem);
        }
    }

    private static IEnumerable<SpooledItem> ReadCsv(string name, int entry, Stream stream, int fromItem, CsvArticleParser.Layout layout, Encoding encoding, bool pagesToFetch)
    {
        using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        foreach (var row in CsvArticleParser.Rows(name, reader, layout, fromItem, pagesToFetch))
        {
            yield return Item(entry, row);
        }
    }

    /// <summary>A table's row as a spooled item: its article, its page to fetch, or its problem.</summary>
    private static SpooledItem Item(int entry, CsvArticleParser.Row row) =>
        row.Article is not null ? new SpooledItem(entry, row.Index, ArticleParser.Repaired(row.Article), null)
        : row.Page is not null ? new SpooledItem(entry, row.Index, null, null, row.Page)
        : new SpooledItem(entry, row.Index, null, row.Problem);

    /// <summary>Reads one line into <paramref name="line"/>, keeping at most <see cref="ArticleParser.MaxLineLength"/> characters of it.</summary>
    private static (bool Ended, bool TooLong) ReadLine(StreamReader reader, StringBuilder line)
    {
        line.Clear();
        var tooLong = false;
        while (true)
        {
            var c = reader.Read();
            if (c < 0)
            {
                return (true, tooLong);
            }
            if (c == '\n')
            {
                return (false, tooLong);
            }
            if (line.Length >= ArticleParser.MaxLineLength)
            {
                tooLong = true;
                continue;
            }
            line.Append((char)c);
        }
    }

    /// <summary>A stream whose first bytes were already read to look at them: it gives them again, then the rest.</summary>
    private sealed class ReplayStream(byte[] head, int headLength, Stream rest) : ReadOnlyStream
    {
        private int _headRead;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_headRead < headLength)
            {
                var n = Math.Min(count, headLength - _headRead);
                Array.Copy(head, _headRead, buffer, offset, n);
                _headRead += n;
                return n;
            }
            return rest.Read(buffer, offset, count);
        }
    }

    /// <summary>An entry's stream that refuses to give more than the entry's header declared: a forged header cannot make it unpack without end.</summary>
    private sealed class BoundedStream(Stream inner, long limit, string name) : ReadOnlyStream
    {
        private long _read;

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            _read += n;
            if (_read > limit)
            {
                throw new ArticleParseException($"{name}: the entry unpacks to more than its header declares ({limit:N0} bytes); the archive is forged");
            }
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
