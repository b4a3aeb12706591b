using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dashboard.Web.Extraction;
using Dashboard.Web.Model;

namespace Dashboard.Web.Cli;

/// <summary>The `extract` subcommand: JSON Lines articles in, one JSON line of mentions, focus and topics out per article.</summary>
public static class ExtractCommand
{
    public static Task<int> RunAsync(TextReader input, TextWriter output, TextWriter error) =>
        RunAsync(input, output, error, new ArticleExtractor());

    public static async Task<int> RunAsync(TextReader input, TextWriter output, TextWriter error, ArticleExtractor extractor)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(extractor);
        var failed = 0;
        var lineNumber = 0;
        var buffer = new ArrayBufferWriter<byte>();
        while (await input.ReadLineAsync() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                if (!TryExtract(line, lineNumber, extractor, writer, out var problem))
                {
                    failed++;
                    await error.WriteLineAsync($"line {lineNumber}: {problem}");
                }
            }
            await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
        await output.FlushAsync();
        return failed == 0 ? 0 : 1;
    }

    private static bool TryExtract(string line, int lineNumber, ArticleExtractor extractor, Utf8JsonWriter writer, out string? problem)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            problem = $"not valid JSON: {e.Message}";
            WriteError(writer, default, lineNumber, problem);
            return false;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "the line is not a JSON object";
                WriteError(writer, default, lineNumber, problem);
                return false;
            }
            var id = root.TryGetProperty("id", out var idElement) ? idElement : default;
            problem = Validate(root, out var title, out var text, out var date);
            if (problem is not null)
            {
                WriteError(writer, id, lineNumber, problem);
                return false;
            }
            var result = extractor.Extract(title, text!, date);
            WriteResult(writer, id, result);
            return true;
        }
    }

    private static string? Validate(JsonElement root, out string? title, out string? text, out DateOnly? date)
    {
        title = null;
        text = null;
        date = null;
        if (!root.TryGetProperty("text", out var textElement) || textElement.ValueKind != JsonValueKind.String)
        {
            return textElement.ValueKind == JsonValueKind.Undefined ? "missing \"text\"" : "\"text\" is not a string";
        }
        text = textElement.GetString();
        if (root.TryGetProperty("title", out var titleElement) && titleElement.ValueKind != JsonValueKind.Null)
        {
            if (titleElement.ValueKind != JsonValueKind.String)
            {
                return "\"title\" is not a string";
            }
            title = titleElement.GetString();
        }
        if (root.TryGetProperty("date", out var dateElement) && dateElement.ValueKind != JsonValueKind.Null)
        {
            if (dateElement.ValueKind != JsonValueKind.String || !IsDate(dateElement.GetString()!))
            {
                return "\"date\" is not a date (YYYY-MM-DD)";
            }
            // Dates the article: an archive's lone surnames are not today's people (ArticleExtractor.LexiconEra).
            date = DateOnly.ParseExact(dateElement.GetString()!.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        return null;
    }

    // A plain date, or an ISO 8601 date-time whose first ten characters are that date.
    private static bool IsDate(string value) =>
        value.Length >= 10
        && DateOnly.TryParseExact(value.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
        && (value.Length == 10 || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _));

    private static void WriteError(Utf8JsonWriter writer, JsonElement id, int lineNumber, string problem)
    {
        writer.WriteStartObject();
        WriteId(writer, id);
        writer.WriteNumber("line", lineNumber);
        writer.WriteString("error", problem);
        writer.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter writer, JsonElement id, ExtractionResult result)
    {
        writer.WriteStartObject();
        WriteId(writer, id);
        writer.WriteStartArray("mentions");
        foreach (var m in result.Mentions)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", KindName(m.Kind));
            writer.WriteString("key", m.Key);
            writer.WriteString("name", m.Name);
            writer.WriteNumber("start", m.Start);
            writer.WriteNumber("end", m.End);
            writer.WriteString("via", m.Via);
            if (m.Field != "text")
            {
                writer.WriteString("field", m.Field);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("focus");
        foreach (var code in result.Focus)
        {
            writer.WriteStringValue(code);
        }
        writer.WriteEndArray();
        writer.WriteStartArray("topics");
        foreach (var t in result.Topics)
        {
            writer.WriteStartObject();
            writer.WriteString("key", t.Key);
            writer.WriteString("name", t.Name);
            writer.WriteNumber("score", t.Score);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteId(Utf8JsonWriter writer, JsonElement id)
    {
        writer.WritePropertyName("id");
        if (id.ValueKind == JsonValueKind.Undefined)
        {
            writer.WriteNullValue();
        }
        else
        {
            id.WriteTo(writer);
        }
    }

    /// <summary>The lower-case kind name used on the command line and in the API.</summary>
    public static string KindName(EntityKind kind) => kind switch
    {
        EntityKind.Country => "country",
        EntityKind.Person => "person",
        EntityKind.Organization => "organization",
        _ => "topic",
    };
}
