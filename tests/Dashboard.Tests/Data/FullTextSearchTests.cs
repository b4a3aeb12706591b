using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.Tests.Data;

public sealed class FullTextSearchTests : IAsyncLifetime
{
    private readonly TestStore _store = new();
    private IServiceProvider _services = null!;
    private DashboardQueries _queries = null!;

    public async Task InitializeAsync()
    {
        var services = _services = await _store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        await queue.EnqueueAsync("seed.txt", await File.ReadAllBytesAsync(TestPaths.SeedArticle));
        await queue.EnqueueAsync("b.txt", "date 2024-05-02 Humanitarian workers in Sudan asked for safe passage.\n\nThe convoys were delayed for weeks."u8.ToArray());
        await queue.EnqueueAsync("c.txt", "date 2024-05-03 Ministers from Brazil met in Brasília to discuss humanitarian corridors."u8.ToArray());
        var ingestor = services.GetRequiredService<ArticleIngestor>();
        await ingestor.DrainAsync();
        _queries = services.GetRequiredService<DashboardQueries>();
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Theory]
    [InlineData("rafah", 1)]
    [InlineData("\"humanitarian aid\"", 1)]
    [InlineData("humanitarian", 3)]
    [InlineData("humanitar*", 3)]
    [InlineData("convoy", 1)]
    [InlineData("brasilia", 1)]
    [InlineData("rafah OR sudan", 2)]
    [InlineData("humanitarian NOT rafah", 2)]
    [InlineData("gaza sudan", 0)]
    public async Task Words_phrases_prefixes_OR_NOT_stemming_and_folded_accents(string query, int expected)
    {
        var page = await _queries.TimelineAsync(new ArticleFilter { Text = query }, 0, 10);

        Assert.Equal(expected, page.Total);
    }

