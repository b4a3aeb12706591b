using System.Text.Json;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// Exports from other tools as JSON or JSON Lines: one object, an array of objects, an object wrapping such an
/// array (<c>items</c>, <c>articles</c>, JSON Feed), or one object per line. Field names are matched leniently
/// (case, <c>_</c> and <c>-</c> ignored; common synonyms, shared with CSV columns: see <see cref="ArticleFields"/>);
/// unknown fields are ignored.
/// </summary>
public static class JsonArticleParser
{
    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 64,
    };

    private static readonly string[] ListFields = ["items", "articles", "entries", "data", "results", "posts", "stories", "documents", "news"];

    /// <summary>True when the text is JSON Lines rather than one JSON document: several lines, each a whole object.</summary>
    public static bool IsJsonLines(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Take(3).ToList();
        return lines.Count >= 2 && lines.All(l => l.StartsWith('{') && l.EndsWith('}'));
    }

    /// <summary>One line of a JSON Lines file read as a stream: its article, or null with the reason added to <paramref name="skipped"/>.</summary>
    public static ParsedArticle? ParseLine(string fileName, string line, int lineNumber, List<string> skipped)
    {
        var articles = new List<ParsedArticle>();
        try
        {
            using var document = JsonDocument.Parse(line, Options);
            Add(fileName, document.RootElement, $"line {lineNumber}", null, articles, skipped);
        }
        catch (JsonException ex)
        {
            skipped.Add($"{fileName}: line {lineNumber} is not valid JSON (position {ex.BytePositionInLine + 1}): {Reason(ex)}");
        }
        return articles.Count > 0 ? articles[0] : null;
    }

    /// <summary>
    /// One article as a JSON upload, in the fields this parser reads back: how an article read elsewhere (a page a
    /// feed item links to, a page someone sent the link of) goes through the queue like any file.
    /// </summary>
    public static byte[] ToUpload(ParsedArticle article) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        title = article.Title,
        text = article.Text,
        date = article.PublishedAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? article.Date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        date_is_fallback = article.DateIsFallback,
        url = article.Url,
        source = article.Source,
        author = article.Author,
        categories = article.Categories,
    });

    public static IReadOnlyList<ParsedArticle> Parse(string fileName, string text, List<string> skipped)
    {
        var articles = new List<ParsedArticle>();
        var items = 0;
        if (IsJsonLines(text))
        {
            var lineNumber = 0;
            foreach (var rawLine in text.Split('\n'))
            {
                lineNumber++;
                var line = rawLine.Trim();
                if (line.Length == 0)
                {
                    continue;
                }
                items++;
                try
                {
                    using var document = JsonDocument.Parse(line, Options);
                    Add(fileName, document.RootElement, $"line {lineNumber}", null, articles, skipped);
                }
                catch (JsonException ex)
                {
                    skipped.Add($"{fileName}: line {lineNumber} is not valid JSON (position {ex.BytePositionInLine + 1}): {Reason(ex)}");
                }
            }
        }
        else
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(text.TrimStart('\uFEFF'), Options);
            }
            catch (JsonException ex)
            {
                throw new ArticleParseException($"{fileName}: not valid JSON at line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}: {Reason(ex)}");
            }
            using (document)
            {
                var root = document.RootElement;
                var (list, wrapperSource) = ItemsOf(root);
                if (list is null)
                {
                    items = 1;
                    Add(fileName, root, "the object", null, articles, skipped);
                }
                else
                {
                    var index = 0;
                    foreach (var element in list.Value.EnumerateArray())
                    {
                        index++;
                        items++;
                        Add(fileName, element, $"item {index}", wrapperSource, articles, skipped);
                    }
                }
            }
        }
        if (articles.Count == 0 && !SkippedItems.HasPages(skipped))
        {
            var why = skipped.Count > 0 ? ": " + string.Join("; ", skipped.Take(3)) : "";
            throw new ArticleParseException(items == 0
                ? $"{fileName}: the JSON holds no articles (an empty list)"
                : $"{fileName}: none of the {items} JSON items is an article with text{why}");
        }
        return articles;
    }

    /// <summary>The array of articles and the wrapper's source name, or null when the root is one article.</summary>
    private static (JsonElement? List, string? Source) ItemsOf(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return (root, null);
        }
        if (root.ValueKind != JsonValueKind.Object || Field(root, ArticleFields.Text) is not null)
        {
            return (null, null);
        }
        if (Field(root, ListFields) is { ValueKind: JsonValueKind.Array } list)
        {
            // A JSON Feed's own title names its source; other wrappers may say "source".
            var source = Text(Field(root, ArticleFields.Source)) ?? Text(Field(root, ArticleFields.Title));
            return (list, source);
        }
        return (null, null);
    }

    private static void Add(string fileName, JsonElement item, string where, string? wrapperSource, List<ParsedArticle> articles, List<string> skipped)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            skipped.Add($"{fileName}: {where} is a JSON {item.ValueKind.ToString().ToLowerInvariant()}, not an object");
            return;
        }
        var values = new ArticleFields.Values(
            Text(Field(item, ArticleFields.Title)),
            ArticleFields.Text.Select(name => Text(Field(item, [name]))),
            DateOf(Field(item, ArticleFields.Date)),
            Text(Field(item, ArticleFields.Url)),
            Text(Field(item, ArticleFields.Source)) ?? wrapperSource,
            Names(Field(item, ArticleFields.Author)),
            Strings(Field(item, ArticleFields.Category)));
        if (ArticleFields.ToArticle(fileName, where, "field", values, skipped) is { } article)
        {
            // Our own export says when a date was borrowed (the upload's day, for an article that gave none): an
            // import keeps the day and the mark, rather than turning the guess into a stated date.
            articles.Add(article.Date is not null && Field(item, ["dateisfallback"]) is { ValueKind: JsonValueKind.True }
                ? article with { DateIsFallback = true }
                : article);
        }
    }

    private static JsonElement? Field(JsonElement item, string[] names)
    {
        foreach (var name in names)
        {
            foreach (var property in item.EnumerateObject())
            {
                if (ArticleFields.Normalise(property.Name) == name && property.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                {
                    return property.Value;
                }
            }
        }
        return null;
    }

    /// <summary>A string, a number, or an object's name/title/text (e.g. <c>"source": {"name": "Reuters"}</c>).</summary>
    private static string? Text(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.String } s => string.IsNullOrWhiteSpace(s.GetString()) ? null : s.GetString()!.Trim(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        { ValueKind: JsonValueKind.Object } o => Text(Field(o, ["name", "title", "text", "value", "href", "url"])),
        { ValueKind: JsonValueKind.Array } a when a.GetArrayLength() > 0 => Text(a[0]),
        _ => null,
    };

    private static string? Names(JsonElement? element)
    {
        var names = element is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Select(e => Text(e)).OfType<string>().ToList()
            : [.. new[] { Text(element) }.OfType<string>()];
        return names.Count > 0 ? string.Join(", ", names.Select(HtmlText.ToTitle)) : null;
    }

    private static List<string> Strings(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(e => Text(e)).OfType<string>().Distinct().ToList(),
        { ValueKind: JsonValueKind.String } s => ArticleFields.SplitList(s.GetString()),
        _ => [],
    };

    private static DateTimeOffset? DateOf(JsonElement? element)
    {
        if (element is { ValueKind: JsonValueKind.Number } number && number.TryGetInt64(out var epoch))
        {
            return ArticleFields.FromUnixTime(epoch);
        }
        return NewsDate.Parse(Text(element));
    }

    private static string Reason(JsonException error)
    {
        // System.Text.Json appends "LineNumber: 0 | BytePositionInLine: 5." which the caller already says better.
        var message = error.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}
