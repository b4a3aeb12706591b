using System.IO.Compression;

using static Dashboard.Web.Ingestion.Parsers.Archives;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// ZIP archives of any other format, nested folders allowed. The archive is refused as a whole when it looks
/// built to hurt (too many entries, an entry compressed too well, too much in total, paths that climb out);
/// otherwise each entry is read on its own and one bad entry does not fail the rest.
/// </summary>
public static class ZipArticleParser
{
    /// <summary>True when the bytes start like a ZIP archive (a local file header, or an empty archive's directory end).</summary>
    public static bool IsZip(ReadOnlySpan<byte> content) =>
        content.Length >= 4 && content[0] == 'P' && content[1] == 'K'
        && ((content[2] == 3 && content[3] == 4) || (content[2] == 5 && content[3] == 6));

    public static IReadOnlyList<ParsedArticle> Parse(
        string fileName,
        ReadOnlySpan<byte> content,
        Func<string, byte[], ParseResult> parseEntry,
        List<string> skipped,
        List<FailedEntry> failedEntries)
    {
        using var archive = Open(fileName, content);
        var files = Files(fileName, archive, MaxTotalBytes);
        var read = new ArchiveEntries(fileName, skipped, failedEntries);
        long unpacked = 0;
        foreach (var entry in files)
        {
            var entryName = $"{fileName}!{entry.FullName}";
            if (IsSystemClutter(entry.FullName))
            {
                skipped.Add($"{entryName}: skipped (operating-system metadata, not an article)");
                continue;
            }
            read.Read(entryName, () => ReadEntry(entryName, entry, ref unpacked), parseEntry);
        }
        return read.Articles(files.Count);
    }

    /// <summary>
    /// The archive's files in order, after the checks that refuse it as a whole: too many entries, a path that
    /// climbs out, an entry compressed too well, more than <paramref name="maxTotalBytes"/> declared in total.
    /// </summary>
    public static List<ZipArchiveEntry> Files(string fileName, ZipArchive archive, long maxTotalBytes)
    {
        var entries = archive.Entries;
        if (entries.Count > MaxEntries)
        {
            throw new ArticleParseException($"{fileName}: the archive has {entries.Count:N0} entries, more than the {MaxEntries:N0} allowed");
        }
        var files = new List<ZipArchiveEntry>();
        long declaredTotal = 0;
        foreach (var entry in entries)
        {
            if (ClimbsOut(entry.FullName))
            {
                throw new ArticleParseException($"{fileName}!{entry.FullName}: the entry's path leaves the archive's folder (an absolute path or '..'); the archive is refused");
            }
            if (IsFolder(entry))
            {
                continue;
            }
            declaredTotal += entry.Length;
            if (entry.Length > RatioFloorBytes && entry.Length > (long)MaxCompressionRatio * Math.Max(entry.CompressedLength, 1))
            {
                throw new ArticleParseException($"{fileName}!{entry.FullName}: compressed {Ratio(entry.Length, entry.CompressedLength)}:1 ({entry.CompressedLength:N0} bytes unpack to {entry.Length:N0}), more than {MaxCompressionRatio}:1: this looks like a zip bomb; the archive is refused");
            }
            files.Add(entry);
        }
        if (declaredTotal > maxTotalBytes)
        {
            throw new ArticleParseException($"{fileName}: the archive unpacks to {declaredTotal:N0} bytes, more than the {maxTotalBytes:N0} allowed; the archive is refused");
        }
        if (files.Count == 0)
        {
            throw new ArticleParseException($"{fileName}: the archive holds no files");
        }
        return files;
    }

    /// <summary>Opens an archive kept on disk: only its directory is read up front, entries one at a time later.</summary>
    public static ZipArchive Open(string fileName, Stream content)
    {
        try
        {
            return new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException ex)
        {
            content.Dispose();
            throw new ArticleParseException($"{fileName}: not a readable ZIP archive ({ex.Message})");
        }
    }

    private static ZipArchive Open(string fileName, ReadOnlySpan<byte> content)
    {
        try
        {
            return new ZipArchive(new MemoryStream(content.ToArray(), writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException ex)
        {
            throw new ArticleParseException($"{fileName}: not a readable ZIP archive ({ex.Message})");
        }
    }

    /// <summary>
    /// Reads at most what the entry declares, within the per-entry and total limits: the declared sizes are
    /// checked first, but a forged header could understate them, so the reading itself is bounded too.
    /// </summary>
    public static byte[] ReadEntry(string entryName, ZipArchiveEntry entry, ref long unpacked, long maxTotalBytes = MaxTotalBytes)
    {
        if (entry.Length > MaxEntryBytes)
        {
            throw new ArticleParseException($"{entryName}: the file unpacks to {entry.Length:N0} bytes, more than the {MaxEntryBytes:N0} one article may have");
        }
        var limit = Math.Min(entry.Length, MaxEntryBytes);
        using var stream = entry.Open();
        var buffer = new byte[limit];
        var read = 0;
        while (read < limit)
        {
            var n = stream.Read(buffer, read, (int)(limit - read));
            if (n == 0)
            {
                break;
            }
            read += n;
        }
        if (stream.ReadByte() >= 0)
        {
            throw new ArticleParseException($"{entryName}: the entry unpacks to more than its header declares ({entry.Length:N0} bytes); the archive is forged");
        }
        unpacked += read;
        if (unpacked > maxTotalBytes)
        {
            throw new ArticleParseException($"{entryName}: the archive unpacks to more than {maxTotalBytes:N0} bytes");
        }
        return read == buffer.Length ? buffer : buffer[..read];
    }

    private static bool IsFolder(ZipArchiveEntry entry) =>
        entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\') || (entry.Name.Length == 0 && entry.Length == 0);

    private static long Ratio(long length, long compressed) => length / Math.Max(compressed, 1);
}
