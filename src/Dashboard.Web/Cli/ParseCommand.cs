using System.Text.Json;
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
                var bytes = File.ReadAllBytes(file);
                var result = ArticleParser.Read(file, bytes, pagesToFetch: true);
                foreach (var article in result.Articles)
                {
                    output.WriteLine(JsonSerializer.Serialize(new
                    {
                        file = article.FileName ?? file,
                        title = article.Title,
                        text = article.Text,
                        date = article.Date?.ToString("yyyy-MM-dd"),
                        url = article.Url,
                        source = article.Source,
                        author = article.Author,
                    }));
                }
                foreach (var page in result.Pages)
                {
                    output.WriteLine(JsonSerializer.Serialize(new
                    {
                        file = page.FileName ?? file,
                        title = page.Title,
                        text = page.Text,
                        date = page.Date?.ToString("yyyy-MM-dd"),
                        url = page.Url,
                        source = page.Source,
                        author = page.Author,
                        page_to_fetch = true,
                    }));
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
}
