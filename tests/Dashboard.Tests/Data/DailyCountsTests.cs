using Dashboard.Web.Benchmarks;
using Dashboard.Web.Curation;
using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Data;

/// <summary>The pre-aggregated daily counts give the numbers counting articles and mentions gives, before and after curation.</summary>
public sealed class DailyCountsTests : IAsyncLifetime
{
    private readonly TestStore _store = new();
    private IServiceProvider _services = null!;
    private IDbContextFactory<DashboardDb> _dbFactory = null!;
    private DashboardQueries _aggregated = null!;
    private DashboardQueries _raw = null!;

    public async Task InitializeAsync()
    {
        _services = await _store.StartAsync();
        _dbFactory = _services.GetRequiredService<IDbContextFactory<DashboardDb>>();
        _aggregated = _services.GetRequiredService<DashboardQueries>();
        _raw = new DashboardQueries(_dbFactory) { UseDailyCounts = false };
        await BenchCorpus.IngestAsync(_services, 400, 3);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Aggregated_and_raw_counts_agree_after_ingestion_a_merge_and_re_extraction()
    {
        Assert.True(await CountOfAsync(db => db.EntityMonths) > 0);
        // Near-duplicates were linked, so counting stories differs from counting articles.
        Assert.True(await CountOfAsync(db => db.Articles.Where(a => a.StoryId != null)) > 0);
        await AssertSameAsync("after ingestion");
        await AssertRebuildChangesNothingAsync();

        var people = await _raw.TopEntitiesAsync(EntityKind.Person, ArticleFilter.All, 2);
        await _services.GetRequiredService<EntityCuration>().MergeAsync(
            new EntityRef(EntityKind.Person, people[1].Key), new EntityRef(EntityKind.Person, people[0].Key));
        await AssertSameAsync("after a merge");
        await AssertRebuildChangesNothingAsync();

        await _services.GetRequiredService<Reextraction>().RunAsync(CancellationToken.None);
        await AssertSameAsync("after re-extraction");
        await AssertRebuildChangesNothingAsync();
    }

    private async Task<int> CountOfAsync<T>(Func<DashboardDb, IQueryable<T>> table)
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        return await table(db).CountAsync();
    }

    private async Task<IReadOnlyList<ArticleFilter>> FiltersAsync()
    {
        DateOnly newest, oldest;
        await using (var db = await _dbFactory.CreateDbContextAsync())
        {
            newest = await db.Articles.MaxAsync(a => a.PublishedDate);
            oldest = await db.Articles.MinAsync(a => a.PublishedDate);
        }
        var top = (await _raw.TopEntitiesAsync(EntityKind.Country, ArticleFilter.All, 1))[0];
        var country = new EntityRef(EntityKind.Country, top.Key);
        var search = $"\"{top.Name}\"";
        var person = new EntityRef(EntityKind.Person, (await _raw.TopEntitiesAsync(EntityKind.Person, ArticleFilter.All, 1))[0].Key);
        var middle = oldest.AddDays((newest.DayNumber - oldest.DayNumber) / 2);
        var monthStart = new DateOnly(middle.Year, middle.Month, 1);
        return
        [
            ArticleFilter.All,
            new ArticleFilter { From = newest.AddDays(-6), To = newest },
            new ArticleFilter { From = newest.AddDays(-89), To = newest },
            new ArticleFilter { From = middle.AddDays(-200), To = middle.AddDays(45) },
            new ArticleFilter { From = monthStart.AddMonths(-3), To = monthStart.AddDays(-1) },
            new ArticleFilter { From = middle },
            new ArticleFilter { To = middle },
            new ArticleFilter { From = middle, To = middle.AddDays(10) },
            ArticleFilter.All.WithEntity(country),
            new ArticleFilter { From = middle.AddDays(-120), To = middle.AddDays(30) }.WithEntity(person),
            ArticleFilter.All.WithEntity(new EntityRef(EntityKind.Country, "ZZ")),
            ArticleFilter.All.WithEntity(country).WithEntity(person),
            new ArticleFilter { From = middle.AddDays(-300), To = middle }.WithEntity(person).WithExcluded(country),
            ArticleFilter.All.WithEntity(country).WithExcluded(new EntityRef(EntityKind.Country, "ZZ")),
            ArticleFilter.All.WithExcluded(country),
            new ArticleFilter { Text = search },
            new ArticleFilter { From = middle.AddDays(-300), To = middle, Text = search }.WithEntity(person),
            new ArticleFilter { Text = search }.WithExcluded(person),
            new ArticleFilter { Source = "No Such Source" },
        ];
    }

