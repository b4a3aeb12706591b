using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Ganss.Xss;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// Turns the HTML that feeds, JSON exports and e-mails put in titles and summaries into plain text: sanitised
/// first (HtmlSanitizer drops scripts, styles and anything active, whose text must not become article text),
/// then read paragraph by paragraph with entities decoded.
/// </summary>
public static partial class HtmlText
{
    // The sanitiser's configuration is not changed after this point, so one instance serves every thread.
    private static readonly HtmlSanitizer Sanitizer = new();

    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "table",
        "section", "article", "header", "footer", "figure", "figcaption", "dd", "dt", "hr",
    };

    /// <summary>Plain text with paragraphs separated by blank lines; empty when nothing readable is left.</summary>
    public static string ToPlainText(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return "";
        }
        if (!LooksLikeMarkup().IsMatch(html))
        {
            // Plain text may still carry entities (a feed's "AT&amp;amp;T" arrives here as "AT&amp;T").
            return PlainTextParser.Text(WebUtility.HtmlDecode(html));
        }
        using var document = Sanitizer.SanitizeDom(html, "");
        var text = new StringBuilder();
        Append(document.Body ?? (INode)document, text);
        return PlainTextParser.Text(text.ToString());
    }

    /// <summary>A one-line plain-text title: markup and entities removed, whitespace folded.</summary>
    public static string ToTitle(string? html) => Spaces().Replace(ToPlainText(html), " ").Trim();

    /// <summary>
    /// Walks the tree with its own stack rather than recursion: a hostile summary nested a hundred thousand
    /// elements deep must not overflow the thread's stack.
    /// </summary>
    private static void Append(INode root, StringBuilder text)
    {
        var pending = new Stack<(INode Node, bool Closing)>();
        pending.Push((root, false));
        while (pending.Count > 0)
        {
            var (node, closing) = pending.Pop();
            var block = node is IElement element && BlockElements.Contains(element.LocalName);
            if (closing)
            {
                text.Append(block ? "\n\n" : "");
                continue;
            }
            if (node is IText textNode)
            {
                text.Append(textNode.Data);
                continue;
            }
            if (node is not (IElement or IDocument))
            {
                continue;
            }
            if (block)
            {
                text.Append("\n\n");
            }
            pending.Push((node, true));
            for (var child = node.LastChild; child is not null; child = child.PreviousSibling)
            {
                pending.Push((child, false));
            }
        }
    }

    // A tag or a comment: anything else is plain text already (entities are decoded) and skips the HTML parser.
    [GeneratedRegex(@"<[A-Za-z/!]")]
    private static partial Regex LooksLikeMarkup();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
