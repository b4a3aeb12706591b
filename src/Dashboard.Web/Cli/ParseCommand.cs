using System.Text.Json;
using System.Text.Json.Serialization;
using Dashboard.Web.Ingestion;

namespace Dashboard.Web.Cli;

/// <summary>
/// <c>parse FILES...</c>: the articles each file would yield, as JSON Lines, without storing anything. One line
/// per article (a feed or an archive gives many; an archive's articles name their entry, "a.zip!b.txt"), one
/// error line per file or archive entry that fails; items left out inside a file are noted on standard error.
/// A file is read as an upload reads it: an item that only links to its story (a row of a Media Cloud story list, a
/// JSON item without text) is a line with <c>"page_to_fetch": true</c> and empty text, the page an upload of the file
/// would fetch for the text, instead of an error for a list of nothing else.
/// </summary>
public static class ParseCommand
{
    public static int Run(string[] files, TextWriter output, TextWriter error)
    {
        if (files.Length == 0)
        {
            error.WriteLine("usage: parse FILES...  (no files given)");
            return 2;
        }
        var failed = false;
        foreach (var file in files)
        {
            try
            {
                var bytes = File.ReadAllBytes(CommandPaths.Resolve(file));
                var result = ArticleParser.Read(file, bytes, pagesToFetch: true);
                foreach (var article in result.Articles)
                {
                    output.WriteLine(Line(article, file, pageToFetch: false));
                }
                foreach (var page in result.Pages)
                {
                    output.WriteLine(Line(page, file, pageToFetch: true));
                }
                foreach (var entry in result.FailedEntries)
                {
                    failed = true;
                    output.WriteLine(JsonSerializer.Serialize(new { file = entry.Entry, error = entry.Reason }));
                }
                foreach (var note in result.Skipped)
                {
                    error.WriteLine("skipped: " + note);
                }
            }
            catch (Exception ex) when (ex is ArticleParseException or IOException or UnauthorizedAccessException)
            {
                failed = true;
                var message = ex is ArticleParseException ? ex.Message : $"{file}: {ex.Message}";
                output.WriteLine(JsonSerializer.Serialize(new { file, error = message }));
            }
        }
        return failed ? 1 : 0;
    }

    /// <summary>One item as a JSON line; <c>page_to_fetch</c> only on an item that links to its story without its text.</summary>
    private static string Line(ParsedArticle article, string file, bool pageToFetch) => JsonSerializer.Serialize(new Item(
        article.FileName ?? file, article.Title, article.Text, article.Date?.ToString("yyyy-MM-dd"), article.Url, article.Source, article.Author,
        pageToFetch ? true : null));

    private sealed record Item(
        [property: JsonPropertyName("file")] string File,
        [property: JsonPropertyName("title")] string Title,
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("date")] string? Date,
        [property: JsonPropertyName("url")] string? Url,
        [property: JsonPropertyName("source")] string? Source,
        [property: JsonPropertyName("author")] string? Author,
        [property: JsonPropertyName("page_to_fetch"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? PageToFetch);
}
