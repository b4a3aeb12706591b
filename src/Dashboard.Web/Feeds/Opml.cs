using System.Xml;
using System.Xml.Linq;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Ingestion.Parsers;

namespace Dashboard.Web.Feeds;

/// <summary>One subscription as an OPML file lists it.</summary>
public sealed record OpmlOutline(string Url, string? Title);

/// <summary>
/// OPML, the list format every feed reader imports and exports: <c>&lt;outline xmlUrl="..." title="..."&gt;</c>,
/// folders being outlines that nest others. Read through <see cref="SafeXml"/>, so a DTD is refused unread.
/// </summary>
public static class Opml
{
    /// <summary>The feeds listed at any depth, in document order; throws <see cref="ArticleParseException"/> when the file is not OPML.</summary>
    public static IReadOnlyList<OpmlOutline> Read(string fileName, byte[] content)
    {
        var text = ArticleParser.DecodeText(fileName, content);
        var document = SafeXml.Load(fileName, content, text);
        if (document.Root is not { } root || !root.Name.LocalName.Equals("opml", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArticleParseException($"{fileName}: this is not an OPML file (its root element is <{document.Root?.Name.LocalName}>, not <opml>)");
        }
        var outlines = new List<OpmlOutline>();
        foreach (var outline in root.Descendants().Where(e => e.Name.LocalName.Equals("outline", StringComparison.OrdinalIgnoreCase)))
        {
            // Readers disagree on the letter case of xmlUrl; title falls back to text, as OPML 2.0 allows.
            var url = Attribute(outline, "xmlUrl");
            if (url is null)
            {
                continue;
            }
            outlines.Add(new OpmlOutline(url, Attribute(outline, "title") ?? Attribute(outline, "text")));
        }
        return outlines;
    }

    /// <summary>An OPML 2.0 document listing the feeds.</summary>
    public static string Write(IEnumerable<OpmlOutline> feeds, DateTimeOffset created)
    {
        var document = new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement("opml", new XAttribute("version", "2.0"),
                new XElement("head",
                    new XElement("title", "News Monitor feeds"),
                    new XElement("dateCreated", created.ToString("r"))),
                new XElement("body", feeds.Select(f => new XElement("outline",
                    new XAttribute("type", "rss"),
                    new XAttribute("text", f.Title ?? f.Url),
                    new XAttribute("title", f.Title ?? f.Url),
                    new XAttribute("xmlUrl", f.Url))))));
        using var writer = new Utf8StringWriter();
        using (var xml = XmlWriter.Create(writer, new XmlWriterSettings { Indent = true }))
        {
            document.Save(xml);
        }
        return writer.ToString();
    }

    private static string? Attribute(XElement element, string name) =>
        element.Attributes().FirstOrDefault(a => a.Name.LocalName.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value.Trim() is { Length: > 0 } value ? value : null;

    /// <summary>Declares utf-8 in the XML header (a plain StringWriter would say utf-16).</summary>
    private sealed class Utf8StringWriter : StringWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
    }
}
