using System.Text;
using System.Text.RegularExpressions;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// The small files a desktop makes when a link is dragged out of a browser into a folder: a Windows Internet
/// Shortcut (<c>.url</c>), a macOS Web Location (<c>.webloc</c>, an XML property list) or a freedesktop link
/// (<c>.desktop</c> of type Link). They hold an address, not an article: the ways in fetch the page instead
/// (<see cref="Feeds.ArticleLinks"/>), and the parser refuses them with what to do.
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

    [GeneratedRegex(@"^\s*URL\s*=\s*(\S+)\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex IniUrl();

    [GeneratedRegex(@"^\s*Type\s*=\s*Link\s*$", RegexOptions.Multiline)]
    private static partial Regex DesktopLink();

    [GeneratedRegex(@"<plist\b[^>]*>\s*<dict>\s*<key>\s*URL\s*</key>\s*<string>\s*([^<]+?)\s*</string>", RegexOptions.IgnoreCase)]
    private static partial Regex PlistUrl();
}