    private async Task AssertSameAsync(string when)
    {
        foreach (var filter in await FiltersAsync())
        {
            var what = $"{when}, {filter.From}..{filter.To} {string.Join(",", filter.Entities)}";
            Assert.True(Same(await _raw.VolumeAsync(filter), await _aggregated.VolumeAsync(filter)), "volume " + what);
            Assert.True(Same((await _raw.VolumeSeriesAsync(filter)).Points, (await _aggregated.VolumeSeriesAsync(filter)).Points), "volume series " + what);
            Assert.Equal(await _raw.SummaryAsync(filter), await _aggregated.SummaryAsync(filter));
            foreach (var kind in Enum.GetValues<EntityKind>())
            {
                foreach (var (mentions, focus, stories) in new[] { (false, false, false), (true, false, false), (false, true, false), (true, true, false), (false, false, true), (false, true, true) })
                {
                    Assert.True(Same(await _raw.TopEntitiesAsync(kind, filter, 500, mentions, focus, countStories: stories), await _aggregated.TopEntitiesAsync(kind, filter, 500, mentions, focus, countStories: stories)),
                        $"top {kind} mentions={mentions} focus={focus} stories={stories} {what}");
                    Assert.True(Same(await _raw.TopEntitiesAsync(kind, filter, 5, mentions, focus, countStories: stories), await _aggregated.TopEntitiesAsync(kind, filter, 5, mentions, focus, countStories: stories)),
                        $"top 5 {kind} mentions={mentions} focus={focus} stories={stories} {what}");
                }
            }
            Assert.True(Same(await _raw.TopActorsAsync(filter, 10), await _aggregated.TopActorsAsync(filter, 10)), "actors " + what);
            Assert.True(Same(await _raw.TopActorsAsync(filter, 10, false, countStories: true), await _aggregated.TopActorsAsync(filter, 10, false, countStories: true)), "actors, stories " + what);
            foreach (var skip in new[] { 0, 7 })
            {
                var raw = await _raw.TimelineAsync(filter, skip, 15);
                var aggregated = await _aggregated.TimelineAsync(filter, skip, 15);
                Assert.Equal(raw.Total, aggregated.Total);
                Assert.Equal(raw.Articles.Select(a => (a.Id, a.Title, string.Join(",", a.Entities))), aggregated.Articles.Select(a => (a.Id, a.Title, string.Join(",", a.Entities))));
            }
            // One row per story, as when counting stories: the index's collapse against SQL's.
            foreach (var skip in new[] { 0, 4 })
            {
                var raw = await _raw.TimelineAsync(filter, skip, 15, oneRowPerStory: true);
                var aggregated = await _aggregated.TimelineAsync(filter, skip, 15, oneRowPerStory: true);
                Assert.True(raw.Total == aggregated.Total, "stories total " + what);
                Assert.True(raw.Articles.Select(a => a.Id).SequenceEqual(aggregated.Articles.Select(a => a.Id)), "stories page " + what);
            }
            var firstStories = await _raw.TimelineAsync(filter, 0, 5, oneRowPerStory: true);
            if (firstStories.Articles.Count > 0)
            {
                var cursor = new TimelineCursor(firstStories.Articles[^1].PublishedDate, firstStories.Articles[^1].Id);
                Assert.True((await _raw.TimelineAfterAsync(filter, cursor, 12, oneRowPerStory: true)).Select(a => a.Id)
                    .SequenceEqual((await _aggregated.TimelineAfterAsync(filter, cursor, 12, oneRowPerStory: true)).Select(a => a.Id)), "stories after " + what);
            }
            var first = await _raw.TimelineAsync(filter, 0, 5);
            if (first.Articles.Count > 0)
            {
                var cursor = new TimelineCursor(first.Articles[^1].PublishedDate, first.Articles[^1].Id);
                Assert.Equal((await _raw.TimelineAfterAsync(filter, cursor, 12)).Select(a => a.Id), (await _aggregated.TimelineAfterAsync(filter, cursor, 12)).Select(a => a.Id));
            }
        }
    }

    private static bool Same<T>(IEnumerable<T> expected, IEnumerable<T> actual) => expected.SequenceEqual(actual);

    [Fact]
    public async Task Entity_pickers_rank_by_the_monthly_counts_as_by_the_mentions()
    {
        foreach (var text in new[] { "a", "an", "the", "ia" })
        {
            Assert.Equal(await _raw.FindEntitiesAsync(text, Enum.GetValues<EntityKind>()), await _aggregated.FindEntitiesAsync(text, Enum.GetValues<EntityKind>()));
        }
    }

