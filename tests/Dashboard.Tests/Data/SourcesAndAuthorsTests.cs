using System.Text;
using System.Text.Json;
using Dashboard.Web.Data;
using Dashboard.Web.Generation;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Data;

/// <summary>
/// The sources and authors charts count what a plain count over the articles gives, on every path (daily counts,
/// co-mention index, SQL), and the author filter answered from the index matches the one answered in SQL.
/// </summary>
public sealed class SourcesAndAuthorsTests : IAsyncLifetime
{
    private static readonly string?[] Bylines = ["Sara Karimi", "Tom Brandt", "Amina Diallo", "Li Wei", null, "Ólafur Jónsson", null];

    private readonly TestStore _store = new();
    private IServiceProvider _services = null!;
    private IDbContextFactory<DashboardDb> _dbFactory = null!;
    private DashboardQueries _fast = null!;
    private DashboardQueries _sql = null!;

    public async Task InitializeAsync()
    {
        _services = await _store.StartAsync();
        _dbFactory = _services.GetRequiredService<IDbContextFactory<DashboardDb>>();
        _fast = _services.GetRequiredService<DashboardQueries>();
        _sql = new DashboardQueries(_dbFactory) { UseDailyCounts = false };
        await IngestAsync(240, seed: 11);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    /// <summary>Generated articles as one JSON Lines upload, with a byline on most (a few outlets, Zipf-like, from the generator).</summary>
    private async Task IngestAsync(int count, int seed)
    {
        var random = new Random(seed);
        var lines = new StringBuilder();
        foreach (var article in new CorpusGenerator().Generate(count, seed))
        {
            lines.AppendLine(JsonSerializer.Serialize(new
            {
                title = article.Title,
                text = article.Text,
                date = article.Date.ToString("yyyy-MM-dd"),
                source = article.Source,
                url = article.Url,
                author = Bylines[random.Next(Bylines.Length)],
            }));
        }
        await _services.GetRequiredService<IngestQueue>().EnqueueAsync($"corpus-{seed}.jsonl", Encoding.UTF8.GetBytes(lines.ToString()));
        await _services.GetRequiredService<ArticleIngestor>().DrainAsync();
    }

    [Fact]
    public async Task Sources_and_authors_equal_a_count_over_the_articles_on_every_path_and_after_more_arrive()
    {
        await AssertCountsAsync("after the first upload");
        await IngestAsync(90, seed: 12);
        await AssertCountsAsync("after more articles were appended");
    }

    [Fact]
    public async Task The_author_filter_from_the_index_matches_the_one_in_SQL()
    {
        foreach (var filter in await FiltersAsync())
        {
            var byAuthor = filter with { Author = "Sara Karimi" };
            var what = $"{byAuthor.From}..{byAuthor.To} {string.Join(",", byAuthor.Entities)} {byAuthor.Text}";
            Assert.Equal(await _sql.SummaryAsync(byAuthor), await _fast.SummaryAsync(byAuthor));
            Assert.Equal((await _sql.VolumeAsync(byAuthor)).ToList(), (await _fast.VolumeAsync(byAuthor)).ToList());
            Assert.True((await _sql.TopEntitiesAsync(EntityKind.Country, byAuthor, 20)).SequenceEqual(await _fast.TopEntitiesAsync(EntityKind.Country, byAuthor, 20)), "countries " + what);
            var sql = await _sql.TimelineAsync(byAuthor, 0, 20);
            var fast = await _fast.TimelineAsync(byAuthor, 0, 20);
            Assert.Equal(sql.Total, fast.Total);
            Assert.Equal(sql.Articles.Select(a => a.Id), fast.Articles.Select(a => a.Id));
            Assert.All(fast.Articles, a => Assert.Equal("Sara Karimi", a.Author));
            Assert.Equal((await _sql.VolumeSeriesAsync(byAuthor)).Points, (await _fast.VolumeSeriesAsync(byAuthor)).Points);
            Assert.True((await _sql.TopActorsAsync(byAuthor, 10, false, countStories: true)).SequenceEqual(await _fast.TopActorsAsync(byAuthor, 10, false, countStories: true)), "actors, stories " + what);
            var compared = (await _sql.TopEntitiesAsync(EntityKind.Country, ArticleFilter.All, 2)).Select(c => new EntityRef(EntityKind.Country, c.Key)).ToList();
            Assert.Equal((await _sql.TrendsAsync(compared, byAuthor)).Series.Select(t => string.Join(",", t.Counts)), (await _fast.TrendsAsync(compared, byAuthor)).Series.Select(t => string.Join(",", t.Counts)));
            if (sql.Articles.Count > 3)
            {
                var cursor = new TimelineCursor(sql.Articles[2].PublishedDate, sql.Articles[2].Id);
                Assert.Equal((await _sql.TimelineAfterAsync(byAuthor, cursor, 10)).Select(a => a.Id), (await _fast.TimelineAfterAsync(byAuthor, cursor, 10)).Select(a => a.Id));
            }
        }
        Assert.Equal(0, (await _fast.SummaryAsync(new ArticleFilter { Author = "Nobody Known" })).Articles);
    }

    [Fact]
    public async Task A_byline_filled_in_after_storing_reaches_the_authors_chart()
    {
        Assert.NotEmpty(await _fast.TopAuthorsAsync(ArticleFilter.All));
        long id;
        await using (var db = await _dbFactory.CreateDbContextAsync())
        {
            id = await db.Articles.Where(a => a.Author == null).OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.Articles.Where(a => a.Id == id).ExecuteUpdateAsync(a => a.SetProperty(x => x.Author, "Late Byline"));
            await DailyCounts.MarkEditedAsync(db, CancellationToken.None);
            await transaction.CommitAsync();
        }

        Assert.Contains(new NamedCount("Late Byline", 1), await _fast.TopAuthorsAsync(ArticleFilter.All, 100));
        Assert.Equal(id, Assert.Single((await _fast.TimelineAsync(new ArticleFilter { Author = "Late Byline" }, 0, 5)).Articles).Id);
    }

    private async Task AssertCountsAsync(string when)
    {
        var sawSources = false;
        var sawAuthors = false;
        foreach (var filter in await FiltersAsync())
        {
            var what = $"{when}, {filter.From}..{filter.To} {string.Join(",", filter.Entities)} {filter.Text} {filter.Source}";
            var (sources, authors) = await CountAsync(filter);
            foreach (var limit in new[] { 3, 1000 })
            {
                var expectedSources = sources.Take(limit).ToList();
                var expectedAuthors = authors.Take(limit).ToList();
                Assert.True(expectedSources.SequenceEqual(await _fast.TopSourcesAsync(filter, limit)), $"sources (fast, top {limit}) {what}");
                Assert.True(expectedSources.SequenceEqual(await _sql.TopSourcesAsync(filter, limit)), $"sources (SQL, top {limit}) {what}");
                Assert.True(expectedAuthors.SequenceEqual(await _fast.TopAuthorsAsync(filter, limit)), $"authors (fast, top {limit}) {what}");
                Assert.True(expectedAuthors.SequenceEqual(await _sql.TopAuthorsAsync(filter, limit)), $"authors (SQL, top {limit}) {what}");
            }
            sawSources |= sources.Count > 1;
            sawAuthors |= authors.Count > 1;
        }
        // The filters reach articles with several outlets and bylines, so the comparisons above rank something.
        Assert.True(sawSources && sawAuthors);
    }

    /// <summary>The expected bars: the articles the filter shows (its timeline, read in full), grouped by outlet and by byline.</summary>
    private async Task<(List<NamedCount> Sources, List<NamedCount> Authors)> CountAsync(ArticleFilter filter)
    {
        var ids = (await _sql.TimelineAsync(filter, 0, 100_000)).Articles.Select(a => a.Id).ToList();
        await using var db = await _dbFactory.CreateDbContextAsync();
        var rows = await db.Articles.Where(a => ids.Contains(a.Id)).Select(a => new { a.Source, a.Author }).ToListAsync();
        static List<NamedCount> Rank(IEnumerable<string?> names) => names.OfType<string>().GroupBy(n => n)
            .Select(g => new NamedCount(g.Key, g.Count()))
            .OrderByDescending(c => c.Articles).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        return (Rank(rows.Select(r => r.Source)), Rank(rows.Select(r => r.Author)));
    }

    private async Task<IReadOnlyList<ArticleFilter>> FiltersAsync()
    {
        DateOnly newest, oldest;
        string source;
        await using (var db = await _dbFactory.CreateDbContextAsync())
        {
            newest = await db.Articles.MaxAsync(a => a.PublishedDate);
            oldest = await db.Articles.MinAsync(a => a.PublishedDate);
            source = await db.Articles.Where(a => a.Source != null).GroupBy(a => a.Source!).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
        }
        var top = (await _sql.TopEntitiesAsync(EntityKind.Country, ArticleFilter.All, 1))[0];
        var country = new EntityRef(EntityKind.Country, top.Key);
        var middle = oldest.AddDays((newest.DayNumber - oldest.DayNumber) / 2);
        return
        [
            ArticleFilter.All,
            new ArticleFilter { From = middle, To = newest },
            new ArticleFilter { To = middle },
            ArticleFilter.All.WithEntity(country),
            new ArticleFilter { From = middle }.WithExcluded(country),
            new ArticleFilter { Text = $"\"{top.Name}\"" },
            new ArticleFilter { Source = source },
            new ArticleFilter { Source = source, From = middle }.WithEntity(country),
            new ArticleFilter { Source = "No Such Source" },
        ];
    }
}