    [Fact]
    public async Task Search_combines_with_the_other_filters_and_rows_carry_a_snippet_with_the_hits_marked()
    {
        var filter = new ArticleFilter { Text = "rafah", Entities = [new EntityRef(EntityKind.Country, "IR")] };

        var page = await _queries.TimelineAsync(filter, 0, 10);

        var row = Assert.Single(page.Articles);
        Assert.Contains(row.Snippet, p => p.Hit && p.Text.Equals("Rafah", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, (await _queries.TimelineAsync(filter with { From = new DateOnly(2024, 6, 2) }, 0, 10)).Total);
        var countries = await _queries.TopEntitiesAsync(EntityKind.Country, new ArticleFilter { Text = "sudan" });
        Assert.Equal("SD", Assert.Single(countries).Key);
    }

    [Theory]
    [InlineData("\"humanitarian aid", "quotation mark")]
    [InlineData("AND rafah", "not valid search syntax")]
    [InlineData("rafah OR", "not valid search syntax")]
    public async Task A_malformed_query_gets_a_readable_message(string query, string expected)
    {
        var error = await Assert.ThrowsAsync<SearchQueryException>(() => _queries.TimelineAsync(new ArticleFilter { Text = query }, 0, 10));

        Assert.Contains(expected, error.Message);
        Assert.Contains(query, error.Message);
    }

    [Fact]
    public async Task A_malformed_query_leaves_no_error_in_the_servers_log()
    {
        // The page tells the reader what is wrong; the log is for faults, and EF logs each failed command as an Error.
        var log = new RecordingLoggerProvider();
        await using var store = new TestStore();
        var services = await store.StartAsync(s => s.AddSingleton<ILoggerProvider>(log));
        var queries = services.GetRequiredService<DashboardQueries>();

        await Assert.ThrowsAsync<SearchQueryException>(() => queries.TimelineAsync(new ArticleFilter { Text = "\"humanitarian aid" }, 0, 10));
        await Assert.ThrowsAsync<SearchQueryException>(() => queries.TopEntitiesAsync(EntityKind.Country, new ArticleFilter { Text = "rafah OR" }));

        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Warning);
        // The recorder sees EF's commands (so an empty list above is not a logger that records nothing).
        Assert.Contains(log.Entries, e => e.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }

    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<(string Category, LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Recorder(RecordingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Entries.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }

    [Fact]
    public async Task Every_article_is_indexed_exactly_once_whichever_way_it_was_stored_and_a_deleted_one_leaves_the_index()
    {
        var factory = _services.GetRequiredService<IDbContextFactory<DashboardDb>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            // Through EF, as curation and fixtures store articles (the ingestor indexes its own in ArticleWriter).
            db.Articles.Add(new Article { Title = "Floods in Bangladesh", Text = "Monsoon floods displaced thousands.", ContentHash = "ef-added", IngestedAt = DateTime.UtcNow, PublishedDate = new DateOnly(2024, 6, 3) });
            await db.SaveChangesAsync();
        }
        Assert.Equal(1, (await _queries.TimelineAsync(new ArticleFilter { Text = "monsoon" }, 0, 10)).Total);

        await using (var db = await factory.CreateDbContextAsync())
        {
            // FTS5 compares the index with the articles table: an article indexed twice, or not at all, fails it.
            await db.Database.ExecuteSqlRawAsync("INSERT INTO ArticleSearch(ArticleSearch, rank) VALUES ('integrity-check', 1)");
            await db.Articles.Where(a => a.ContentHash == "ef-added").ExecuteDeleteAsync();
            await db.Database.ExecuteSqlRawAsync("INSERT INTO ArticleSearch(ArticleSearch, rank) VALUES ('integrity-check', 1)");
        }
        Assert.Equal(0, (await _queries.TimelineAsync(new ArticleFilter { Text = "monsoon" }, 0, 10)).Total);
        Assert.Equal(3, (await _queries.TimelineAsync(new ArticleFilter { Text = "humanitarian" }, 0, 10)).Total);
    }

    [Fact]
    public async Task A_writer_indexes_each_batch_it_stores_and_only_that_batch()
    {
        // The writer indexes a batch by its first and last ids: articles stored otherwise before, between and after its
        // batches must be indexed once each, not again nor missed.
        var factory = _services.GetRequiredService<IDbContextFactory<DashboardDb>>();
        var extractor = _services.GetRequiredService<Dashboard.Web.Curation.CuratedExtractor>();
        async Task AddThroughEfAsync(string hash)
        {
            await using var db = await factory.CreateDbContextAsync();
            db.Articles.Add(new Article { Title = "Drought in Kenya", Text = "Herders lost cattle to the drought.", ContentHash = hash, IngestedAt = DateTime.UtcNow, PublishedDate = new DateOnly(2024, 6, 4) });
            await db.SaveChangesAsync();
        }
        async Task WriteBatchAsync(string word, int count)
        {
            var rows = Enumerable.Range(0, count).Select(i =>
            {
                var (title, text) = ($"Report {i} on {word}", $"The {word} talks in Cairo went on for a {i}th day.");
                return ArticleWriter.Rows(new Article { Title = title, Text = text, PublishedDate = new DateOnly(2024, 6, 5), ContentHash = $"{word}-{i}", IngestedAt = DateTime.UtcNow },
                    extractor.Extract(title, text));
            }).ToList();
            await using var db = await factory.CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await ArticleWriter.WriteAsync(db, rows, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await AddThroughEfAsync("ef-before");
        await WriteBatchAsync("desalination", 40);
        await AddThroughEfAsync("ef-between");
        await WriteBatchAsync("armistice", 25);
        await AddThroughEfAsync("ef-after");

        Assert.Equal(40, (await _queries.TimelineAsync(new ArticleFilter { Text = "desalination" }, 0, 10)).Total);
        Assert.Equal(25, (await _queries.TimelineAsync(new ArticleFilter { Text = "armistice" }, 0, 10)).Total);
        Assert.Equal(3, (await _queries.TimelineAsync(new ArticleFilter { Text = "drought" }, 0, 10)).Total);
        Assert.Equal(65, (await _queries.TimelineAsync(new ArticleFilter { Text = "cairo" }, 0, 10)).Total);
        await using (var db = await factory.CreateDbContextAsync())
        {
            // An article indexed twice, or not at all, fails FTS5's comparison of the index with the articles table.
            await db.Database.ExecuteSqlRawAsync("INSERT INTO ArticleSearch(ArticleSearch, rank) VALUES ('integrity-check', 1)");
        }
    }
}
