using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Dashboard.Web.Model;
using Microsoft.Data.Sqlite;

namespace Dashboard.Tests.Ingestion;

/// <summary>
/// The real app in its own process, killed with SIGKILL during a 10,000-file import while its queue is still
/// full, then started again: every upload it acknowledged ends up stored exactly once.
/// </summary>
public sealed class KillAndRestartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dashboard-kill-").FullName;

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
    public async Task Every_acknowledged_upload_is_stored_exactly_once_after_kill_9_and_restart()
    {
        var database = Path.Combine(_folder, "dashboard.db");
        var acknowledged = new List<long>();
        // The figure: a 10,000-file import, sent as a client would, 500 files per request.
        const int files = 10_000;
        const int perRequest = 500;
        const int Parallel = 4;

        using (var app = await AppProcess.StartAsync(_folder, database))
        {
            // Four requests at a time, as a client with several connections sends: the uploads are acknowledged well
            // ahead of the worker, whatever else the machine is doing, so the kill finds the queue still full.
            for (var start = 0; start < files; start += perRequest * Parallel)
            {
                var requests = Enumerable.Range(0, Parallel).Select(r => start + r * perRequest).Where(first => first < files)
                    .Select(first => app.UploadAsync(Enumerable.Range(first, perRequest).Select(Article)));
                foreach (var ids in await Task.WhenAll(requests))
                {
                    acknowledged.AddRange(ids);
                }
            }
            // Killed right after the last request is acknowledged: the worker is mid-queue.
            app.Kill();
        }

        var queuedAtKill = await CountAsync(database, $"SELECT COUNT(*) FROM Uploads WHERE Status = {(int)UploadStatus.Queued}");
        Assert.Equal(files, acknowledged.Count);
        Assert.Equal(files, acknowledged.Distinct().Count());
        Assert.True(queuedAtKill > 0, "the kill came after the queue was drained; the test proves nothing");
        Assert.Equal(files, await CountAsync(database, "SELECT COUNT(*) FROM Uploads"));

        using (var app = await AppProcess.StartAsync(_folder, database))
        {
            await app.WaitUntilProcessedAsync(acknowledged.Max());
            // A sample through the API a user would ask; all of them through the store below.
            foreach (var id in acknowledged.Take(20).Concat(acknowledged.TakeLast(20)))
            {
                Assert.Equal("stored", await app.StatusAsync(id));
            }
        }

        Assert.Equal(files, await CountAsync(database, $"SELECT COUNT(*) FROM Uploads WHERE Status = {(int)UploadStatus.Stored} AND ArticleId IS NOT NULL"));
        Assert.Equal(files, await CountAsync(database, "SELECT COUNT(*) FROM Articles"));
        Assert.Equal(files, await CountAsync(database, "SELECT COUNT(DISTINCT ContentHash) FROM Articles"));
        // Each acknowledged upload points at its own article: none was stored twice or lost its row.
        Assert.Equal(files, await CountAsync(database, "SELECT COUNT(DISTINCT u.ArticleId) FROM Uploads u JOIN Articles a ON a.Id = u.ArticleId"));
        // The charts' counts hold every article exactly once, those whose counts the import held when it was killed included.
        Assert.Equal(0, await CountAsync(database, "SELECT COUNT(*) FROM UncountedArticles"));
        Assert.Equal(files, await CountAsync(database, "SELECT SUM(Articles) FROM ArticleDays"));
        Assert.Equal(await CountAsync(database, "SELECT COUNT(*) FROM Mentions"), await CountAsync(database, "SELECT SUM(Articles) FROM EntityDays"));
        Assert.Equal(0, await CountAsync(database,
            "SELECT COUNT(*) FROM (SELECT EntityId, PublishedDate, COUNT(*) AS Articles FROM Mentions GROUP BY EntityId, PublishedDate) m " +
            "LEFT JOIN EntityDays d ON d.EntityId = m.EntityId AND d.Day = m.PublishedDate WHERE d.Articles IS NOT m.Articles"));
    }

    private static (string Name, byte[] Bytes) Article(int i) =>
        ($"article-{i:D4}.txt", Encoding.UTF8.GetBytes(
            $"date 2024-06-{1 + i % 28:D2} Report number {i}: the foreign ministers of Iran and Algeria spoke about Gaza and Rafah.\n\n" +
            $"In paragraph two of report {i}, officials in Tehran and Algiers called on the United Nations to act."));

    private static async Task<long> CountAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The app started as a separate operating-system process, so it can really be killed.</summary>
    private sealed class AppProcess : IDisposable
    {
        private readonly Process _process;
        private readonly HttpClient _client;

        private AppProcess(Process process, Uri address)
        {
            _process = process;
            _client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        }

        public static async Task<AppProcess> StartAsync(string folder, string database)
        {
            var port = FreePort();
            var info = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(typeof(Program).Assembly.Location);
            info.ArgumentList.Add("--urls");
            info.ArgumentList.Add($"http://127.0.0.1:{port}");
            info.Environment["ConnectionStrings__Dashboard"] = $"Data Source={database}";
            info.Environment["Dashboard__ImportSample"] = "false";
            info.Environment["Logging__LogLevel__Default"] = "Warning";
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}"));
            await app.WaitUntilListeningAsync();
            return app;
        }

        public async Task<IReadOnlyList<long>> UploadAsync(IEnumerable<(string Name, byte[] Bytes)> files)
        {
            using var form = new MultipartFormDataContent();
            foreach (var (name, bytes) in files)
            {
                var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
                form.Add(content, "files", name);
            }
            var response = await _client.PostAsync("/api/uploads", form);
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();
        }

        public async Task<string> StatusAsync(long id)
        {
            using var json = JsonDocument.Parse(await _client.GetStringAsync($"/api/uploads/{id}"));
            return json.RootElement.GetProperty("status").GetString()!;
        }

        /// <summary>Polls the status API: the only view of a separate process's queue a test has.</summary>
        public async Task WaitUntilProcessedAsync(long id)
        {
            var deadline = Stopwatch.StartNew();
            while (await StatusAsync(id) == "queued")
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(10), $"upload {id} still queued after restart");
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }

        public void Kill()
        {
            // SIGKILL: no graceful shutdown, no chance to finish the item in hand.
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            _process.Dispose();
            _client.Dispose();
        }

        private async Task WaitUntilListeningAsync()
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                Assert.False(_process.HasExited, "the app exited during start-up");
                try
                {
                    var response = await _client.GetAsync("/api/uploads/0");
                    if (response.StatusCode == HttpStatusCode.NotFound)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "the app did not answer within 60 s");
                await Task.Delay(TimeSpan.FromMilliseconds(100));
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