    /// <summary>The counts kept up batch by batch equal the counts recomputed from scratch.</summary>
    private async Task AssertRebuildChangesNothingAsync()
    {
        var before = await SnapshotAsync();
        await using (var db = await _dbFactory.CreateDbContextAsync())
        {
            await DailyCounts.RebuildAsync(db);
        }
        var after = await SnapshotAsync();
        Assert.Equal(after.Days, before.Days);
        Assert.Equal(after.Months, before.Months);
        Assert.Equal(after.Articles, before.Articles);
    }

    private async Task<(List<string> Days, List<string> Months, List<string> Articles)> SnapshotAsync()
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        var days = await db.EntityDays.OrderBy(d => d.EntityId).ThenBy(d => d.Day).Select(d => $"{d.EntityId} {d.Day} {d.Kind} {d.Articles} {d.Mentions} {d.FocusArticles}").ToListAsync();
        var months = await db.EntityMonths.OrderBy(d => d.EntityId).ThenBy(d => d.Month).Select(d => $"{d.EntityId} {d.Month} {d.Kind} {d.Articles} {d.Mentions} {d.FocusArticles}").ToListAsync();
        var articles = await db.ArticleDays.OrderBy(d => d.Day).ThenBy(d => d.Source).Select(d => $"{d.Day} {d.Source} {d.Articles}").ToListAsync();
        return (days, months, articles);
    }
}

/// <summary>Stores made before the count tables were clustered keep their counts, and new articles add to them.</summary>
public sealed class DailyCountsUpgradeTests
{
    [Fact]
    public async Task Upgrading_keeps_every_count_and_the_next_articles_add_to_the_same_rows()
    {
        await using var store = new TestStore();
        var options = new DbContextOptionsBuilder<DashboardDb>().UseDashboardSqlite($"Data Source={store.DatabasePath}").Options;
        await using (var old = new DashboardDb(options))
        {
            // The store as the previous version left it: count tables with a rowid and a covering index.
            await old.GetService<IMigrator>().MigrateAsync("20261127102517_SearchIndexedByWriter");
            await old.Database.ExecuteSqlRawAsync(
                "INSERT INTO Entities (Id, Kind, Key, Name) VALUES (1, 0, 'IR', 'Iran'), (2, 0, 'DZ', 'Algeria');" +
                "INSERT INTO EntityDays (EntityId, Day, Kind, Articles, Mentions, FocusArticles) VALUES (1, '2024-06-01', 0, 5, 9, 2), (2, '2024-05-31', 0, 1, 1, 0);" +
                "INSERT INTO EntityMonths (EntityId, Month, Kind, Articles, Mentions, FocusArticles) VALUES (1, '2024-06-01', 0, 5, 9, 2), (2, '2024-05-01', 0, 1, 1, 0);");
        }

        var services = await store.StartAsync();
        var factory = services.GetRequiredService<IDbContextFactory<DashboardDb>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            foreach (var table in new[] { "EntityDays", "EntityMonths" })
            {
                var sql = await db.Database.SqlQueryRaw<string>("SELECT sql AS Value FROM sqlite_master WHERE name = {0}", table).SingleAsync();
                Assert.Contains("WITHOUT ROWID", sql);
            }
            Assert.Equal(2, await db.EntityDays.CountAsync());
            Assert.Equal((5, 9, 2), await db.EntityDays.Where(d => d.EntityId == 1).Select(d => ValueTuple.Create(d.Articles, d.Mentions, d.FocusArticles)).SingleAsync());
        }

        // The seed (2024-06-01) names Iran and Algeria: its counts land on the rows that were there.
        await services.GetRequiredService<IngestQueue>().EnqueueAsync("seed.txt", await File.ReadAllBytesAsync(TestPaths.SeedArticle));
        await services.GetRequiredService<ArticleIngestor>().DrainAsync();
        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.Equal(6, await db.EntityDays.Where(d => d.EntityId == 1 && d.Day == new DateOnly(2024, 6, 1)).Select(d => d.Articles).SingleAsync());
            Assert.Equal(6, await db.EntityMonths.Where(m => m.EntityId == 1 && m.Month == new DateOnly(2024, 6, 1)).Select(m => m.Articles).SingleAsync());
            Assert.Equal(1, await db.EntityDays.Where(d => d.EntityId == 2 && d.Day == new DateOnly(2024, 6, 1)).Select(d => d.Articles).SingleAsync());
            Assert.Equal(1, await db.EntityDays.Where(d => d.EntityId == 2 && d.Day == new DateOnly(2024, 5, 31)).Select(d => d.Articles).SingleAsync());
        }
    }
}
