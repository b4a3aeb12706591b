using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Dashboard.Web.Model;

/// <summary>
/// How a mention's spans are stored: grouped by field and way of recognition, offsets as start+length, e.g.
/// <c>text/capital:13+12,795+12;title/capital:13+12</c>. A mention row is written for every entity of every
/// article, and the JSON this replaced was four fifths of the row (142 bytes on average against 25): the store
/// and its write-ahead log grew by that much on every import. Rows written as JSON before still read.
/// </summary>
public static class MentionSpans
{
    /// <summary>The order spans are kept in: by field, then by position.</summary>
    public static List<MentionSpan> Sorted(IEnumerable<MentionSpan> spans)
    {
        var sorted = spans.ToList();
        sorted.Sort(Compare);
        return sorted;
    }

    private static int Compare(MentionSpan a, MentionSpan b)
    {
        var order = string.CompareOrdinal(a.Field, b.Field);
        if (order == 0)
        {
            order = a.Start.CompareTo(b.Start);
        }
        if (order == 0)
        {
            order = a.End.CompareTo(b.End);
        }
        return order != 0 ? order : string.CompareOrdinal(a.Via, b.Via);
    }

    /// <remarks>Runs for every entity of every article stored, so it avoids LINQ: a mention has a handful of spans.</remarks>
    public static string Encode(IEnumerable<MentionSpan> spans) => EncodeInPlace(spans.ToList());

    [ThreadStatic]
    private static StringBuilder? t_text;

    /// <summary>As <see cref="Encode"/>, sorting the caller's list instead of a copy (ingestion builds one per entity and article).</summary>
    public static string EncodeInPlace(List<MentionSpan> spans)
    {
        // One builder per thread, reused: ingestion encodes the spans of every entity of every article.
        var text = t_text ??= new StringBuilder();
        text.Clear();
        AppendInPlace(spans, text);
        return text.ToString();
    }

    /// <summary>As <see cref="EncodeInPlace"/>, appended to the caller's builder (ingestion keeps an article's rows' spans in one string).</summary>
    public static void AppendInPlace(List<MentionSpan> spans, StringBuilder text)
    {
        spans.Sort(Compare);
        var sorted = spans;
        foreach (var span in sorted)
        {
            if (!IsName(span.Field) || !IsName(span.Via))
            {
                // A field or a way of recognition with separators in it (none today): JSON keeps it exactly.
                text.Append(JsonSerializer.Serialize(sorted, JsonSerializerOptions.Web));
                return;
            }
        }
        var start = text.Length;
        Span<bool> written = sorted.Count <= 256 ? stackalloc bool[sorted.Count] : new bool[sorted.Count];
        // Groups in the order of their first span, each with its spans in order.
        for (var i = 0; i < sorted.Count; i++)
        {
            if (written[i])
            {
                continue;
            }
            if (text.Length > start)
            {
                text.Append(';');
            }
            text.Append(sorted[i].Field).Append('/').Append(sorted[i].Via).Append(':');
            for (var j = i; j < sorted.Count; j++)
            {
                if (!written[j] && sorted[j].Field == sorted[i].Field && sorted[j].Via == sorted[i].Via)
                {
                    written[j] = true;
                    if (j != i)
                    {
                        text.Append(',');
                    }
                    text.Append(sorted[j].Start).Append('+').Append(sorted[j].End - sorted[j].Start);
                }
            }
        }
    }

    /// <summary>Reads either form; anything unreadable gives no spans rather than a page that fails to open.</summary>
    public static List<MentionSpan> Decode(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return [];
        }
        if (stored[0] == '[')
        {
            try
            {
                return JsonSerializer.Deserialize<List<MentionSpan>>(stored, JsonSerializerOptions.Web) ?? [];
            }
            catch (JsonException)
            {
                return [];
            }
        }
        var spans = new List<MentionSpan>();
        foreach (var group in stored.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = group.IndexOf(':');
            var slash = group.IndexOf('/');
            if (colon < 0 || slash < 0 || slash > colon)
            {
                continue;
            }
            var field = group[..slash];
            var via = group[(slash + 1)..colon];
            foreach (var range in group[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var plus = range.IndexOf('+');
                if (plus > 0
                    && int.TryParse(range.AsSpan(0, plus), NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                    && int.TryParse(range.AsSpan(plus + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                {
                    spans.Add(new MentionSpan(start, start + length, field, via));
                }
            }
        }
        return Sorted(spans);
    }

    private static bool IsName(string value)
    {
        if (value.Length == 0)
        {
            return false;
        }
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }
        return true;
    }
}
