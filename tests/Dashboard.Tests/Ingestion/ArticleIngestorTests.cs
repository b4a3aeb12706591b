using System.Data.Common;
using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Ingestion;

public sealed class ArticleIngestorTests : IAsyncLifetime
{
    private readonly TestStore _store = new();
    private byte[] _seed = [];

    public async Task InitializeAsync() => _seed = await File.ReadAllBytesAsync(TestPaths.SeedArticle);

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Texts_are_stored_and_indexed_exactly_as_parsed_whatever_their_characters_and_length()
    {
        var services = await _store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        // Accents, typographic quotes, a dash, an emoji (two UTF-16 units) and a long text that fills blocks of its own.
        var files = new List<(string Name, byte[] Bytes)>
        {
            ("accents.txt", System.Text.Encoding.UTF8.GetBytes("date 2024-06-02\n\nZürich talks\n\nThe “Zürich” delegation — led by Søren Ødegård — met Iran’s envoy in Genève \U0001F600 on Monday.")),
            ("seed.txt", _seed),
            ("long.txt", System.Text.Encoding.UTF8.GetBytes("date 2024-06-03\n\nLong report\n\n" + string.Join("\n", Enumerable.Repeat("Algeria and Iran discussed Gaza again.", 30_000)))),
        };
        foreach (var (name, bytes) in files)
        {
            await queue.EnqueueAsync(name, bytes);
        }
        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        await using var db = await Db(services);
        foreach (var (name, bytes) in files)
        {
            var parsed = ArticleParser.Read(name, bytes).Articles.Single();
            var stored = await db.Articles.SingleAsync(a => a.Title == parsed.Title);
            Assert.Equal(parsed.Text, stored.Text);
        }
        Assert.Single(await FullTextSearch.MatchingIdsAsync(db, "Ødegård", CancellationToken.None));
        Assert.Single(await FullTextSearch.MatchingIdsAsync(db, "\"Gaza again\"", CancellationToken.None));
    }

    [Theory]
    [InlineData(995, 1492)]
    [InlineData(1, 256)]
    [InlineData(6000, ArticleIngestor.MaxBatch)]
    [InlineData(ArticleIngestor.MaxBatch, ArticleIngestor.MaxBatch)]
    public void A_batch_prepared_beside_a_write_is_at_most_half_as_large_again(int writing, int next) =>
        Assert.Equal(next, ArticleIngestor.NextBatchSize(writing));

    [Fact]
    public async Task Seed_is_queued_then_stored_with_its_date_and_mentions()
    {
        var services = await _store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();

        var before = IngestTimings.Snapshot();
        var upload = await queue.EnqueueAsync("000_c5daea6af1ae3222.txt", _seed);
        Assert.Equal(UploadStatus.Queued, (await queue.FindAsync(upload.Id))!.Status);

        // As the ingestion worker does: drain the queue.
        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        // Each phase of the way took its time, and `bench ingest` can say how much (other tests only ever add to it).
        var after = IngestTimings.Snapshot();
        Assert.All(Enum.GetValues<IngestTimings.Phase>(), phase => Assert.True(after[(int)phase] > before[(int)phase], $"{phase} was not timed"));

        var done = (await queue.FindAsync(upload.Id))!;
        Assert.Equal(UploadStatus.Stored, done.Status);
        await using var db = await Db(services);
        var article = await db.Articles.Include(a => a.Mentions).ThenInclude(m => m.Entity).SingleAsync();
        Assert.Equal(done.ArticleId, article.Id);
        Assert.Equal(new DateOnly(2024, 6, 1), article.PublishedDate);
        Assert.False(article.DateIsFallback);
        var countries = article.Mentions.Where(m => m.Entity!.Kind == EntityKind.Country).Select(m => m.Entity!.Key).ToList();
        Assert.Contains("IR", countries);
        Assert.Contains("DZ", countries);
        Assert.All(article.Mentions, m => Assert.Equal(article.PublishedDate, m.PublishedDate));
        // Every span points into the stored text (or title) and the raw bytes are no longer kept.
        Assert.All(article.Mentions.SelectMany(m => m.Spans), s => Assert.InRange(s.End, s.Start + 1, (s.Field == "title" ? article.Title : article.Text).Length));
        Assert.Empty(db.UploadContents);
        // Other names are kept as aliases; the cities that locate a country are not names for it.
        var palestine = await db.Entities.Include(e => e.Aliases).SingleAsync(e => e.Kind == EntityKind.Country && e.Key == "PS");
        Assert.Contains(palestine.Aliases, a => a.Name == "Palestinians");
        Assert.DoesNotContain(palestine.Aliases, a => a.Name is "Rafah" or "Gaza");
    }

