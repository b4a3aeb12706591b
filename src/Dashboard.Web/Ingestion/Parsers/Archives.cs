namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// What every archive format (ZIP, tar, gzip) is held to, in one place: an archive that looks built to hurt is
/// refused as a whole, whichever way it is packed.
/// </summary>
public static class Archives
{
    public const int MaxEntries = 10_000;
    public const int MaxCompressionRatio = 100;

    /// <summary>Most an archive read in memory may unpack to.</summary>
    public const long MaxTotalBytes = 1L << 30;

    /// <summary>An archive read from the spool one entry at a time may unpack to more: memory does not grow with it.</summary>
    public const long MaxStreamedTotalBytes = 16L << 30;

    /// <summary>Most one file of an archive may unpack to when it is read whole (JSON Lines are streamed instead).</summary>
    public const long MaxEntryBytes = 64L << 20;

    /// <summary>
    /// Tiny entries compress absurdly well (a 20 KB run of spaces) without threatening anything: the ratio check
    /// starts above this size.
    /// </summary>
    public const long RatioFloorBytes = 1L << 20;

    /// <summary>An absolute path, a drive letter or a '..' segment: extracting it would write outside the archive's folder.</summary>
    public static bool ClimbsOut(string path)
    {
        var normalised = path.Replace('\\', '/');
        return normalised.StartsWith('/')
            || (normalised.Length >= 2 && normalised[1] == ':')
            || normalised.Split('/').Any(segment => segment == "..");
    }

    /// <summary>Files an operating system adds to what it packs (macOS resource forks, Finder and Explorer settings).</summary>
    public static bool IsSystemClutter(string path) =>
        path.StartsWith("__MACOSX/", StringComparison.Ordinal)
        || Path.GetFileName(path) is ".DS_Store" or "Thumbs.db" or "desktop.ini"
        || Path.GetFileName(path).StartsWith("._", StringComparison.Ordinal);

    /// <summary>True when the bytes open like an archive of any format read here.</summary>
    public static bool IsArchive(ReadOnlySpan<byte> content) =>
        ZipArticleParser.IsZip(content) || TarArticleParser.IsTar(content) || GzipLayer.IsGzip(content);
}

/// <summary>
/// What an archive's files gave, gathered alike for every format: each file's articles named after it, its problems
/// kept, a file that cannot be unpacked or read failing alone while the rest go on.
/// </summary>
internal sealed class ArchiveEntries(string fileName, List<string> skipped, List<FailedEntry> failedEntries)
{
    private readonly List<ParsedArticle> _articles = [];
    private int _failed;

    /// <summary>Unpacks one file and reads it; a failure is recorded against it, never thrown.</summary>
    public void Read(string entryName, Func<byte[]> unpack, Func<string, byte[], ParseResult> parseEntry)
    {
        try
        {
            var result = parseEntry(entryName, unpack());
            _articles.AddRange(result.Articles.Select(a => a.FileName is null ? a with { FileName = entryName } : a));
            // Rows that only link to their page (an export of story links packed with others), when the reader collects them.
            if (skipped is SkippedItems { PagesToFetch: { } pages })
            {
                pages.AddRange(result.Pages.Select(p => p.FileName is null ? p with { FileName = entryName } : p));
            }
            skipped.AddRange(result.Skipped);
            failedEntries.AddRange(result.FailedEntries);
        }
        catch (ArticleParseException ex)
        {
            _failed++;
            failedEntries.Add(new FailedEntry(entryName, ex.Message));
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or OperationCanceledException))
        {
            // Encrypted, truncated or oddly compressed entries fail alone; the archive's other files go on.
            _failed++;
            failedEntries.Add(new FailedEntry(entryName, $"{entryName}: the entry cannot be unpacked ({ex.Message})"));
        }
    }

    /// <summary>The articles of all <paramref name="files"/>; throws naming the first reasons when there is none.</summary>
    public IReadOnlyList<ParsedArticle> Articles(int files)
    {
        if (_articles.Count == 0 && !SkippedItems.HasPages(skipped))
        {
            var reasons = string.Join("; ", failedEntries.Take(3).Select(f => f.Reason));
            throw new ArticleParseException(_failed > 0
                ? $"{fileName}: none of the archive's {files} files could be read: {reasons}"
                : $"{fileName}: the archive's {files} files hold no articles");
        }
        return _articles;
    }
}
