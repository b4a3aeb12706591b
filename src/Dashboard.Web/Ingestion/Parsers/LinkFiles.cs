using System.Text;
using System.Text.RegularExpressions;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// The small files a desktop makes when a link is dragged out of a browser into a folder: a Windows Internet
/// Shortcut (<c>.url</c>), a macOS Web Location (<c>.webloc</c>, an XML property list) or a freedesktop link
/// (<c>.desktop</c> of type Link). They hold an address, not an article: the ways in fetch the page instead
/// (<see cref="Feeds.ArticleLinks"/>), and the parser refuses them with what to do. Also lists of links, one address
/// per line, whose pages the ways in queue for <see cref="Feeds.LinkFetcher"/>.
/// </summary>
public static partial class LinkFiles
{
    /// <summary>A link file is a few hundred bytes; anything much larger is something else.</summary>
    private const int MaxBytes = 16 * 1024;

    /// <summary>The http(s) address the link file holds, when the bytes are one.</summary>
    public static bool TryRead(ReadOnlySpan<byte> content, out Uri url)
    {
        url = null!;
        // Every small upload passes here: anything not opening with '[' or '<' is turned away before it is decoded.
        var start = content.StartsWith("\uFEFF"u8) ? content[3..] : content;
        start = start.TrimStart(" \t\r\n"u8);
        if (start.IsEmpty || content.Length > MaxBytes || start[0] is not ((byte)'[' or (byte)'<') || content.IndexOf((byte)0) >= 0)
        {
            return false;
        }
        var text = Encoding.UTF8.GetString(content).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var address = text.StartsWith("[InternetShortcut]", StringComparison.OrdinalIgnoreCase)
            ? IniUrl().Match(text) is { Success: true } ini ? ini.Groups[1].Value : null
            : text.StartsWith("[Desktop Entry]", StringComparison.Ordinal) && DesktopLink().IsMatch(text)
                ? IniUrl().Match(text) is { Success: true } desktop ? desktop.Groups[1].Value : null
                : (text.StartsWith("<?xml", StringComparison.Ordinal) || text.StartsWith("<!DOCTYPE plist", StringComparison.Ordinal) || text.StartsWith("<plist", StringComparison.Ordinal))
                    && PlistUrl().Match(text) is { Success: true } plist ? System.Net.WebUtility.HtmlDecode(plist.Groups[1].Value) : null;
        if (address is not null && Uri.TryCreate(address.Trim(), UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https")
        {
            url = parsed;
            return true;
        }
        return false;
    }

    /// <summary>A list of links is read up to this size; 10,000 addresses of 200 characters fit in it.</summary>
    private const int MaxListBytes = 4 * 1024 * 1024;

    /// <summary>
    /// The addresses of a list of links: a text file with one http(s) address per line, as a reading list, a
    /// spreadsheet's column of links or a search tool's export gives them (<c>wget -i</c>'s format). Blank lines and
    /// lines starting with <c>#</c> are passed over, and a first line naming the column (<c>url</c>, <c>link</c>,
    /// <c>address</c>) is allowed. Any other line, or text that is not UTF-8, makes it not a list: a story that
    /// mentions an address is an article.
    /// </summary>
    public static bool TryReadList(ReadOnlySpan<byte> content, out List<Uri> urls)
    {
        urls = [];
        var start = content.StartsWith("\uFEFF"u8) ? content[3..] : content;
        var trimmed = start.TrimStart(" \t\r\n"u8);
        // Every small upload passes here: anything not opening like an address, a comment or a column name is turned away before it is decoded.
        if (trimmed.IsEmpty || content.Length > MaxListBytes || content.IndexOf((byte)0) >= 0
            || !(trimmed.StartsWith("http"u8) || trimmed.StartsWith("HTTP"u8) || trimmed[0] is (byte)'#' or (byte)'"' or (byte)'u' or (byte)'U' or (byte)'l' or (byte)'L' or (byte)'a' or (byte)'A'))
        {
            return false;
        }
        // A first line of words (not a comment) is prose: turned away before the rest is decoded.
        var firstLine = trimmed[..(trimmed.IndexOf((byte)'\n') is var end and >= 0 ? end : trimmed.Length)].TrimEnd(" \t\r"u8);
        if (firstLine[0] != (byte)'#' && firstLine.IndexOfAny(" \t"u8) >= 0)
        {
            return false;
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(start);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        var first = true;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }
            var header = first && line.Trim("\"'").ToString().ToLowerInvariant() is "url" or "urls" or "link" or "links" or "address" or "addresses";
            first = false;
            if (header)
            {
                continue;
            }
            if (line.IndexOfAny(" \t\"'<>") >= 0 || !Uri.TryCreate(line.ToString(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0)
            {
                urls = [];
                return false;
            }
            urls.Add(url);
        }
        return urls.Count > 0;
    }

    /// <summary>
    /// True when a file too large to be taken as a list of links (over 4 MB) opens like one: its first 64 KB are
    /// addresses, one per line. It is refused with what to do rather than read as an article made of addresses.
    /// </summary>
    public static bool OpensLikeLongList(ReadOnlySpan<byte> content)
    {
        if (content.Length <= MaxListBytes)
        {
            return false;
        }
        var head = content[..(64 * 1024)];
        // Whole lines only: the last one is cut wherever 64 KB ends.
        var end = head.LastIndexOf((byte)'\n');
        return end > 0 && TryReadList(head[..end], out var urls) && urls.Count > 1;
    }

    [GeneratedRegex(@"^\s*URL\s*=\s*(\S+)\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex IniUrl();

    [GeneratedRegex(@"^\s*Type\s*=\s*Link\s*$", RegexOptions.Multiline)]
    private static partial Regex DesktopLink();

    [GeneratedRegex(@"<plist\b[^>]*>\s*<dict>\s*<key>\s*URL\s*</key>\s*<string>\s*([^<]+?)\s*</string>", RegexOptions.IgnoreCase)]
    private static partial Regex PlistUrl();
}
