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
    // The sanitiser's configuration is not changed after this point, so one instance serves every thread. An element it
    // does not know ("<Acme Corp> rose 5%" in a newswire's text) gives up its tag but keeps its text; one whose
    // content is code or hidden (scripts, styles) goes whole.
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    private static readonly HashSet<string> DroppedWithContent = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head", "title", "textarea", "select",
    };

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer { KeepChildNodes = true };
        sanitizer.RemovingTag += (_, e) =>
        {
            if (DroppedWithContent.Contains(e.Tag.LocalName))
            {
                e.Tag.Remove();
                e.Cancel = true;
            }
        };
        return sanitizer;
    }

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

    // An HTML element's tag, a comment, a doctype or CDATA: anything else is plain text already (entities are decoded) and
    // skips the HTML parser, angle brackets and all ("<America First Fund Two> said ...", a newswire's way of marking a
    // company, is text, not an element that would swallow the rest of the story).
    [GeneratedRegex(@"<(?:!--|!doctype|!\[CDATA\[|/?(?:a|abbr|address|area|article|aside|audio|b|base|bdi|bdo|big|blockquote|body|br|button|canvas|caption|center|cite|code|col|colgroup|data|datalist|dd|del|details|dfn|dialog|div|dl|dt|em|embed|fieldset|figcaption|figure|font|footer|form|h[1-6]|head|header|hgroup|hr|html|i|iframe|img|input|ins|kbd|label|legend|li|link|main|map|mark|math|menu|meta|meter|nav|noscript|object|ol|optgroup|option|output|p|param|picture|pre|progress|q|rp|rt|ruby|s|samp|script|section|select|small|source|span|strike|strong|style|sub|summary|sup|svg|table|tbody|td|template|textarea|tfoot|th|thead|time|title|tr|track|tt|u|ul|var|video|wbr)(?=[\s/>]))", RegexOptions.IgnoreCase)]
    private static partial Regex LooksLikeMarkup();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