    [Fact]
    public async Task The_same_article_uploaded_twice_is_stored_once_and_reported_as_duplicate()
    {
        var services = await _store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        var ingestor = services.GetRequiredService<ArticleIngestor>();

        var first = await queue.EnqueueAsync("a.txt", _seed);
        // Same text with different line endings and trailing space is the same article.
        var again = await queue.EnqueueAsync("copy.txt", System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(_seed).Replace("\n", "\r\n") + "  \n"));
        while (await ingestor.ProcessNextAsync())
        {
        }

        var second = (await queue.FindAsync(again.Id))!;
        Assert.Equal(UploadStatus.Duplicate, second.Status);
        Assert.Equal((await queue.FindAsync(first.Id))!.ArticleId, second.ArticleId);
        Assert.StartsWith($"duplicate of article {second.ArticleId}", second.Reason);
        await using var db = await Db(services);
        Assert.Equal(1, await db.Articles.CountAsync());
    }

    [Fact]
    public async Task A_bad_item_fails_with_its_reason_and_the_queue_goes_on()
    {
        var services = await _store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        var ingestor = services.GetRequiredService<ArticleIngestor>();

        var bad = await queue.EnqueueAsync("impossible.txt", "date 2024-02-31 Some text."u8.ToArray());
        var good = await queue.EnqueueAsync("good.txt", _seed);
        while (await ingestor.ProcessNextAsync())
        {
        }

        var failed = (await queue.FindAsync(bad.Id))!;
        Assert.Equal(UploadStatus.Failed, failed.Status);
        Assert.Contains("impossible.txt", failed.Reason);
        Assert.Contains("2024-02-31", failed.Reason);
        Assert.Equal(UploadStatus.Stored, (await queue.FindAsync(good.Id))!.Status);
        // A failed item keeps its bytes so it can be retried after a fix.
        await using var db = await Db(services);
        Assert.Equal([bad.Id], await db.UploadContents.Select(c => c.UploadId).ToListAsync());
    }

    [Fact]
    public async Task A_crash_while_storing_leaves_the_item_queued_and_a_restart_stores_it_exactly_once()
    {
        var crashing = await _store.StartAsync();
        var upload = await crashing.GetRequiredService<IngestQueue>().EnqueueAsync("seed.txt", _seed);

        // The same pipeline over the same file, with a store that dies after the article insert, before commit.
        var crashingIngestor = ActivatorUtilities.CreateInstance<ArticleIngestor>(crashing, new CrashingFactory(_store.DatabasePath));
        var crash = await Assert.ThrowsAnyAsync<Exception>(() => crashingIngestor.ProcessNextAsync());
        Assert.True(crash is CrashException || crash.InnerException is CrashException, crash.ToString());

        // "Restart": new services over the same file. Nothing half-written is visible, the item is still queued.
        var restarted = await _store.StartAsync();
        await using (var db = await Db(restarted))
        {
            Assert.Equal(0, await db.Articles.CountAsync());
            Assert.Equal(0, await db.Mentions.CountAsync());
            Assert.Equal(UploadStatus.Queued, (await db.Uploads.SingleAsync()).Status);
        }

        var ingestor = restarted.GetRequiredService<ArticleIngestor>();
        while (await ingestor.ProcessNextAsync())
        {
        }

        await using (var db = await Db(restarted))
        {
            Assert.Equal(1, await db.Articles.CountAsync());
            var stored = await db.Uploads.SingleAsync();
            Assert.Equal(UploadStatus.Stored, stored.Status);
            Assert.Equal(upload.Id, stored.Id);
        }
    }

    [Fact]
    public async Task The_background_worker_drains_what_was_queued_before_it_started()
    {
        var before = await _store.StartAsync();
        var queue = before.GetRequiredService<IngestQueue>();
        var first = await queue.EnqueueAsync("one.txt", _seed);
        var second = await queue.EnqueueAsync("two.txt", "date 2024-06-02 Algeria and Iran signed agreements in Algiers."u8.ToArray());

        var services = await _store.StartAsync();
        var notifier = services.GetRequiredService<ArticleNotifier>();
        var processed = new List<long>();
        var bothDone = new TaskCompletionSource();
        notifier.UploadProcessed += p =>
        {
            lock (processed)
            {
                processed.Add(p.UploadId);
                if (processed.Count == 2)
                {
                    bothDone.TrySetResult();
                }
            }
        };
        var worker = ActivatorUtilities.CreateInstance<IngestionWorker>(services);
        await worker.StartAsync(CancellationToken.None);
        await bothDone.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await worker.StopAsync(CancellationToken.None);

        Assert.Equal([first.Id, second.Id], processed);
    }

    [Fact]
    public async Task An_archive_stores_its_good_entries_and_names_the_bad_ones_in_the_reason()
    {
        var services = await _store.StartAsync();
        using var zip = new MemoryStream();
        using (var archive = new System.IO.Compression.ZipArchive(zip, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in new[] { ("news/good.txt", "date 2024-01-05 Chile and Peru signed a fisheries deal in Lima."), ("news/bad.txt", "date 2024-02-30 Impossible date.") })
            {
                using var entry = new StreamWriter(archive.CreateEntry(name).Open());
                entry.Write(text);
            }
        }
        var upload = await services.GetRequiredService<IngestQueue>().EnqueueAsync("batch.zip", zip.ToArray());

        await services.GetRequiredService<ArticleIngestor>().ProcessNextBatchAsync();

        var done = (await services.GetRequiredService<IngestQueue>().FindAsync(upload.Id))!;
        Assert.Equal(UploadStatus.Stored, done.Status);
        Assert.Contains("1 article stored", done.Reason);
        Assert.Contains("batch.zip!news/bad.txt", done.Reason);
        Assert.Contains("2024-02-30", done.Reason);
    }

    [Fact]
    public async Task Two_workers_draining_one_queue_store_every_upload_once()
    {
        var first = await _store.StartAsync();
        var second = await _store.StartAsync();
        var uploads = Enumerable.Range(0, 400)
            .Select(i => ($"r{i}.txt", System.Text.Encoding.UTF8.GetBytes($"date 2024-04-{1 + i % 28:D2} Report {i}: Chile and Peru met in Lima.")))
            .ToList();
        await first.GetRequiredService<IngestQueue>().EnqueueManyAsync(uploads);

        async Task DrainAsync(IServiceProvider services, int batch)
        {
            var ingestor = services.GetRequiredService<ArticleIngestor>();
            while (await ingestor.ProcessNextBatchAsync(batch) > 0)
            {
            }
        }
        await Task.WhenAll(Task.Run(() => DrainAsync(first, 16)), Task.Run(() => DrainAsync(second, 23)));

        await using var db = await Db(first);
        Assert.Equal(400, await db.Articles.CountAsync());
        var notStored = await db.Uploads.Where(u => u.Status != UploadStatus.Stored).Select(u => u.Status + " " + u.Reason).ToListAsync();
        Assert.True(notStored.Count == 0, string.Join("\n", notStored.Take(5)));
        Assert.Equal(400, await db.Uploads.Where(u => u.ArticleId != null).Select(u => u.ArticleId).Distinct().CountAsync());
    }

    [Fact]
    public async Task Two_pipelined_drains_of_one_queue_store_every_upload_once()
    {
        // DrainAsync prepares the next batch while the last is written: with two workers both pipelines race.
        var first = await _store.StartAsync();
        var second = await _store.StartAsync();
        var uploads = Enumerable.Range(0, 1200)
            .Select(i => ($"p{i}.txt", System.Text.Encoding.UTF8.GetBytes($"date 2024-05-{1 + i % 28:D2} Dispatch {i}: Chile and Peru met in Lima.")))
            .ToList();
        await first.GetRequiredService<IngestQueue>().EnqueueManyAsync(uploads);

        await Task.WhenAll(
            Task.Run(() => first.GetRequiredService<ArticleIngestor>().DrainAsync()),
            Task.Run(() => second.GetRequiredService<ArticleIngestor>().DrainAsync()));

        await using var db = await Db(first);
        Assert.Equal(1200, await db.Articles.CountAsync());
        var notStored = await db.Uploads.Where(u => u.Status != UploadStatus.Stored).Select(u => u.Status + " " + u.Reason).ToListAsync();
        Assert.True(notStored.Count == 0, string.Join("\n", notStored.Take(5)));
        Assert.Equal(1200, await db.Uploads.Where(u => u.ArticleId != null).Select(u => u.ArticleId).Distinct().CountAsync());
    }

    [Fact]
    public async Task A_repeat_in_the_batch_after_is_a_duplicate_of_the_article_being_written()
    {
        // Batch one ends with an article; batch two (prepared while batch one is written) starts with the same text.
        var services = await _store.StartAsync();
        var filler = Enumerable.Range(0, ArticleIngestor.MaxBatch - 1)
            .Select(i => ($"f{i}.txt", System.Text.Encoding.UTF8.GetBytes($"date 2024-06-{1 + i % 28:D2} Filler {i}: Chile and Peru met in Lima.")));
        var repeated = System.Text.Encoding.UTF8.GetBytes("date 2024-06-03 Brazil and Argentina agreed a gas pipeline in Buenos Aires.");
        var uploads = await services.GetRequiredService<IngestQueue>().EnqueueManyAsync(
            [.. filler, ("original.txt", repeated), ("copy.txt", repeated), ("after.txt", System.Text.Encoding.UTF8.GetBytes("date 2024-06-04 Kenya held talks."))]);

        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        var queue = services.GetRequiredService<IngestQueue>();
        var original = (await queue.FindAsync(uploads[^3].Id))!;
        var copy = (await queue.FindAsync(uploads[^2].Id))!;
        Assert.Equal(UploadStatus.Stored, original.Status);
        Assert.Equal(UploadStatus.Duplicate, copy.Status);
        Assert.Equal(original.ArticleId, copy.ArticleId);
        Assert.Contains($"duplicate of article {original.ArticleId}", copy.Reason);
        Assert.Equal(UploadStatus.Stored, (await queue.FindAsync(uploads[^1].Id))!.Status);
        await AssertEveryRowHasItsParentsAsync(services);
    }

    /// <summary>The batch writer checks no foreign keys (its rows reference what its own transaction read or wrote): every row must still have its parents.</summary>
    private static async Task AssertEveryRowHasItsParentsAsync(IServiceProvider services)
    {
        await using var db = await Db(services);
        Assert.Empty(await db.Database.SqlQueryRaw<string>("SELECT \"table\" AS Value FROM pragma_foreign_key_check").ToListAsync());
        Assert.True(await db.Mentions.CountAsync() > ArticleIngestor.MaxBatch);
    }

    private static Task<DashboardDb> Db(IServiceProvider services) =>
        services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();

    private sealed class CrashException() : Exception("simulated crash");

    /// <summary>Throws when the batch would commit: articles, mentions and the uploads' statuses are written, nothing is committed.</summary>
    private sealed class CrashOnCommit : DbTransactionInterceptor
    {
        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
            throw new CrashException();

        public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result) =>
            throw new CrashException();
    }

    /// <summary>A context factory over the same file whose contexts crash mid-transaction.</summary>
    private sealed class CrashingFactory(string path) : IDbContextFactory<DashboardDb>
    {
        public DashboardDb CreateDbContext()
        {
            var options = new DbContextOptionsBuilder<DashboardDb>()
                .UseDashboardSqlite($"Data Source={path}")
                .AddInterceptors(new CrashOnCommit())
                .Options;
            return new DashboardDb(options);
        }
    }
}
