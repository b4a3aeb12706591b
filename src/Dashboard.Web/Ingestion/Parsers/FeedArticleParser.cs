using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CodeHollow.FeedReader;
using CodeHollow.FeedReader.Feeds;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>An RSS or Atom feed as read, before it becomes articles.</summary>
public sealed record FeedDocument(string Kind, string? Title, DateTimeOffset? Date, IReadOnlyList<FeedEntry> Entries);

/// <summary>One feed item as read: plain-text title and text, the item's link, dates with their offsets, authors.</summary>
public sealed record FeedEntry(
    string Title,
    string Text,
    string? Link,
    DateTimeOffset? Published,
    DateTimeOffset? Updated,
    IReadOnlyList<string> Authors,
    IReadOnlyList<string> Categories);

/// <summary>
/// RSS 0.9x, 1.0 (RDF), 2.0 and Atom (0.3 and 1.0) through CodeHollow.FeedReader (and Google News sitemaps, read
/// here), over an XML tree loaded by
/// <see cref="SafeXml"/> (the library's own loader would parse a DTD). The library's known gaps are filled from
/// the item's XML: <c>dc:creator</c> authors, Atom's <c>updated</c> when there is no <c>published</c>, dates
/// in every shape real feeds use (<see cref="NewsDate"/>), HTML titles and summaries turned to plain text.
/// </summary>
public static partial class FeedArticleParser
{
    public static IReadOnlyList<ParsedArticle> Parse(string fileName, XDocument document, List<string> skipped)
    {
        var feed = Read(fileName, document);
        if (feed.Entries.Count == 0)
        {
            throw new ArticleParseException($"{fileName}: the {feed.Kind} feed{(feed.Title is { } t ? $" \"{t}\"" : "")} has no items");
        }
        var articles = new List<ParsedArticle>();
        for (var i = 0; i < feed.Entries.Count; i++)
        {
            var entry = feed.Entries[i];
            // A headline-only item is still news: its title is its text.
            var text = entry.Text.Length > 0 ? entry.Text : entry.Title;
            if (text.Length == 0)
            {
                skipped.Add($"{fileName}: item {i + 1} has neither a title nor any text");
                continue;
            }
            var published = entry.Published ?? entry.Updated ?? feed.Date;
            articles.Add(new ParsedArticle(
                entry.Title.Length > 0 ? entry.Title : PlainTextParser.TitleFrom(text),
                text,
                NewsDate.UtcDay(published),
                Url: entry.Link,
                Source: feed.Title,
                Author: entry.Authors.Count > 0 ? string.Join(", ", entry.Authors) : null)
            {
                PublishedAt = published,
                Categories = entry.Categories,
                // The item had no date of its own: the feed's date stands in, and the store says so.
                DateIsFallback = entry.Published is null && entry.Updated is null && published is not null,
            });
        }
        if (articles.Count == 0)
        {
            throw new ArticleParseException($"{fileName}: none of the feed's {feed.Entries.Count} items has a title or text");
        }
        return articles;
    }

    /// <summary>The feed as read; throws <see cref="ArticleParseException"/> when the XML is not RSS or Atom.</summary>
    public static FeedDocument Read(string fileName, XDocument document)
    {
        var root = document.Root ?? throw new ArticleParseException($"{fileName}: the XML has no root element");
        if (root.Name.LocalName.Equals("urlset", StringComparison.OrdinalIgnoreCase))
        {
            return NewsSitemap(fileName, root);
        }
        var kind = root.Name.LocalName.ToLowerInvariant() switch
        {
            "rss" => "RSS " + (Attribute(root, "version") is { Length: > 0 } version ? version : "2.0"),
            "rdf" => "RSS 1.0",
            "feed" => "Atom " + (Attribute(root, "version") ?? "1.0"),
            "sitemapindex" => throw new ArticleParseException($"{fileName}: this is a sitemap index, a list of other sitemaps, not of stories: use the news sitemap it lists (often news-sitemap.xml)"),
            var other => throw new ArticleParseException($"{fileName}: this XML is not a news feed (its root element is <{other}>, not <rss>, <rdf:RDF>, <feed> or a news sitemap's <urlset>)"),
        };
        var feed = LibraryReading(root);
        var channel = Child(root, "channel") ?? root;
        var isAtom = root.Name.LocalName.Equals("feed", StringComparison.OrdinalIgnoreCase);
        var feedTitle = TextOf(Child(channel, "title"), isAtom) is { Length: > 0 } title ? title : HtmlText.ToTitle(feed?.Title);
        var feedDate = FirstDate(channel, "pubDate", "lastBuildDate", "date", "updated", "modified", "published");
        var feedAuthors = isAtom ? Persons(channel) : [];

        var itemElements = isAtom
            ? Children(root, "entry").ToList()
            // RSS 1.0 keeps its items beside the channel; RSS 2.0 inside it.
            : Children(channel, "item").Concat(channel == root ? [] : Children(root, "item")).ToList();
        var entries = new List<FeedEntry>(itemElements.Count);
        foreach (var (element, libraryItem) in Pair(itemElements, feed?.Items))
        {
            entries.Add(isAtom ? AtomEntry(element, libraryItem, feedAuthors) : RssEntry(element, libraryItem));
        }
        return new FeedDocument(kind, feedTitle.Length > 0 ? feedTitle : null, feedDate, entries);
    }

    /// <summary>
    /// A Google News sitemap (<c>&lt;urlset&gt;</c> with <c>&lt;news:news&gt;</c> entries), which many outlets publish for
    /// search engines when they no longer keep an RSS feed: each story's address, headline, publication time, outlet
    /// and keywords, without its text (the feed poller's "Fetch full article" gets the pages). A sitemap of plain
    /// pages, without news entries, lists no stories and is refused.
    /// </summary>
    private static FeedDocument NewsSitemap(string fileName, XElement root)
    {
        var urls = Children(root, "url").ToList();
        var entries = new List<FeedEntry>();
        string? outlet = null;
        foreach (var url in urls)
        {
            if (Child(url, "news") is not { } news)
            {
                continue;
            }
            outlet ??= Clean(Child(news, "publication") is { } publication ? Child(publication, "name")?.Value : null);
            var keywords = Child(news, "keywords")?.Value.Split(',').Select(k => k.Trim()).Where(k => k.Length > 0).ToList() ?? [];
            entries.Add(new FeedEntry(
                HtmlText.ToTitle(Child(news, "title")?.Value),
                "",
                Clean(Child(url, "loc")?.Value),
                FirstDate(news, "publication_date"),
                FirstDate(url, "lastmod"),
                [],
                keywords));
        }
        if (entries.Count == 0 && urls.Count > 0)
        {
            throw new ArticleParseException($"{fileName}: this sitemap lists {urls.Count:N0} pages but no news stories (no <news:news> entries): use the site's news sitemap or its feed");
        }
        return new FeedDocument("news sitemap", outlet, null, entries);
    }

    /// <summary>
    /// CodeHollow.FeedReader's reading of the feed, or null when the library trips over a feed it does not
    /// expect (RSS 1.0 without a channel, Atom without ids): the item's own XML is then read alone.
    /// </summary>
    private static Feed? LibraryReading(XElement root)
    {
        try
        {
            var channel = Child(root, "channel") ?? root;
            BaseFeed specific = root.Name.LocalName.ToLowerInvariant() switch
            {
                "rss" => Attribute(root, "version") switch
                {
                    "0.91" => new Rss091Feed("", channel),
                    "0.92" => new Rss092Feed("", channel),
                    _ => new Rss20Feed("", channel),
                },
                "rdf" => new Rss10Feed("", channel),
                _ => new AtomFeed("", root),
            };
            return specific.ToFeed();
        }
        catch (Exception ex) when (ex is NullReferenceException or ArgumentException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static FeedEntry RssEntry(XElement item, FeedItem? library)
    {
        var title = TextOf(Child(item, "title"), atom: false);
        var link = Clean(Child(item, "link")?.Value) ?? Clean(library?.Link);
        if (link is null && Child(item, "guid") is { } guid && Attribute(guid, "isPermaLink") != "false"
            && Uri.TryCreate(guid.Value.Trim(), UriKind.Absolute, out var permalink) && permalink.Scheme is "http" or "https")
        {
            link = permalink.ToString();
        }
        link ??= Attribute(item, "about");
        link = Resolve(item, link);
        var description = TextOf(Child(item, "description") ?? Child(item, "summary"), atom: false);
        var content = TextOf(Child(item, "encoded") ?? Child(item, "content"), atom: false);
        var authors = new List<string>();
        foreach (var author in Children(item, "author").Concat(Children(item, "creator")))
        {
            // RSS 2.0 writes "email (Name)"; an atom:author inside an RSS item has a <name>.
            var name = Child(author, "name") is { } atomName ? Clean(atomName.Value) : PersonName(author.Value);
            if (name is not null && !authors.Contains(name))
            {
                authors.Add(name);
            }
        }
        var categories = Children(item, "category").Concat(Children(item, "subject"))
            .Select(c => Clean(c.Value) ?? Clean(Attribute(c, "term")))
            .OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new FeedEntry(
            title,
            content.Length > description.Length ? content : description,
            link,
            FirstDate(item, "pubDate", "date", "published", "issued"),
            FirstDate(item, "updated", "modified", "date"),
            authors,
            categories);
    }

    private static FeedEntry AtomEntry(XElement entry, FeedItem? library, IReadOnlyList<string> feedAuthors)
    {
        var title = TextOf(Child(entry, "title"), atom: true);
        var summary = TextOf(Child(entry, "summary"), atom: true);
        var content = TextOf(Child(entry, "content"), atom: true);
        var links = Children(entry, "link").ToList();
        var alternate = links.FirstOrDefault(l => (Attribute(l, "rel") ?? "alternate") == "alternate" && Attribute(l, "type") is null or "text/html" or "application/xhtml+xml")
            ?? links.FirstOrDefault(l => (Attribute(l, "rel") ?? "alternate") == "alternate")
            ?? links.FirstOrDefault(l => Attribute(l, "rel") is not ("enclosure" or "self" or "edit" or "replies"));
        var link = Clean(alternate is null ? null : Attribute(alternate, "href"));
        link ??= library?.Link is { } href && Uri.IsWellFormedUriString(href, UriKind.Absolute) ? href : null;
        link = Resolve(alternate ?? entry, link);
        var authors = Persons(entry);
        var categories = Children(entry, "category")
            .Select(c => Clean(Attribute(c, "label")) ?? Clean(Attribute(c, "term")) ?? Clean(c.Value))
            .OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new FeedEntry(
            title,
            content.Length > summary.Length ? content : summary,
            link,
            // Atom 0.3 called them issued and modified; an entry with neither published nor issued falls back to updated.
            FirstDate(entry, "published", "issued", "created"),
            FirstDate(entry, "updated", "modified"),
            authors.Count > 0 ? authors : feedAuthors,
            categories);
    }

    /// <summary>Atom authors (and dc:creator, which some Atom feeds use instead): names, else e-mail addresses.</summary>
    private static List<string> Persons(XElement parent)
    {
        var names = new List<string>();
        foreach (var person in Children(parent, "author").Concat(Children(parent, "creator")))
        {
            var name = Child(person, "name") is { } element ? Clean(element.Value)
                : Child(person, "email") is { } email ? Clean(email.Value)
                : person.HasElements ? null : PersonName(person.Value);
            if (name is not null && !names.Contains(name))
            {
                names.Add(name);
            }
        }
        return names;
    }

    /// <summary>"jane@example.org (Jane Doe)" and "Jane Doe &lt;jane@example.org&gt;" give the name; a bare address stays.</summary>
    private static string? PersonName(string value)
    {
        var raw = Clean(value);
        if (raw is null)
        {
            return null;
        }
        var match = AddressAndName().Match(raw);
        if (match.Success)
        {
            return Clean(HtmlText.ToTitle(match.Groups["name"].Value)) ?? Clean(match.Groups["email"].Value);
        }
        return Clean(HtmlText.ToTitle(raw));
    }

    /// <summary>
    /// The plain text of a title, summary or content element. Atom says how to read it (text, html, xhtml,
    /// or Atom 0.3's base64 mode); RSS does not, so its text is read as HTML, which also decodes entities.
    /// </summary>
    private static string TextOf(XElement? element, bool atom)
    {
        if (element is null)
        {
            return "";
        }
        var type = (Attribute(element, "type") ?? "").ToLowerInvariant();
        var value = element.Value;
        // Atom 0.3 says mode="base64"; Atom 1.0 base64-encodes any type that is neither text nor XML.
        if (Attribute(element, "mode") == "base64"
            || (atom && type.Contains('/') && !type.StartsWith("text/", StringComparison.Ordinal) && !type.EndsWith("xml", StringComparison.Ordinal)))
        {
            try
            {
                value = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(value.Trim()));
            }
            catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
            {
                // Not base64 text after all (a custom type holding plain words): the words are the value.
            }
        }
        if (type is "xhtml" or "application/xhtml+xml" || (element.HasElements && type is "" or "html" or "text/html"))
        {
            // Inline markup: the child nodes are the HTML itself, not escaped text.
            value = string.Concat(element.Nodes().Select(n => n.ToString(SaveOptions.DisableFormatting)));
        }
        var isTitle = element.Name.LocalName == "title";
        if (atom && type is "text" or "text/plain")
        {
            var plain = PlainTextParser.Text(value);
            return isTitle ? Whitespace().Replace(plain, " ").Trim() : plain;
        }
        return isTitle ? HtmlText.ToTitle(value) : HtmlText.ToPlainText(value);
    }

    /// <summary>A relative link made absolute against the xml:base attributes in force where it stands.</summary>
    private static string? Resolve(XElement at, string? link)
    {
        if (link is null || Uri.TryCreate(link, UriKind.Absolute, out _))
        {
            return link;
        }
        Uri? baseUri = null;
        foreach (var element in at.AncestorsAndSelf().Reverse())
        {
            if (element.Attribute(XNamespace.Xml + "base")?.Value is { Length: > 0 } value
                && (baseUri is null ? Uri.TryCreate(value, UriKind.Absolute, out var absolute) : Uri.TryCreate(baseUri, value, out absolute)))
            {
                baseUri = absolute;
            }
        }
        return baseUri is not null && Uri.TryCreate(baseUri, link, out var resolved) ? resolved.ToString() : link;
    }

    private static DateTimeOffset? FirstDate(XElement parent, params string[] names)
    {
        foreach (var name in names)
        {
            foreach (var element in Children(parent, name))
            {
                if (NewsDate.Parse(element.Value) is { } date)
                {
                    return date;
                }
            }
        }
        return null;
    }

    /// <summary>Pairs each item element with the library's reading of it (the library may skip malformed items).</summary>
    private static IEnumerable<(XElement Element, FeedItem? Library)> Pair(List<XElement> elements, ICollection<FeedItem>? items)
    {
        var byElement = (items ?? []).Where(i => i.SpecificItem?.Element is not null)
            .GroupBy(i => i.SpecificItem.Element).ToDictionary(g => g.Key, g => g.First());
        return elements.Select(e => (e, byElement.GetValueOrDefault(e)));
    }

    /// <summary>First child with this local name, in the parent's own namespace first, then in any namespace.</summary>
    private static XElement? Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName && e.Name.Namespace == parent.Name.Namespace)
        ?? parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static IEnumerable<XElement> Children(XElement parent, string localName) =>
        parent.Elements().Where(e => e.Name.LocalName == localName);

    private static string? Attribute(XElement element, string localName) =>
        element.Attributes().FirstOrDefault(a => a.Name.LocalName == localName)?.Value;

    private static string? Clean(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : Whitespace().Replace(value, " ").Trim();

    [GeneratedRegex(@"^(?:(?<email>[^\s()<>]+@[^\s()<>]+)\s*\((?<name>[^)]*)\)|(?<name>[^()]*?)\s*\((?<email>[^()\s]+@[^()\s]+)\)|(?<name>[^<>]*?)\s*<(?<email>[^<>]+@[^<>]+)>)$")]
    private static partial Regex AddressAndName();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
