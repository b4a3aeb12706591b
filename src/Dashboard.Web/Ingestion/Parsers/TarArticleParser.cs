using System.Formats.Tar;
using static Dashboard.Web.Ingestion.Parsers.Archives;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>One file of a tar archive: its position among the archive's files, its path and size.</summary>
public sealed record TarFile(int Index, string Name, long Length);

/// <summary>
/// Tar archives (<c>.tar</c>, and <c>.tar.gz</c> through <see cref="GzipLayer"/>) of any other format, through
/// System.Formats.Tar. A tar archive has no directory: its headers are read once, data skipped, to refuse it as a
/// whole before anything is taken from it (too many entries, paths that climb out, too much in total); then it is
/// read again, one file at a time, each file on its own as in a ZIP archive. Links, devices and folders are not
/// files and are passed over.
/// </summary>
public static class TarArticleParser
{
    /// <summary>True when the bytes open with a POSIX or GNU tar header ("ustar" at offset 257).</summary>
    public static bool IsTar(ReadOnlySpan<byte> content) =>
        content.Length >= 262 && content.Slice(257, 5).SequenceEqual("ustar"u8);

    /// <summary>
    /// The archive's files in order, after the checks that refuse it as a whole; entries that are not files
    /// (links, devices) are noted in <paramref name="skipped"/>.
    /// </summary>
    public static List<TarFile> Files(string fileName, Stream archive, long maxTotalBytes, List<string> skipped)
    {
        var files = new List<TarFile>();
        long total = 0;
        var entries = 0;
        foreach (var entry in Entries(fileName, archive))
        {
            entries++;
            if (entries > MaxEntries)
            {
                throw new ArticleParseException($"{fileName}: the archive has more than the {MaxEntries:N0} entries allowed; the archive is refused");
            }
            var name = CleanName(entry.Name);
            if (ClimbsOut(entry.Name) || (entry.EntryType is TarEntryType.HardLink or TarEntryType.SymbolicLink && ClimbsOut(entry.LinkName)))
            {
                throw new ArticleParseException($"{fileName}!{name}: the entry's path leaves the archive's folder (an absolute path or '..'); the archive is refused");
            }
            if (!IsFile(entry))
            {
                if (entry.EntryType is TarEntryType.HardLink or TarEntryType.SymbolicLink)
                {
                    skipped.Add($"{fileName}!{name}: skipped (a link to {entry.LinkName}, not a file)");
                }
                continue;
            }
            total += entry.Length;
            if (total > maxTotalBytes)
            {
                throw new ArticleParseException($"{fileName}: the archive unpacks to more than the {maxTotalBytes:N0} bytes allowed; the archive is refused");
            }
            files.Add(new TarFile(files.Count, name, entry.Length));
        }
        if (files.Count == 0)
        {
            throw new ArticleParseException($"{fileName}: the archive holds no files");
        }
        return files;
    }

    /// <summary>
    /// The archive's files with their content, in the order and with the indexes <see cref="Files"/> gave; each
    /// stream is valid until the next file is taken.
    /// </summary>
    public static IEnumerable<(TarFile File, Stream Content)> Contents(string fileName, Stream archive)
    {
        var index = 0;
        foreach (var entry in Entries(fileName, archive))
        {
            if (IsFile(entry))
            {
                yield return (new TarFile(index++, CleanName(entry.Name), entry.Length), entry.DataStream ?? Stream.Null);
            }
        }
    }

    /// <summary>Every article of an archive held in memory; one file that fails does not fail the rest.</summary>
    public static IReadOnlyList<ParsedArticle> Parse(
        string fileName,
        Func<Stream> open,
        Func<string, byte[], ParseResult> parseEntry,
        List<string> skipped,
        List<FailedEntry> failedEntries)
    {
        List<TarFile> files;
        using (var archive = open())
        {
            files = Files(fileName, archive, MaxTotalBytes, skipped);
        }
        var read = new ArchiveEntries(fileName, skipped, failedEntries);
        using (var archive = open())
        {
            foreach (var (file, content) in Contents(fileName, archive))
            {
                var entryName = $"{fileName}!{file.Name}";
                if (IsSystemClutter(file.Name))
                {
                    skipped.Add($"{entryName}: skipped (operating-system metadata, not an article)");
                    continue;
                }
                read.Read(entryName, () =>
                {
                    if (file.Length > MaxEntryBytes)
                    {
                        throw new ArticleParseException($"{entryName}: the file unpacks to {file.Length:N0} bytes, more than the {MaxEntryBytes:N0} one article may have");
                    }
                    var bytes = new byte[file.Length];
                    content.ReadExactly(bytes);
                    return bytes;
                }, parseEntry);
            }
        }
        return read.Articles(files.Count);
    }

    /// <summary>Every entry of the archive; a damaged archive fails with its name, wherever the damage is.</summary>
    private static IEnumerable<TarEntry> Entries(string fileName, Stream archive)
    {
        using var reader = new TarReader(archive, leaveOpen: true);
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = reader.GetNextEntry();
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
            {
                throw new ArticleParseException($"{fileName}: not a readable tar archive ({ex.Message})");
            }
            if (entry is null)
            {
                yield break;
            }
            yield return entry;
        }
    }

    private static bool IsFile(TarEntry entry) =>
        entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile;

    /// <summary>"./news/a.txt" is "news/a.txt": how tar writes paths is not how people name them.</summary>
    private static string CleanName(string name)
    {
        while (name.StartsWith("./", StringComparison.Ordinal))
        {
            name = name[2..];
        }
        return name;
    }
}
