using System.Data.Common;
using Dashboard.Web.Curation;
using Dashboard.Web.Data;
using Dashboard.Web.Generation;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Data;

/// <summary>
/// A bulk import's counts held over several batches (<see cref="DeferredCounts"/>) end up as a recount from the stored
/// mentions gives them: when the import ends, after a crash, when a correction comes in between, and after a failed batch.
/// </summary>
public sealed class DeferredCountsTests : IAsyncLifetime
{
    private readonly TestStore _store = new();
    private IServiceProvider _services = null!;
    private IDbContextFactory<DashboardDb> _dbFactory = null!;
    private List<GeneratedArticle> _corpus = null!;

    public async Task InitializeAsync()
    {
        _services = await _store.StartAsync();
        _dbFactory = _services.GetRequiredService<IDbContextFactory<DashboardDb>>();
        _corpus = new CorpusGenerator().Generate(240, 11).ToList();
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private IReadOnlyList<GeneratedArticle> Part(int index) => _corpus.Skip(index * 60).Take(60).ToList();

    [Fact]
    public async Task Held_counts_stay_out_until_the_last_batch_writes_them_all_at_once()
    {
        var counts = new DeferredCounts();
        await WriteAsync(Part(0), counts, moreFollow: true);
        await WriteAsync(Part(1), counts, moreFollow: true);
        Assert.Equal(120, await ScalarAsync("SELECT COUNT(*) FROM UncountedArticles"));
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM EntityDays"));
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM ArticleDays"));
        Assert.False(counts.IsEmpty);

        await WriteAsync(Part(2), counts, moreFollow: false);
        Assert.True(counts.IsEmpty);
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM UncountedArticles"));
        Assert.Equal(180, await ScalarAsync("SELECT SUM(Articles) FROM ArticleDays"));
        // Written from memory, not counted again from the store.
        Assert.Equal(0, await ScalarAsync("SELECT Generation FROM CountCatchUps"));
        await AssertRecountChangesNothingAsync();
    }

    [Fact]
    public async Task A_second_hold_after_a_flush_counts_only_its_own_batches()
    {
        // One importer's counts live over several holds (its tally is emptied and reused after each flush).
        var counts = new DeferredCounts();
        await WriteAsync(Part(0), counts, moreFollow: true);
        await WriteAsync(Part(1), counts, moreFollow: false);
        await WriteAsync(Part(2), counts, moreFollow: true);
        Assert.Equal(60, await ScalarAsync("SELECT COUNT(*) FROM UncountedArticles"));
        Assert.Equal(120, await ScalarAsync("SELECT SUM(Articles) FROM ArticleDays"));
        await WriteAsync(Part(3), counts, moreFollow: false);
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM UncountedArticles"));
        Assert.Equal(240, await ScalarAsync("SELECT SUM(Articles) FROM ArticleDays"));
        Assert.Equal(0, await ScalarAsync("SELECT Generation FROM CountCatchUps"));
        await AssertRecountChangesNothingAsync();
    }

    [Fact]
    public async Task Counts_held_when_the_importer_died_are_counted_when_ingestion_starts_again()
    {
        await WriteAsync(Part(0), new DeferredCounts(), moreFollow: true);
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM EntityDays"));

        // A new importer (the process restarted): its first drain counts what the lost one held, with an empty queue,
        // and tells open dashboards to recount.
        var written = 0;
        _services.GetRequiredService<ArticleNotifier>().CountsWritten += _ => written++;
        await _services.GetRequiredService<ArticleIngestor>().DrainAsync();
        Assert.Equal(1, written);
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM UncountedArticles"));
        Assert.Equal(60, await ScalarAsync("SELECT SUM(Articles) FROM ArticleDays"));
        await AssertRecountChangesNothingAsync();
    }

    [Fact]
    public async Task A_merge_and_a_re_extraction_while_counts_are_held_count_no_article_twice()
    {
        var counts = new DeferredCounts();
        await WriteAsync(Part(0), counts, moreFollow: true);
        await using (var db = await _dbFactory.CreateDbContextAsync())
        {
            var people = await db.Mentions.Where(m => m.Entity!.Kind == EntityKind.Person).GroupBy(m => m.Entity!.Key)
                .OrderByDescending(g => g.Count()).Select(g => g.Key).Take(2).ToListAsync();
            await _services.GetRequiredService<EntityCuration>().MergeAsync(
                new EntityRef(EntityKind.Person, people[1]), new EntityRef(EntityKind.Person, people[0]));
        }
        // The merge counted the held articles from the store before it recounted its two people.
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM UncountedArticles"));
        await AssertRecountChangesNothingAsync();

        await WriteAsync(Part(1), counts, moreFollow: true);
        await _services.GetRequiredService<Reextraction>().RunAsync(CancellationToken.None);
        await AssertRecountChangesNothingAsync();

        // The importer finds its held counts taken over and counts from the store instead of adding them again.
        await WriteAsync(Part(2), counts, moreFollow: false);
        Assert.Equal(180, await ScalarAsync("SELECT SUM(Articles) FROM ArticleDays"));
        await AssertRecountChangesNothingAsync();
    }

    [Fact]
    public async Task A_failed_batch_between_held_ones_leaves_only_the_stored_articles_counted()
    {
        var counts = new DeferredCounts();
        await WriteAsync(Part(0), counts, moreFollow: true);
        await Assert.ThrowsAsync<InvalidOperationException>(() => WriteAsync(Part(1), counts, moreFollow: true, failBeforeCommit: true));
        await WriteAsync(Part(2), counts, moreFollow: true);
        await WriteAsync(Part(3), counts, moreFollow: false);

        Assert.Equal(180, await ScalarAsync("SELECT COUNT(*) FROM Articles"));
        Assert.Equal(180, await ScalarAsync("SELECT SUM(Articles) FROM ArticleDays"));
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM UncountedArticles"));
        await AssertRecountChangesNothingAsync();
    }

    /// <summary>One batch through the ingestion writer, in its own transaction, as the ingestor writes it.</summary>
    private async Task WriteAsync(IReadOnlyList<GeneratedArticle> part, DeferredCounts counts, bool moreFollow, bool failBeforeCommit = false)
    {
        var extractor = _services.GetRequiredService<CuratedExtractor>();
        var rows = part.Select(g =>
        {
            var article = new Article
            {
                Title = g.Title, Text = g.Text, PublishedDate = g.Date, Source = g.Source, Url = g.Url,
                ContentHash = g.Id, IngestedAt = DateTime.UtcNow,
            };
            return ArticleWriter.Rows(article, extractor.Extract(article.Title, article.Text));
        }).ToList();
        await using var db = await _dbFactory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        try
        {
            await ArticleWriter.WriteAsync(db, rows, counts, moreFollow, CancellationToken.None);
            if (failBeforeCommit)
            {
                throw new InvalidOperationException("the batch failed before its commit");
            }
            await transaction.CommitAsync();
            counts.Committed();
        }
        catch
        {
            counts.Abandon();
            throw;
        }
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Recounting every count from the stored rows gives the counts the store holds.</summary>
    private async Task AssertRecountChangesNothingAsync()
    {
        var before = await SnapshotAsync();
        Assert.NotEmpty(before);
        await using (var db = await _dbFactory.CreateDbContextAsync())
        {
            await DailyCounts.RebuildAsync(db);
        }
        Assert.Equal(await SnapshotAsync(), before);
    }

    private async Task<List<string>> SnapshotAsync()
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        var days = await db.EntityDays.OrderBy(d => d.EntityId).ThenBy(d => d.Day).Select(d => $"day {d.EntityId} {d.Day} {d.Kind} {d.Articles} {d.Mentions} {d.FocusArticles}").ToListAsync();
        var months = await db.EntityMonths.OrderBy(d => d.EntityId).ThenBy(d => d.Month).Select(d => $"month {d.EntityId} {d.Month} {d.Kind} {d.Articles} {d.Mentions} {d.FocusArticles}").ToListAsync();
        var articles = await db.ArticleDays.OrderBy(d => d.Day).ThenBy(d => d.Source).Select(d => $"articles {d.Day} {d.Source} {d.Articles}").ToListAsync();
        return [.. days, .. months, .. articles];
    }
}
