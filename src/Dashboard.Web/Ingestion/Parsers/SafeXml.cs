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
                // Feeds often use a prefix (media:, dc:) they forgot to declare; declaring it is all they need.
                if (DeclareMissingPrefixes(cleaned) is { } declared)
                {
                    try
                    {
                        return LoadText(declared, settings);
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
}
