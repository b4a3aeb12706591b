using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Dashboard.Tests.Cli;

/// <summary>The <c>import</c> subcommand as a user runs it: the real executable, real files, a real database file.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dashboard-import-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner.
        }
    }

    [Fact]
    public async Task Prints_a_line_per_file_and_a_summary_and_exits_1_when_a_file_failed()
    {
        var bad = Path.Combine(_folder, "bad-date.txt");
        await File.WriteAllTextAsync(bad, "date 2024-02-30 Iran and Algeria held talks.");
        var missing = Path.Combine(_folder, "missing.txt");

        var (exit, output) = await RunAsync("import", TestPaths.SeedArticle, TestPaths.SeedArticle, bad, missing);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("stored", lines[0]);
        Assert.Contains("000_c5daea6af1ae3222.txt: article 1", lines[0]);
        Assert.StartsWith("duplicate", lines[1]);
        Assert.Contains("duplicate of article 1", lines[1]);
        Assert.StartsWith("failed", lines[2]);
        Assert.Contains("bad-date.txt", lines[2]);
        Assert.Contains("2024-02-30", lines[2]);
        Assert.StartsWith("failed", lines[3]);
        Assert.Contains("no such file", lines[3]);
        Assert.Equal("4 files: 1 stored, 1 duplicate, 2 failed", lines[4].Trim());
        Assert.Equal(1, exit);

        // The same database is what the web app would open: the article is there once.
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "news.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Articles";
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task An_import_larger_than_one_chunk_reports_every_file_once_in_the_order_given()
    {
        // Twelve files of 6 MB (under the 8 MB spooling limit) make two chunks of at most 64 MB: the second is queued
        // while the first is stored, and the report must still follow the argument order.
        var files = new List<string>();
        for (var n = 0; n < 12; n++)
        {
            var path = Path.Combine(_folder, $"big-{n:00}.txt");
            await using (var writer = new StreamWriter(path))
            {
                await writer.WriteLineAsync($"date 2024-06-{n + 1:00}");
                await writer.WriteLineAsync();
                for (var line = 0; writer.BaseStream.Position < 6_000_000; line++)
                {
                    await writer.WriteLineAsync($"Report {n} line {line}: ministers from Iran and Algeria met in Tehran to discuss Gaza and Rafah.");
                }
            }
            files.Add(path);
        }
        var missing = Path.Combine(_folder, "missing.txt");

        var (exit, output) = await RunAsync(["import", .. files, missing]);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(14, lines.Length);
        for (var n = 0; n < 12; n++)
        {
            Assert.StartsWith("stored", lines[n]);
            Assert.Contains($"big-{n:00}.txt: article {n + 1}", lines[n]);
        }
        Assert.StartsWith("failed", lines[12]);
        Assert.Contains("missing.txt: no such file", lines[12]);
        Assert.Equal("13 files: 12 stored, 0 duplicate, 1 failed", lines[13].Trim());
        Assert.Equal(1, exit);
    }

    [Fact]
    public async Task Many_small_files_go_through_a_spool_segment_each_reported_and_none_left_in_the_spool()
    {
        // Forty files in one chunk: their bytes wait in one spool segment (SpoolSegmentTests), which goes once they are stored.
        var files = new List<string>();
        for (var n = 0; n < 40; n++)
        {
            var path = Path.Combine(_folder, $"report-{n:00}.txt");
            await File.WriteAllTextAsync(path, n == 17
                ? "date 2024-02-30\n\nIran and Algeria held talks."
                : $"date 2024-06-{1 + n % 28:00}\n\nTalks, round {n}\n\nIran and Algeria held talks in Tehran, round {n}, on Gaza and Rafah.");
            files.Add(path);
        }

        var (exit, output) = await RunAsync(["import", .. files]);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(41, lines.Length);
        for (var n = 0; n < 40; n++)
        {
            Assert.StartsWith(n == 17 ? "failed" : "stored", lines[n]);
            Assert.Contains($"report-{n:00}.txt", lines[n]);
        }
        Assert.Contains("2024-02-30", lines[17]);
        Assert.Equal("40 files: 39 stored, 0 duplicate, 1 failed", lines[40].Trim());
        Assert.Equal(1, exit);
        var spool = Path.Combine(_folder, "spool");
        Assert.Empty(Directory.Exists(spool) ? Directory.GetFiles(spool, "*.segment") : []);
        // The failed file's bytes were kept for a retry, in the queue table.
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "news.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM UploadContents c JOIN Uploads u ON u.Id = c.UploadId WHERE u.FileName = 'report-17.txt'";
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_link_file_imports_the_page_it_points_to_and_a_dead_link_fails_with_the_reason()
    {
        var html = Feeds.TestPages.ChileAndPeru();
        await using var server = await Feeds.LocalWebServer.StartAsync(context => context.Request.Path.Value switch
        {
            "/gone" => Feeds.LocalWebServer.SendAsync(context, [], "text/plain", 404),
            "/busy" => Feeds.LocalWebServer.SendAsync(context, [], "text/plain", 503),
            _ => Feeds.LocalWebServer.SendAsync(context, html, "text/html"),
        });
        var story = Path.Combine(_folder, "story.url");
        var gone = Path.Combine(_folder, "gone.url");
        var busy = Path.Combine(_folder, "busy.url");
        await File.WriteAllTextAsync(story, $"[InternetShortcut]\r\nURL={server.Url("news/chile-peru")}\r\n");
        await File.WriteAllTextAsync(gone, $"[InternetShortcut]\r\nURL={server.Url("gone")}\r\n");
        await File.WriteAllTextAsync(busy, $"[InternetShortcut]\r\nURL={server.Url("busy")}\r\n");

        var (exit, output) = await RunAsync("import", story, TestPaths.SeedArticle, gone, busy);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("stored", lines[0]);
        Assert.Contains($"story.url: {server.Url("news/chile-peru")}: article", lines[0]);
        Assert.StartsWith("stored", lines[1]);
        Assert.StartsWith("failed", lines[2]);
        Assert.Contains("answered HTTP 404", lines[2]);
        // A site down for a moment: the link is kept for the dashboard to try again.
        Assert.StartsWith("fetching", lines[3]);
        Assert.Contains("answered HTTP 503 Service Unavailable; trying again at", lines[3]);
        Assert.EndsWith("(the dashboard tries again when it runs)", lines[3].Trim());
        Assert.Equal("4 files: 2 stored, 0 duplicate, 1 failed, 1 link to fetch again later", lines[4].Trim());
        Assert.Equal(1, exit);
    }

    [Fact]
    public async Task A_list_of_links_imports_each_page_and_reports_each_address()
    {
        await using var server = await Feeds.LocalWebServer.StartAsync(context => context.Request.Path.Value switch
        {
            "/news/chile-peru" => Feeds.LocalWebServer.SendAsync(context, Feeds.TestPages.ChileAndPeru(), "text/html"),
            "/news/ghana-togo" => Feeds.LocalWebServer.SendAsync(context, Feeds.TestPages.GhanaAndTogo(), "text/html"),
            _ => Feeds.LocalWebServer.SendAsync(context, [], "text/plain", 404),
        });
        var list = Path.Combine(_folder, "links.txt");
        await File.WriteAllTextAsync(list, $"{server.Url("news/chile-peru")}\n{server.Url("gone")}\n{server.Url("news/ghana-togo")}\n");

        var (exit, output) = await RunAsync("import", list);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith($"stored     {list}: {server.Url("news/chile-peru")}: article", lines[0]);
        Assert.StartsWith($"failed     {list}: {server.Url("gone")}: {server.Url("gone")}: the page answered HTTP 404", lines[1]);
        Assert.StartsWith($"stored     {list}: {server.Url("news/ghana-togo")}: article", lines[2]);
        Assert.Equal("1 files (3 links in lists): 2 stored, 0 duplicate, 1 failed", lines[3].Trim());
        Assert.Equal(1, exit);
    }

    [Fact]
    public async Task Exits_0_when_every_file_was_stored_and_reextract_reads_the_stored_articles_again()
    {
        var (exit, output) = await RunAsync("import", TestPaths.SeedArticle);

        Assert.Equal(0, exit);
        Assert.EndsWith("1 files: 1 stored, 0 duplicate, 0 failed", output.Trim());

        var (reextracted, said) = await RunAsync("reextract");
        Assert.Equal(0, reextracted);
        Assert.Equal("re-extracted 1 articles", said.Trim());
    }

    [Fact]
    public async Task A_relative_path_is_found_from_the_folder_the_command_was_typed_in_when_dotnet_run_starts_it_elsewhere()
    {
        // dotnet run --project starts the program in the project's folder; the shell's PWD names where the user typed it.
        var project = Directory.CreateDirectory(Path.Combine(_folder, "project")).FullName;
        await File.WriteAllTextAsync(Path.Combine(_folder, "talks.txt"), "date 2024-06-01\n\nThe foreign ministers of Chile and Peru met in Lima on Monday.");

        var (exit, output) = await RunInAsync(project, _folder, "import", "talks.txt", "missing.txt");

        Assert.Equal(1, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("stored", lines[0]);
        Assert.Contains("talks.txt", lines[0]);
        Assert.StartsWith("failed", lines[1]);
        Assert.Contains("missing.txt: no such file", lines[1]);
    }

    private Task<(int Exit, string Output)> RunAsync(params string[] args) => RunInAsync(_folder, null, args);

    private async Task<(int Exit, string Output)> RunInAsync(string workingDirectory, string? callerFolder, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["ConnectionStrings__Dashboard"] = $"Data Source={Path.Combine(_folder, "news.db")}";
        info.Environment["PWD"] = callerFolder ?? workingDirectory;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(string.IsNullOrWhiteSpace(await error) || process.ExitCode != 0, await error);
        return (process.ExitCode, await output);
    }
}
