using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Ingestion;

/// <summary>
/// Large uploads go to the spool on disk and are read in parts: archives entry by entry, JSON Lines line by
/// line, CSV row by row, written a chunk per transaction, resumed after a stop, and never held in memory whole.
/// </summary>
public sealed class SpooledUploadTests : IAsyncLifetime
{
    private readonly TestStore _store = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _store.DisposeAsync();

    /// <summary>A line of JSON Lines for report <paramref name="i"/>, padded so archives pass the spool threshold quickly.</summary>
    private static string Line(int i) => JsonSerializer.Serialize(new
    {
        title = $"Report {i}: Chile and Peru",
        text = $"Report number {i}. The foreign ministers of Chile and Peru met in Lima on fisheries and trade. " +
               string.Join(" ", Enumerable.Range(0, 300).Select(w => $"word{(i * 31 + w) % 9973}")),
        date = $"2024-03-{1 + i % 28:D2}",
    });

    /// <summary>An archive of <paramref name="entries"/> JSON Lines files of <paramref name="perEntry"/> articles each, plus one bad entry.</summary>
    private static byte[] Archive(int entries, int perEntry, bool withBadEntry = true)
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var e = 0; e < entries; e++)
            {
                using var writer = new StreamWriter(archive.CreateEntry($"exports/part-{e:D3}.jsonl", CompressionLevel.NoCompression).Open());
                for (var i = 0; i < perEntry; i++)
                {
                    writer.WriteLine(Line(e * perEntry + i));
                }
            }
            if (withBadEntry)
            {
                using var bad = new StreamWriter(archive.CreateEntry("exports/bad.txt").Open());
                bad.Write("date 2024-02-30 An impossible date.");
            }
        }
        return zip.ToArray();
    }

    private static async Task<Upload> SpoolAsync(IServiceProvider services, string name, byte[] content) =>
        await services.GetRequiredService<IngestQueue>().EnqueueStreamAsync(name, new MemoryStream(content), null, 1L << 32);

    [Fact]
    public async Task A_large_archive_is_spooled_then_stored_in_chunks_with_one_reason()
    {
        var services = await _store.StartAsync();
        var content = Archive(entries: 6, perEntry: 500);
        Assert.True(content.Length > UploadSpool.InlineLimit / 4);
        var upload = await SpoolAsync(services, "exports.zip", content);
        var spool = services.GetRequiredService<UploadSpool>();
        Assert.True(spool.Has(upload.Id));
        await using (var db = await Db(services))
        {
            Assert.False(await db.UploadContents.AnyAsync(c => c.UploadId == upload.Id));
        }

        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        var done = (await services.GetRequiredService<IngestQueue>().FindAsync(upload.Id))!;
        Assert.Equal(UploadStatus.Stored, done.Status);
        Assert.StartsWith("3000 articles stored", done.Reason);
        Assert.Contains("exports.zip!exports/bad.txt", done.Reason);
        Assert.Contains("2024-02-30", done.Reason);
        await using (var db = await Db(services))
        {
            Assert.Equal(3000, await db.Articles.CountAsync());
            Assert.Equal(done.ArticleId, await db.Articles.MinAsync(a => a.Id));
        }
        Assert.False(spool.Has(upload.Id));
        Assert.Empty(Directory.EnumerateFiles(spool.Folder, $"{upload.Id}.*"));
    }

    [Theory]
    [InlineData("exports.zip")]
    [InlineData("exports.tgz")]
    public async Task Stopped_mid_archive_it_resumes_where_the_last_chunk_ended_and_stores_each_article_once(string name)
    {
        var services = await _store.StartAsync();
        // A ZIP resumes by its directory; a gzipped tar, which has none, reads past the files already stored.
        var content = name.EndsWith(".zip", StringComparison.Ordinal)
            ? Archive(entries: 4, perEntry: 400, withBadEntry: false)
            : TarGz(entries: 4, perEntry: 400, withBadEntry: false, withLink: false);
        var upload = await SpoolAsync(services, name, content);
        using var stop = new CancellationTokenSource();
        var seen = 0;
        // Stopped (as by a shutdown) once the first chunk is committed.
        services.GetRequiredService<ArticleNotifier>().ArticleStored += _ =>
        {
            if (Interlocked.Increment(ref seen) == 1)
            {
                stop.Cancel();
            }
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => services.GetRequiredService<ArticleIngestor>().DrainAsync(stop.Token));

        int storedBeforeRestart;
        await using (var db = await Db(services))
        {
            storedBeforeRestart = await db.Articles.CountAsync();
            Assert.InRange(storedBeforeRestart, 1, 1599);
            Assert.Equal(UploadStatus.Queued, (await db.Uploads.SingleAsync(u => u.Id == upload.Id)).Status);
        }
        var progress = services.GetRequiredService<UploadSpool>().ReadProgress(upload.Id);
        Assert.Equal(storedBeforeRestart, progress.Stored);

        var restarted = await _store.StartAsync();
        await restarted.GetRequiredService<ArticleIngestor>().DrainAsync();

        var done = (await restarted.GetRequiredService<IngestQueue>().FindAsync(upload.Id))!;
        Assert.Equal(UploadStatus.Stored, done.Status);
        Assert.Equal("1600 articles stored", done.Reason);
        await using (var db = await Db(restarted))
        {
            Assert.Equal(1600, await db.Articles.CountAsync());
            Assert.Equal(1600, await db.Articles.Select(a => a.ContentHash).Distinct().CountAsync());
        }
    }

    [Fact]
    public async Task A_large_json_lines_file_is_read_line_by_line_and_bad_lines_are_named()
    {
        var services = await _store.StartAsync();
        var text = new StringBuilder();
        for (var i = 0; i < 1500; i++)
        {
            text.AppendLine(i == 700 ? "{\"title\": \"cut short\", " : Line(i));
        }
        var upload = await SpoolAsync(services, "export.jsonl", Encoding.UTF8.GetBytes(text.ToString()));

        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        var done = (await services.GetRequiredService<IngestQueue>().FindAsync(upload.Id))!;
        Assert.Equal(UploadStatus.Stored, done.Status);
        Assert.StartsWith("1499 articles stored", done.Reason);
        Assert.Contains("export.jsonl: line 701 is not valid JSON", done.Reason);
    }

    [Fact]
    public async Task Chunks_read_while_the_one_before_is_written_store_a_repeat_once_and_count_every_article_once()
    {
        var services = await _store.StartAsync();
        var text = new StringBuilder();
        for (var i = 0; i < 2500; i++)
        {
            // Line 1,100 repeats line 1,000 (the chunk before: still being written when its chunk is checked against
            // the store, or stored by then, whichever is first); line 2,300 repeats line 1,200 (two chunks before,
            // stored by then); line 2,400 repeats line 2,350 (its own chunk).
            text.AppendLine(Line(i switch { 1100 => 1000, 2300 => 1200, 2400 => 2350, _ => i }));
        }
        var upload = await SpoolAsync(services, "export.jsonl", Encoding.UTF8.GetBytes(text.ToString()));

        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        var done = (await services.GetRequiredService<IngestQueue>().FindAsync(upload.Id))!;
        Assert.Equal((UploadStatus.Stored, "2497 articles stored, 3 already stored"), (done.Status, done.Reason));
        await using var db = await Db(services);
        Assert.Equal(2497, await db.Articles.CountAsync());
        Assert.Equal(2497, await db.Articles.Select(a => a.ContentHash).Distinct().CountAsync());
        // The counts held from chunk to chunk were all written with the last one: the charts count what is stored.
        await db.Database.OpenConnectionAsync();
        Assert.Equal(0, await DailyCounts.UncountedAsync(db.Database.GetDbConnection(), null, CancellationToken.None));
        Assert.Equal(2497, await db.ArticleDays.SumAsync(d => d.Articles));
        var chile = await db.Entities.SingleAsync(e => e.Kind == EntityKind.Country && e.Name == "Chile");
        Assert.Equal(2497, await db.EntityDays.Where(d => d.EntityId == chile.Id).SumAsync(d => d.Articles));
        Assert.Equal(2497, await db.Mentions.CountAsync(m => m.EntityId == chile.Id));
    }

    /// <summary>The same as <see cref="Archive"/>, as a gzipped tar archive.</summary>
    private static byte[] TarGz(int entries, int perEntry, bool withBadEntry = true, bool withLink = true)
    {
        var files = Enumerable.Range(0, entries)
            .Select(e => ($"exports/part-{e:D3}.jsonl", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, perEntry).Select(i => Line(e * perEntry + i) + "\n")))))
            .ToList();
        if (withBadEntry)
        {
            files.Insert(1, ("exports/bad.txt", "date 2024-02-30 An impossible date."u8.ToArray()));
        }
        return ArchiveFiles.Gzip(ArchiveFiles.Tar(files, withLink ? [("exports/latest.jsonl", "part-000.jsonl")] : []));
    }

    [Fact]
    public async Task A_large_gzipped_tar_archive_is_read_file_by_file_as_it_is_unpacked()
    {
        var services = await _store.StartAsync();
        var upload = await SpoolAsync(services, "exports.tar.gz", TarGz(entries: 5, perEntry: 400));

        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        var done = (await services.GetRequiredService<IngestQueue>().FindAsync(upload.Id))!;
        Assert.Equal(UploadStatus.Stored, done.Status);
        Assert.StartsWith("2000 articles stored", done.Reason);
        Assert.Contains("exports.tar.gz!exports/bad.txt", done.Reason);
        Assert.Contains("2024-02-30", done.Reason);
        Assert.Contains("exports.tar.gz!exports/latest.jsonl: skipped (a link to part-000.jsonl, not a file)", done.Reason);
        await using var db = await Db(services);
        Assert.Equal(2000, await db.Articles.CountAsync());
        Assert.False(services.GetRequiredService<UploadSpool>().Has(upload.Id));
    }

    [Fact]
    public async Task A_large_gzipped_json_lines_file_is_read_line_by_line_and_a_gzip_bomb_is_refused()
    {
        var services = await _store.StartAsync();
        var text = new StringBuilder();
        for (var i = 0; i < 1500; i++)
        {
            text.AppendLine(i == 700 ? "{\"title\": \"cut short\", " : Line(i));
        }
        var upload = await SpoolAsync(services, "export.jsonl.gz", ArchiveFiles.Gzip(Encoding.UTF8.GetBytes(text.ToString())));
        var bomb = await SpoolAsync(services, "export2.jsonl.gz", ArchiveFiles.Gzip([.. Encoding.UTF8.GetBytes(Line(1) + "\n" + Line(2) + "\n"), .. new byte[200 << 20]]));

        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        var done = (await services.GetRequiredService<IngestQueue>().FindAsync(upload.Id))!;
        Assert.Equal(UploadStatus.Stored, done.Status);
        Assert.StartsWith("1499 articles stored", done.Reason);
        Assert.Contains("export.jsonl.gz: line 701 is not valid JSON", done.Reason);
        var refused = (await services.GetRequiredService<IngestQueue>().FindAsync(bomb.Id))!;
        Assert.Contains("gzip bomb", refused.Reason);
    }

    /// <summary>A CSV of <paramref name="rows"/> reports (title, text with a quoted line break, date); the data row <paramref name="bad"/> has a cell too few.</summary>
    private static string Csv(int rows, int bad, string place = "Lima")
    {
        var text = new StringBuilder("title,text,date\r\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(i == bad
                ? $"Report {i},cut short\r\n"
                : $"Report {i}: Chile and Peru,\"Report number {i}. The ministers met in {place}.\n\n{string.Join(" ", Enumerable.Range(0, 300).Select(w => $"word{(i * 31 + w) % 9973}"))}\",2024-03-{1 + i % 28:D2}\r\n");
        }
        return text.ToString();
    }

    [Fact]
    public async Task A_large_csv_is_read_row_by_row_and_bad_rows_are_named()
    {
        var services = await _store.StartAsync();
        var upload = await SpoolAsync(services, "export.csv", Encoding.UTF8.GetBytes(Csv(1500, bad: 700)));

        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        var done = (await services.GetRequiredService<IngestQueue>().FindAsync(upload.Id))!;
        Assert.Equal(UploadStatus.Stored, done.Status);
        Assert.StartsWith("1499 articles stored", done.Reason);
        Assert.Contains("export.csv: row 702 has 2 cells where the header has 3", done.Reason);
    }

    [Fact]
    public async Task A_large_story_list_export_queues_the_links_of_its_rows_chunk_by_chunk_and_once_after_a_restart()
    {
        var services = await _store.StartAsync();
        // 1,200 rows of a Media Cloud export over 1 MB (read row by row), padded by a long themes column.
        var csv = new StringBuilder("stories_id,publish_date,title,url,language,themes,media_name\n");
        for (var i = 0; i < 1200; i++)
        {
            csv.Append($"{i},2024-06-{1 + i % 28:D2} 10:00:00,Story {i},https://wire.example/story/{i},en,\"{string.Join(";", Enumerable.Range(0, 120).Select(t => $"theme{t}"))}\",Wire\n");
        }
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        Assert.True(bytes.Length > 1 << 20);
        var upload = await SpoolAsync(services, "stories.csv", bytes);

        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        var done = (await services.GetRequiredService<IngestQueue>().FindAsync(upload.Id))!;
        Assert.Equal((UploadStatus.Stored, "1,200 links without text: 1,200 queued to fetch their pages"), (done.Status, done.Reason));
        await using var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        var links = await db.Uploads.Where(u => u.Status == UploadStatus.Fetching).OrderBy(u => u.Id).ToListAsync();
        Assert.Equal(1200, links.Count);
        Assert.Equal("https://wire.example/story/1199", links[^1].Url);
        var hints = LinkHints.Read(links[0].LinkHints)!;
        Assert.Equal(("Story 0", new DateOnly(2024, 6, 1), "Wire"), (hints.Title, hints.Date, hints.Source));

        // The same file read again from its start (a restart before its status was written): no link is queued twice.
        var again = await SpoolAsync(services, "stories (again).csv", bytes);
        await services.GetRequiredService<ArticleIngestor>().DrainAsync();
        Assert.Equal(1200, await db.Uploads.CountAsync(u => u.Status == UploadStatus.Fetching));
        Assert.Equal(UploadStatus.Stored, (await services.GetRequiredService<IngestQueue>().FindAsync(again.Id))!.Status);
    }

    [Fact]
    public async Task A_large_archive_queues_the_links_of_an_export_of_story_links_among_its_files()
    {
        var services = await _store.StartAsync();
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var articles = new StreamWriter(archive.CreateEntry("exports/part-000.jsonl", CompressionLevel.NoCompression).Open()))
            {
                for (var i = 0; i < 300; i++)
                {
                    articles.WriteLine(Line(i));
                }
            }
            using var links = new StreamWriter(archive.CreateEntry("exports/stories.csv").Open());
            links.Write("stories_id,publish_date,title,url,language,media_name\n");
            for (var i = 0; i < 40; i++)
            {
                links.Write($"{i},2024-06-{1 + i % 28:D2} 10:00:00,Story {i},https://wire.example/story/{i},en,Wire\n");
            }
        }
        var upload = await SpoolAsync(services, "exports.zip", zip.ToArray());

        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        var done = (await services.GetRequiredService<IngestQueue>().FindAsync(upload.Id))!;
        Assert.Equal(UploadStatus.Stored, done.Status);
        Assert.Contains("40 links without text: 40 queued to fetch their pages", done.Reason);
        await using var db = await Db(services);
        var queued = await db.Uploads.Where(u => u.Status == UploadStatus.Fetching).OrderBy(u => u.Id).ToListAsync();
        Assert.Equal(40, queued.Count);
        Assert.Equal(("https://wire.example/story/39", "Story 39"), (queued[^1].Url, LinkHints.Read(queued[^1].LinkHints)!.Title));
    }

    [Fact]
    public void A_large_csv_resumes_at_a_data_row_and_keeps_its_latin1_text()
    {
        var path = Path.Combine(Path.GetTempPath(), $"spooled-{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(path, Encoding.Latin1.GetBytes(Csv(1500, bad: 700, place: "S\u00e3o Paulo")));
        try
        {
            Assert.True(new FileInfo(path).Length > 1 << 20);

            var items = SpooledArticles.Read("export.csv", path, fromEntry: 0, fromItem: 1000).ToList();

            // Indexed by data row, not by article: the bad row 700 before it does not shift where a restart resumes.
            Assert.Equal(500, items.Count);
            Assert.Equal((1000, "Report 1000: Chile and Peru"), (items[0].Index, items[0].Article!.Title));
            Assert.StartsWith("Report number 1000. The ministers met in S\u00e3o Paulo.\n\nword", items[0].Article!.Text);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>An Excel workbook of <paramref name="rows"/> reports under a title row and a header; the data row <paramref name="bad"/> has no text.</summary>
    private static byte[] Workbook(int rows, int bad)
    {
        var sheet = new List<object?[]> { new object?[] { "Weekly export" }, new object?[] { "Headline", "Body", "Published" } };
        for (var i = 0; i < rows; i++)
        {
            sheet.Add(i == bad
                ? [$"Report {i}", null, new DateTime(2024, 3, 1)]
                : [$"Report {i}: Chile and Peru", $"Report number {i}. The ministers met in Lima.\n\n{string.Join(" ", Enumerable.Range(0, 300).Select(w => $"word{(i * 31 + w) % 9973}"))}", new DateTime(2024, 3, 1 + i % 28)]);
        }
        return OfficeFiles.Xlsx(null, ("Stories", sheet.ToArray()));
    }

    [Fact]
    public async Task A_large_excel_workbook_is_read_row_by_row_as_a_document_not_as_an_archive()
    {
        var services = await _store.StartAsync();
        var upload = await SpoolAsync(services, "export.xlsx", Workbook(1500, bad: 700));

        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        var done = (await services.GetRequiredService<IngestQueue>().FindAsync(upload.Id))!;
        Assert.Equal(UploadStatus.Stored, done.Status);
        Assert.StartsWith("1499 articles stored", done.Reason);
        Assert.Contains("export.xlsx: sheet Stories, row 703 (\"Report 700\") has no text", done.Reason);
        await using var db = await Db(services);
        var stored = await db.Articles.SingleAsync(a => a.Title == "Report 29: Chile and Peru");
        Assert.Equal((new DateOnly(2024, 3, 2), false), (stored.PublishedDate, stored.DateIsFallback));
    }

    [Fact]
    public void A_large_excel_workbook_resumes_at_a_data_row()
    {
        var path = Path.Combine(Path.GetTempPath(), $"spooled-{Guid.NewGuid():N}.xlsx");
        File.WriteAllBytes(path, Workbook(1500, bad: 700));
        try
        {
            var items = SpooledArticles.Read("export.xlsx", path, fromEntry: 0, fromItem: 1000).ToList();

            // Indexed by the row under the header, not by article: the bad row 700 before it does not shift where a restart resumes.
            Assert.Equal(500, items.Count);
            Assert.Equal((0, 1000, "Report 1000: Chile and Peru"), (items[0].Entry, items[0].Index, items[0].Article!.Title));
            Assert.StartsWith("Report number 1000. The ministers met in Lima.\n\nword", items[0].Article!.Text);
            Assert.Equal(1499, items[^1].Index);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_spooled_upload_that_yields_nothing_fails_keeps_its_file_and_can_be_retried()
    {
        var services = await _store.StartAsync();
        var junk = new byte[UploadSpool.InlineLimit + 10];
        junk[0] = (byte)'P';
        junk[1] = (byte)'K';
        junk[2] = 3;
        junk[3] = 4;
        var upload = await SpoolAsync(services, "broken.zip", junk);
        var ingestor = services.GetRequiredService<ArticleIngestor>();
        var queue = services.GetRequiredService<IngestQueue>();

        await ingestor.DrainAsync();

        var failed = (await queue.FindAsync(upload.Id))!;
        Assert.Equal(UploadStatus.Failed, failed.Status);
        Assert.Contains("broken.zip: not a readable ZIP archive", failed.Reason);
        Assert.True(services.GetRequiredService<UploadSpool>().Has(upload.Id));
        var (retried, refusal) = await queue.RetryAsync(upload.Id);
        Assert.Null(refusal);
        Assert.Equal(UploadStatus.Queued, retried!.Status);
    }

    [Fact]
    public async Task A_stream_over_the_limit_is_refused_and_leaves_nothing_in_the_spool()
    {
        var services = await _store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();

        var error = await Assert.ThrowsAsync<UploadTooLargeException>(() =>
            queue.EnqueueStreamAsync("huge.zip", new MemoryStream(new byte[3_000_000]), null, 1_000_000));

        Assert.Contains("huge.zip: more than the upload limit of 1,000,000 bytes", error.Message);
        var spool = services.GetRequiredService<UploadSpool>();
        Assert.Empty(Directory.Exists(spool.Folder) ? Directory.EnumerateFiles(spool.Folder) : []);
        await using var db = await Db(services);
        Assert.Equal(0, await db.Uploads.CountAsync());
    }

    [Fact]
    public async Task Files_no_upload_owns_are_removed_at_start()
    {
        var services = await _store.StartAsync();
        var spool = services.GetRequiredService<UploadSpool>();
        var kept = await SpoolAsync(services, "exports.zip", Archive(entries: 1, perEntry: 10));
        Directory.CreateDirectory(spool.Folder);
        // A crash after receiving but before the queue row committed leaves these behind.
        await File.WriteAllTextAsync(spool.PathOf(kept.Id + 1000), "orphan");
        await File.WriteAllTextAsync(Path.Combine(spool.Folder, "incoming-0123.part"), "half received");

        await services.GetRequiredService<IngestQueue>().RemoveOrphanSpoolFilesAsync();

        Assert.True(spool.Has(kept.Id));
        Assert.False(spool.Has(kept.Id + 1000));
        Assert.False(File.Exists(Path.Combine(spool.Folder, "incoming-0123.part")));
    }

    private static Task<DashboardDb> Db(IServiceProvider services) =>
        services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
}
