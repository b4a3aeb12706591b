using System.IO.Compression;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>Which kind of Office Open XML package a ZIP file is, if any.</summary>
public enum OfficeKind
{
    None,
    Word,
    Excel,
}

/// <summary>
/// Word documents (.docx) and Excel workbooks (.xlsx): ZIP files underneath, told from other ZIP files by their
/// entries (<c>[Content_Types].xml</c> with <c>word/document.xml</c> or <c>xl/workbook.xml</c>), and held to the same
/// limits as any archive before the Open XML SDK opens them, since a package can be a zip bomb like any ZIP.
/// </summary>
/// <remarks>
/// The parts read whole (the Word body, the workbook's shared text and styles, the core properties, the package's
/// own listings) may each unpack to at most <see cref="Archives.MaxEntryBytes"/>, and are unpacked once up front to
/// catch a header that understates its size. Worksheets are read row by row, so they may be larger; the SDK is
/// told to stop reading any part past the archive's total (<see cref="OpenSettings.MaxCharactersInPart"/>).
/// </remarks>
public static class OfficeDocuments
{
    /// <summary>
    /// A cheap look before opening the ZIP's directory: the package's content-type listing is named in the bytes
    /// of every Office package, and in almost no other ZIP archive.
    /// </summary>
    public static bool MayBeOffice(ReadOnlySpan<byte> content) =>
        ZipArticleParser.IsZip(content) && content.IndexOf("[Content_Types].xml"u8) >= 0;

    /// <summary>The kind of package by its entries (part names are case-insensitive in Open XML).</summary>
    public static OfficeKind KindOf(ZipArchive archive)
    {
        bool Has(string name) => archive.Entries.Any(e => e.FullName.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (!Has("[Content_Types].xml"))
        {
            return OfficeKind.None;
        }
        return Has("word/document.xml") ? OfficeKind.Word : Has("xl/workbook.xml") ? OfficeKind.Excel : OfficeKind.None;
    }

    /// <summary>"a Word document", "an Excel workbook": what the messages call the file.</summary>
    public static string Describe(OfficeKind kind) => kind == OfficeKind.Word ? "a Word document" : "an Excel workbook";

    /// <summary>
    /// The articles of an Office package held in memory, or null when the ZIP is not one (it is then read as an
    /// archive). Throws <see cref="ArticleParseException"/> naming the file when the package is refused or damaged.
    /// </summary>
    public static IReadOnlyList<ParsedArticle>? Read(string fileName, byte[] content, List<string> skipped)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            // Not a readable ZIP: the archive reader says why, in its own words.
            return null;
        }
        OfficeKind kind;
        using (archive)
        {
            kind = KindOf(archive);
            if (kind == OfficeKind.None)
            {
                return null;
            }
            Check(fileName, archive, kind, Archives.MaxTotalBytes);
        }
        var settings = Settings(kind, Archives.MaxTotalBytes);
        try
        {
            return kind == OfficeKind.Word
                ? [WordArticleParser.Parse(fileName, new MemoryStream(content, writable: false), settings)]
                : ExcelArticleParser.Parse(fileName, new MemoryStream(content, writable: false), settings, skipped);
        }
        catch (Exception ex) when (ex is not (ArticleParseException or OutOfMemoryException or OperationCanceledException))
        {
            throw Damaged(fileName, kind, ex);
        }
    }

    /// <summary>
    /// The checks every archive gets (entries, paths, compression ratio, declared total; see
    /// <see cref="ZipArticleParser.Files"/>), then each part read whole: declared within
    /// <see cref="Archives.MaxEntryBytes"/>, and unpacked once to make sure it holds no more than it declares.
    /// </summary>
    public static void Check(string fileName, ZipArchive archive, OfficeKind kind, long maxTotalBytes)
    {
        foreach (var entry in ZipArticleParser.Files(fileName, archive, maxTotalBytes))
        {
            if (!ReadWhole(kind, entry.FullName))
            {
                continue;
            }
            var entryName = $"{fileName}!{entry.FullName}";
            if (entry.Length > Archives.MaxEntryBytes)
            {
                // A workbook's shared text table holds the text of all its cells: saved as CSV, the same rows are read one at a time.
                var instead = kind == OfficeKind.Excel ? " (save the sheet as CSV, which is read row by row, and upload that)" : "";
                throw new ArticleParseException($"{entryName}: this part of {Describe(kind)} unpacks to {entry.Length:N0} bytes, more than the {Archives.MaxEntryBytes:N0} read at once; the file is refused{instead}");
            }
            try
            {
                using var stream = entry.Open();
                var buffer = new byte[81920];
                long unpacked = 0;
                int n;
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    unpacked += n;
                    if (unpacked > entry.Length)
                    {
                        throw new ArticleParseException($"{entryName}: the part unpacks to more than its header declares ({entry.Length:N0} bytes); the file is forged and refused");
                    }
                }
            }
            catch (InvalidDataException ex)
            {
                // A truncated or encrypted part: the document cannot be read, whichever part it is.
                throw new ArticleParseException($"{entryName}: this part of {Describe(kind)} cannot be unpacked ({ex.Message}); the file is damaged");
            }
        }
    }

    /// <summary>
    /// Parts the SDK or the parsers read whole: every XML part and relationship listing, except worksheets, which
    /// are read row by row. Pictures and other media are never read.
    /// </summary>
    private static bool ReadWhole(OfficeKind kind, string name) =>
        (name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".rels", StringComparison.OrdinalIgnoreCase))
        && !(kind == OfficeKind.Excel && name.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Read-only, and no part read past a bound: a Word body within what one article file may hold, a worksheet
    /// within the archive's total (a header that understates a part's size is caught here too).
    /// </summary>
    internal static OpenSettings Settings(OfficeKind kind, long maxTotalBytes) => new()
    {
        AutoSave = false,
        MaxCharactersInPart = kind == OfficeKind.Word ? Archives.MaxEntryBytes : maxTotalBytes,
    };

    /// <summary>What the SDK (or the XML reader under it) threw on a broken package, said with the file's name.</summary>
    internal static ArticleParseException Damaged(string fileName, OfficeKind kind, Exception error, string? where = null)
    {
        var place = where is null ? "" : $" ({where})";
        if (error is XmlException && error.Message.Contains("MaxCharactersInDocument", StringComparison.Ordinal))
        {
            return new ArticleParseException($"{fileName}: a part of {Describe(kind)}{place} holds more text than it may (a forged or bomb-like package); the file is refused");
        }
        return new ArticleParseException($"{fileName}: {Describe(kind)} that is damaged or not really one{place} ({error.GetType().Name}: {error.Message})");
    }

    /// <summary>
    /// The items of an enumeration whose library errors (XML, packaging) become <see cref="ArticleParseException"/>s
    /// naming the file: a sheet read row by row throws them while it is being read, not when it is opened.
    /// </summary>
    internal static IEnumerable<T> Guarded<T>(string fileName, OfficeKind kind, IEnumerable<T> items)
    {
        using var enumerator = items.GetEnumerator();
        while (true)
        {
            T current;
            try
            {
                if (!enumerator.MoveNext())
                {
                    yield break;
                }
                current = enumerator.Current;
            }
            catch (Exception ex) when (ex is not (ArticleParseException or OutOfMemoryException or OperationCanceledException))
            {
                throw Damaged(fileName, kind, ex);
            }
            yield return current;
        }
    }
}
