using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// Loads XML without ever reading a DTD: a document type declaration (the carrier of entity expansion
/// bombs and external entities such as <c>file:///etc/passwd</c>) is refused before anything is expanded.
/// </summary>
public static partial class SafeXml
{
    static SafeXml()
    {
        // Feeds declare windows-1251, koi8-r, iso-8859-2 and the like; .NET only knows them through this provider.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    private static readonly XmlReaderSettings Settings = NewSettings(DtdProcessing.Prohibit);

    // A bare reference to an external DTD (RSS 0.91's Netscape DOCTYPE) declares no entity in the document;
    // it is skipped unread, and with no resolver nothing is ever fetched.
    private static readonly XmlReaderSettings IgnoreExternalDtd = NewSettings(DtdProcessing.Ignore);

    private static XmlReaderSettings NewSettings(DtdProcessing dtd) => new()
    {
        DtdProcessing = dtd,
        XmlResolver = null,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        // Real feeds carry stray control characters (0x1C, 0x0B) that strict XML rejects; they are harmless here.
        CheckCharacters = false,
        CloseInput = true,
    };

    /// <summary>
    /// Reads the bytes with the encoding the document declares (or its byte-order mark); when the bytes do not
    /// match that declaration, reads <paramref name="decoded"/> (UTF-8 or Latin-1) instead.
    /// </summary>
    public static XDocument Load(string fileName, ReadOnlySpan<byte> content, string decoded)
    {
        var settings = Settings;
        if (DocumentType().Match(decoded) is { Success: true } doctype && doctype.Index < FirstElementIndex(decoded))
        {
            if (doctype.Groups["subset"].Success)
            {
                throw new ArticleParseException($"{fileName}: XML with a DTD (a <!DOCTYPE> declaring entities) is refused unread: DTDs can expand entities without bound or read local files, and feeds do not need them");
            }
            settings = IgnoreExternalDtd;
        }
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(content.ToArray(), writable: false), settings);
            return XDocument.Load(reader);
        }
        catch (Exception ex) when (ex is XmlException or ArgumentException or NotSupportedException or DecoderFallbackException)
        {
            // The second reading also drops the control characters XML forbids even with CheckCharacters off.
            var cleaned = ForbiddenControls().Replace(decoded.TrimStart('\uFEFF'), "");
            try
            {
                return LoadText(cleaned, settings);
            }
            catch (XmlException second)
            {
                // Repairs for what real feeds get wrong, alone and together: a prefix (media:, dc:) they forgot to declare, and
                // ampersands left bare or HTML's named entities ("Fish & Chips", "&nbsp;"), as lenient feed readers accept them.
                var repaired = RepairAmpersands(cleaned);
                foreach (var attempt in new[] { DeclareMissingPrefixes(cleaned), repaired, repaired is null ? null : DeclareMissingPrefixes(repaired) })
                {
                    if (attempt is null)
                    {
                        continue;
                    }
                    try
                    {
                        return LoadText(attempt, settings);
                    }
                    catch (XmlException)
                    {
                        // The first error is the one that explains the file.
                    }
                }
                throw new ArticleParseException($"{fileName}: not well-formed XML at line {second.LineNumber}, position {second.LinePosition}: {Reason(second)}");
            }
        }
    }

    private static XDocument LoadText(string text, XmlReaderSettings settings)
    {
        using var reader = XmlReader.Create(new StringReader(text), settings);
        return XDocument.Load(reader);
    }

    /// <summary>The text with a placeholder namespace declared on the root for every prefix used but never declared; null when none is missing.</summary>
    private static string? DeclareMissingPrefixes(string text)
    {
        var declared = DeclaredPrefix().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var missing = UsedPrefix().Matches(text).Select(m => m.Groups[1].Value)
            .Where(p => p != "xml" && p != "xmlns" && !declared.Contains(p)).Distinct().ToList();
        var root = FirstElement().Match(text);
        if (missing.Count == 0 || !root.Success)
        {
            return null;
        }
        var nameEnd = text.IndexOfAny([' ', '\t', '\r', '\n', '>', '/'], root.Index + 1);
        if (nameEnd < 0)
        {
            return null;
        }
        var declarations = string.Concat(missing.Select(p => $" xmlns:{p}=\"urn:undeclared:{p}\""));
        return text.Insert(nameEnd, declarations);
    }

    /// <summary>
    /// The text with each bare ampersand escaped ("Fish & Chips", "?page=1&copy=2") and each of HTML's named entities, which
    /// XML knows only from a DTD, written as the character it stands for ("&nbsp;", "&eacute;"); null when there is none.
    /// CDATA sections and comments are left as they are: an ampersand is literal there.
    /// </summary>
    private static string? RepairAmpersands(string text)
    {
        var changed = false;
        var result = new StringBuilder(text.Length + 64);
        var position = 0;
        foreach (Match literal in LiteralSection().Matches(text))
        {
            Repair(text.AsSpan(position, literal.Index - position));
            result.Append(literal.Value);
            position = literal.Index + literal.Length;
        }
        Repair(text.AsSpan(position));
        return changed ? result.ToString() : null;

        void Repair(ReadOnlySpan<char> markup)
        {
            var last = 0;
            foreach (var m in Ampersand().EnumerateMatches(markup))
            {
                result.Append(markup[last..m.Index]);
                last = m.Index + m.Length;
                var reference = markup.Slice(m.Index, m.Length);
                if (reference is "&amp;" or "&lt;" or "&gt;" or "&quot;" or "&apos;" || reference.StartsWith("&#"))
                {
                    result.Append(reference);
                    continue;
                }
                changed = true;
                var decoded = reference.Length > 1 ? System.Net.WebUtility.HtmlDecode(reference.ToString()) : null;
                if (decoded is not null && !decoded.AsSpan().SequenceEqual(reference))
                {
                    foreach (var rune in decoded.EnumerateRunes())
                    {
                        result.Append("&#").Append(rune.Value).Append(';');
                    }
                }
                else
                {
                    // Not an entity HTML knows either: the ampersand is text.
                    result.Append("&amp;").Append(reference[1..]);
                }
            }
            result.Append(markup[last..]);
        }
    }

    private static string Reason(XmlException error)
    {
        // XmlException repeats the line and position in its message; the caller already says them.
        var message = error.Message;
        var cut = message.IndexOf(" Line ", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }

    private static int FirstElementIndex(string text)
    {
        var match = FirstElement().Match(text);
        return match.Success ? match.Index : int.MaxValue;
    }

    // The DOCTYPE up to its end; "subset" is the internal subset in brackets, where entities are declared.
    [GeneratedRegex(@"<!DOCTYPE[^\[>]*(?<subset>\[)?", RegexOptions.IgnoreCase)]
    private static partial Regex DocumentType();

    [GeneratedRegex(@"xmlns:([A-Za-z_][\w.\-]*)\s*=")]
    private static partial Regex DeclaredPrefix();

    // A prefix on an element name (<media:content, </dc:creator) or an attribute name ( media:url=).
    [GeneratedRegex(@"(?:</?|\s)([A-Za-z_][\w.\-]*):[A-Za-z_][\w.\-]*(?=[\s/>=])")]
    private static partial Regex UsedPrefix();

    [GeneratedRegex(@"[\x00-\x08\x0B\x0C\x0E-\x1F]")]
    private static partial Regex ForbiddenControls();

    [GeneratedRegex(@"<[A-Za-z_]")]
    private static partial Regex FirstElement();

    // An ampersand with the reference it opens, if any: "&amp;", "&#233;", "&#xE9;", "&nbsp;", or a bare "&".
    [GeneratedRegex(@"&(?:#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]{0,31};)?")]
    private static partial Regex Ampersand();

    // Where an ampersand is literal text: CDATA sections and comments.
    [GeneratedRegex(@"<!\[CDATA\[.*?\]\]>|<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex LiteralSection();
}
