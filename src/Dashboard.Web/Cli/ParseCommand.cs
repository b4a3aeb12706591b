using System.Text.Json;
using Dashboard.Web.Ingestion;

namespace Dashboard.Web.Cli;

/// <summary><c>parse FILES...</c>: the articles each file would yield, as JSON Lines, without storing anything.</summary>
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
                foreach (var article in ArticleParser.Parse(file, bytes))
                {
                    output.WriteLine(JsonSerializer.Serialize(new
                    {
                        file,
                        title = article.Title,
                        text = article.Text,
                        date = article.Date?.ToString("yyyy-MM-dd"),
                        url = article.Url,
                        source = article.Source,
                        author = article.Author,
                    }));
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
