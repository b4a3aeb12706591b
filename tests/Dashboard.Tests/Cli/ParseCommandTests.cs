using System.Text.Json;
using Dashboard.Web.Cli;

namespace Dashboard.Tests.Cli;

/// <summary>The <c>parse</c> subcommand on real files: what an upload of each file would yield, one JSON line per item.</summary>
public sealed class ParseCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dashboard-parse-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Exit, List<JsonElement> Lines, string Error) Run(params string[] files)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = ParseCommand.Run(files, output, error);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        return (exit, lines, error.ToString());
    }

    [Fact]
    public void The_seed_gives_one_article_with_its_date_and_exits_0()
    {
        var (exit, lines, _) = Run(TestPaths.SeedArticle);

        Assert.Equal(0, exit);
        var article = Assert.Single(lines);
        Assert.Equal("2024-06-01", article.GetProperty("date").GetString());
        Assert.Contains("Algeria", article.GetProperty("text").GetString());
        Assert.False(article.TryGetProperty("page_to_fetch", out _));
    }

    [Fact]
    public void A_story_list_of_links_gives_the_pages_an_upload_would_fetch_with_their_rows_fields_and_exits_0()
    {
        var list = Path.Combine(_folder, "stories.csv");
        File.WriteAllText(list, "stories_id,publish_date,title,url,language,ap_syndicated,themes,media_id,media_name,media_url\n"
            + "1,2024-06-01 10:00:00,Talks resume,https://e.org/1,en,False,,7,Wire,https://e.org\n"
            + "2,2024-06-02 11:00:00,Talks end,https://e.org/2,en,False,,7,Wire,https://e.org\n"
            + "3,2024-06-03 09:00:00,No link at all,,en,False,,7,Wire,https://e.org\n");

        var (exit, lines, error) = Run(list);

        // Until stop 20 this answered "none of the CSV rows is an article with text", while an upload of the same file queued both pages.
        Assert.Equal(0, exit);
        Assert.Equal(["https://e.org/1", "https://e.org/2"], lines.Select(l => l.GetProperty("url").GetString()));
        Assert.Equal(["Talks resume", "Talks end"], lines.Select(l => l.GetProperty("title").GetString()));
        Assert.Equal(["2024-06-01", "2024-06-02"], lines.Select(l => l.GetProperty("date").GetString()));
        Assert.All(lines, l => Assert.Equal(("Wire", "", true, list),
            (l.GetProperty("source").GetString(), l.GetProperty("text").GetString(), l.GetProperty("page_to_fetch").GetBoolean(), l.GetProperty("file").GetString())));
        // The row an upload cannot fetch either is named on standard error.
        Assert.Contains("row 4 (\"No link at all\") has no text", error);
    }

    [Fact]
    public void Items_with_text_stay_articles_beside_the_links_of_the_same_file()
    {
        var json = Path.Combine(_folder, "stories.json");
        File.WriteAllText(json, """
            [{"title": "Talks resume", "url": "https://e.org/1", "publish_date": "2024-06-01T10:00:00Z"},
             {"title": "Talks end", "text": "The foreign ministers of Chile and Peru ended their talks in Lima.", "url": "https://e.org/2", "date": "2024-06-02"}]
            """);

        var (exit, lines, _) = Run(json);

        Assert.Equal(0, exit);
        Assert.Equal(2, lines.Count);
        var article = Assert.Single(lines, l => !l.TryGetProperty("page_to_fetch", out _));
        Assert.Equal("Talks end", article.GetProperty("title").GetString());
        var page = Assert.Single(lines, l => l.TryGetProperty("page_to_fetch", out _));
        Assert.Equal("https://e.org/1", page.GetProperty("url").GetString());
    }

    [Fact]
    public void A_relative_path_missing_from_the_current_folder_is_looked_for_in_the_callers_and_nowhere_else()
    {
        File.WriteAllText(Path.Combine(_folder, "story.txt"), "date 2024-06-01\n\nTalks in Lima.");
        var elsewhere = Directory.CreateTempSubdirectory("dashboard-caller-").FullName;
        try
        {
            Assert.Equal(Path.Combine(_folder, "story.txt"), CommandPaths.Resolve("story.txt", _folder));
            Assert.Equal(Path.Combine(_folder, "story.txt"), CommandPaths.Resolve(Path.Combine(_folder, "story.txt"), elsewhere));
            // Not in the caller's folder either, or no caller's folder known: the path as given, for the error to name.
            Assert.Equal("story.txt", CommandPaths.Resolve("story.txt", elsewhere));
            Assert.Equal("story.txt", CommandPaths.Resolve("story.txt", null));
            Assert.Equal("story.txt", CommandPaths.Resolve("story.txt", "relative/folder"));
        }
        finally
        {
            Directory.Delete(elsewhere);
        }
    }

    [Fact]
    public void A_file_with_neither_text_nor_links_is_an_error_line_naming_it_and_exits_1()
    {
        var empty = Path.Combine(_folder, "empty.txt");
        File.WriteAllText(empty, "");
        var titles = Path.Combine(_folder, "titles.csv");
        File.WriteAllText(titles, "title,date\nTalks resume,2024-06-01\n");

        var (exit, lines, _) = Run(TestPaths.SeedArticle, empty, titles);

        Assert.Equal(1, exit);
        Assert.Equal(3, lines.Count);
        Assert.Equal(empty, lines[1].GetProperty("file").GetString());
        Assert.Contains("empty.txt", lines[1].GetProperty("error").GetString());
        Assert.Contains("titles.csv: none of the CSV rows is an article with text", lines[2].GetProperty("error").GetString());
    }
}
