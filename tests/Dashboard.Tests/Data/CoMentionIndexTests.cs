using Dashboard.Web.Benchmarks;
using Dashboard.Web.Curation;
using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Data;

/// <summary>The in-memory co-mention index counts what a join over the mention rows counts, as the store changes under it.</summary>
public sealed class CoMentionIndexTests : IAsyncLifetime
{
    private readonly TestStore _store = new();
    private IServiceProvider _services = null!;
    private IDbContextFactory<DashboardDb> _dbFactory = null!;
    private CoMentionIndex _index = null!;

    public async Task InitializeAsync()
    {
        _services = await _store.StartAsync();
        _dbFactory = _services.GetRequiredService<IDbContextFactory<DashboardDb>>();
        _index = new CoMentionIndex(_dbFactory);
        await BenchCorpus.IngestAsync(_services, 300, 5);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Counts_equal_a_recount_from_mentions_after_appends_a_merge_and_re_extraction()
    {
        await AssertRecountAsync("after the first load");

        // Loaded: what is stored next reaches the index as an append, without a reload.
        await BenchCorpus.IngestAsync(_services, 150, 6);
        await AssertRecountAsync("after more articles were appended");

        var people = await TopAsync(EntityKind.Person, 2);
        await _services.GetRequiredService<EntityCuration>().MergeAsync(
            new EntityRef(EntityKind.Person, people[1].Key), new EntityRef(EntityKind.Person, people[0].Key));
        await AssertRecountAsync("after a merge");

        await _services.GetRequiredService<Reextraction>().RunAsync(CancellationToken.None);
        await AssertRecountAsync("after re-extraction");
    }

    [Fact]
    public async Task An_unknown_included_entity_matches_nothing_and_an_unknown_excluded_one_removes_nothing()
    {
        var country = await EntityIdAsync((await TopAsync(EntityKind.Country, 1))[0].Key);
        var (none, all) = (await _index.ReadAsync(reader =>
        {
            using var unknown = reader.Match(null, null, [country, null], []);
            using var alone = reader.Match(null, null, [country], [-1]);
            return Tuple.Create(unknown.Count, alone.Count);
        }, CancellationToken.None))!;
        Assert.Equal(0, none);
        await using var db = await _dbFactory.CreateDbContextAsync();
        Assert.Equal(await db.Mentions.CountAsync(m => m.EntityId == country), all);
    }

    private async Task AssertRecountAsync(string when)
    {
        DateOnly newest;
        await using (var db = await _dbFactory.CreateDbContextAsync())
        {
            newest = await db.Articles.MaxAsync(a => a.PublishedDate);
        }
        var countries = await TopAsync(EntityKind.Country, 2);
        var person = (await TopAsync(EntityKind.Person, 1))[0].Key;
        var first = await EntityIdAsync(countries[0].Key);
        var second = await EntityIdAsync(countries[1].Key);
        var personId = await EntityIdAsync(person, EntityKind.Person);
        var windows = new (DateOnly? From, DateOnly? To)[] { (null, null), (newest.AddDays(-89), newest), (newest.AddDays(-400), newest.AddDays(-30)) };
        var filters = new (long?[] Included, long[] Excluded)[] { ([first], []), ([first, second], []), ([first], [second]), ([personId, first], [second]) };
        foreach (var (from, to) in windows)
        {
            foreach (var (included, excluded) in filters)
            {
                var what = $"{when}, {from}..{to}, +{string.Join(",", included)} -{string.Join(",", excluded)}";
                var expected = await RecountAsync(from, to, included, excluded);
                var actual = (await _index.ReadAsync(reader =>
                {
                    using var matches = reader.Match(from, to, included, excluded);
                    return new Recount(
                        matches.Count,
                        Enum.GetValues<EntityKind>().ToDictionary(k => k, k => reader.Counts(matches, k, CountMeasure.Articles).OrderBy(c => c.EntityId).ToList()),
                        reader.Counts(matches, EntityKind.Country, CountMeasure.FocusArticles).OrderBy(c => c.EntityId).ToList(),
                        Enum.GetValues<EntityKind>().ToDictionary(k => k, k => reader.Counts(matches, k, CountMeasure.Mentions).OrderBy(c => c.EntityId).ToList()),
                        Enum.GetValues<EntityKind>().ToDictionary(k => k, k => reader.Distinct(matches, k)),
                        reader.Days(matches));
                }, CancellationToken.None))!;
                Assert.True(expected.Articles == actual.Articles, "articles " + what);
                foreach (var kind in Enum.GetValues<EntityKind>())
                {
                    Assert.True(expected.Counts[kind].SequenceEqual(actual.Counts[kind]), $"{kind} counts {what}");
                    Assert.True(expected.Occurrences[kind].SequenceEqual(actual.Occurrences[kind]), $"{kind} occurrences {what}");
                    Assert.True(expected.Distinct[kind] == actual.Distinct[kind], $"distinct {kind} {what}");
                }
                Assert.True(expected.Focus.SequenceEqual(actual.Focus), "focus countries " + what);
                Assert.True(expected.Days.SequenceEqual(actual.Days), "days " + what);
            }
        }
    }

    private sealed record Recount(int Articles, Dictionary<EntityKind, List<(long EntityId, int Count)>> Counts, List<(long EntityId, int Count)> Focus,
        Dictionary<EntityKind, List<(long EntityId, int Count)>> Occurrences, Dictionary<EntityKind, int> Distinct, List<VolumePoint> Days);

    /// <summary>The same numbers from the mention rows: the articles of the filter, then what they mention.</summary>
    private async Task<Recount> RecountAsync(DateOnly? from, DateOnly? to, long?[] included, long[] excluded)
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        var articles = db.Articles.AsQueryable();
        if (from is { } f)
        {
            articles = articles.Where(a => a.PublishedDate >= f);
        }
        if (to is { } t)
        {
            articles = articles.Where(a => a.PublishedDate <= t);
        }
        foreach (var id in included)
        {
            articles = articles.Where(a => db.Mentions.Any(m => m.ArticleId == a.Id && m.EntityId == id));
        }
        foreach (var id in excluded)
        {
            articles = articles.Where(a => !db.Mentions.Any(m => m.ArticleId == a.Id && m.EntityId == id));
        }
        var ids = await articles.Select(a => a.Id).ToListAsync();
        var mentions = await db.Mentions.Where(m => ids.Contains(m.ArticleId))
            .Select(m => new { m.EntityId, m.Entity!.Kind, m.IsFocus, m.Count }).ToListAsync();
        var days = await articles.GroupBy(a => a.PublishedDate).Select(g => new { g.Key, Count = g.Count() }).OrderBy(g => g.Key).ToListAsync();
        return new Recount(
            ids.Count,
            Enum.GetValues<EntityKind>().ToDictionary(k => k, k => mentions.Where(m => m.Kind == k).GroupBy(m => m.EntityId)
                .Select(g => (g.Key, g.Count())).OrderBy(c => c.Key).ToList()),
            mentions.Where(m => m.Kind == EntityKind.Country && m.IsFocus).GroupBy(m => m.EntityId).Select(g => (g.Key, g.Count())).OrderBy(c => c.Key).ToList(),
            Enum.GetValues<EntityKind>().ToDictionary(k => k, k => mentions.Where(m => m.Kind == k).GroupBy(m => m.EntityId)
                .Select(g => (g.Key, g.Sum(m => m.Count))).OrderBy(c => c.Key).ToList()),
            Enum.GetValues<EntityKind>().ToDictionary(k => k, k => mentions.Where(m => m.Kind == k).Select(m => m.EntityId).Distinct().Count()),
            days.Select(d => new VolumePoint(d.Key, d.Count)).ToList());
    }

    private async Task<IReadOnlyList<EntityCount>> TopAsync(EntityKind kind, int limit) =>
        await new DashboardQueries(_dbFactory) { UseDailyCounts = false }.TopEntitiesAsync(kind, ArticleFilter.All, limit);

    private async Task<long> EntityIdAsync(string key, EntityKind kind = EntityKind.Country)
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        return await db.Entities.Where(e => e.Kind == kind && e.Key == key).Select(e => e.Id).SingleAsync();
    }
}
