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
