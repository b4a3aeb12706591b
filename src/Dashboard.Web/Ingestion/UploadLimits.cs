namespace Dashboard.Web.Ingestion;

/// <summary>The configurable size limits, read in one place so every way in applies the same ones.</summary>
public static class UploadLimits
{
    /// <summary>
    /// Largest file taken through the Upload page, the API, the inbox folder and <c>import</c>
    /// (<c>Dashboard:MaxUploadBytes</c>, 2 GiB by default): files over 8 MB are spooled to disk and read in
    /// parts, so a large limit costs disk, not memory.
    /// </summary>
    public static long MaxUploadBytes(IConfiguration configuration) => configuration.GetValue("Dashboard:MaxUploadBytes", 2L << 30);

    /// <summary>Largest feed, linked article page or OPML file (<c>Dashboard:MaxFeedBytes</c>, 50 MB): these are read into memory.</summary>
    public static long MaxFeedBytes(IConfiguration configuration) => configuration.GetValue("Dashboard:MaxFeedBytes", 50L << 20);
}
