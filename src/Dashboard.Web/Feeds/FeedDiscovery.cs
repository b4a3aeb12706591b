using AngleSharp.Html.Parser;

namespace Dashboard.Web.Feeds;

/// <summary>A feed a web page names in its head: where it is and what the page calls it.</summary>
public sealed record DiscoveredFeed(string Url, string? Title);

/// <summary>
/// Finds the feeds a web page announces (<c>&lt;link rel="alternate" type="application/rss+xml" href="..."&gt;</c>),
/// so a user can subscribe with a site's address, as in any feed reader; failing that, the news sitemaps its
/// <c>robots.txt</c> lists. The page's own order is kept: sites list
/// their main feed first and the comment feeds after it.
/// </summary>
public static class FeedDiscovery
{
    /// <summary>
    /// The media types of the feed formats the parser reads (RSS 2.0 and 0.9x, RSS 1.0/RDF, Atom, JSON Feed). Plain
    /// <c>application/json</c> is not one: sites name their APIs with it (WordPress links every page to its REST API).
    /// </summary>
    private static readonly HashSet<string> FeedTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/x-atom+xml",
        "application/x-rss+xml",
        "application/feed+json",
    };

    /// <param name="page">The page's address after redirects: relative links resolve against it (or the page's <c>&lt;base href&gt;</c>).</param>
    public static IReadOnlyList<DiscoveredFeed> Find(Uri page, string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var baseUri = page;
        if (document.QuerySelector("base[href]")?.GetAttribute("href") is { } declared && Uri.TryCreate(page, declared.Trim(), out var resolved))
        {
            baseUri = resolved;
        }
        var found = new List<DiscoveredFeed>();
        foreach (var link in document.QuerySelectorAll("link[href][rel][type]"))
        {
            var rel = link.GetAttribute("rel")!.Split((char[])[' ', '\t', '\r', '\n', '\f'], StringSplitOptions.RemoveEmptyEntries);
            var type = link.GetAttribute("type")!.Split(';')[0].Trim();
            if (!rel.Contains("alternate", StringComparer.OrdinalIgnoreCase) || !FeedTypes.Contains(type)
                || !Uri.TryCreate(baseUri, link.GetAttribute("href")!.Trim(), out var url) || url.Scheme is not ("http" or "https"))
            {
                continue;
            }
            // Written as a typed subscription is (FeedSubscriptions), so the same feed found twice is one.
            var address = url.AbsoluteUri;
            if (!found.Exists(f => f.Url == address))
            {
                var title = link.GetAttribute("title")?.Trim();
                found.Add(new DiscoveredFeed(address, string.IsNullOrEmpty(title) ? null : title));
            }
        }
        return found;
    }

    /// <summary>
    /// The news sitemaps a site's <c>robots.txt</c> lists (<c>Sitemap: https://example.org/news-sitemap.xml</c>), for a
    /// site whose pages name no feed: only those whose address says "news", since a general sitemap lists pages, not
    /// stories. Relative addresses resolve against <paramref name="robots"/>; order is kept.
    /// </summary>
    public static IReadOnlyList<string> NewsSitemaps(Uri robots, string text)
    {
        var found = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var colon = line.IndexOf(':');
            if (colon < 0 || !line[..colon].Trim().Equals("sitemap", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (Uri.TryCreate(robots, line[(colon + 1)..].Trim(), out var url) && url.Scheme is "http" or "https"
                && url.AbsoluteUri.Contains("news", StringComparison.OrdinalIgnoreCase) && !found.Contains(url.AbsoluteUri))
            {
                found.Add(url.AbsoluteUri);
            }
        }
        return found;
    }
}
