using Dashboard.Web.Curation;
using Dashboard.Web.Data;
using Dashboard.Web.Generation;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Data;

/// <summary>
/// The writer's mention rows come grouped by entity (<see cref="MentionGroups"/>, built on the preparing side of a bulk
/// import): the store must get every row once, in the chart index's order, with the same counts and aliases.
/// </summary>
public sealed class MentionGroupsTests : IAsyncLifetime
{
    private readonly TestStore _store = new();
    private IServiceProvider _services = null!;
    private IDbContextFactory<DashboardDb> _dbFactory = null!;

    public async Task InitializeAsync()
    {
        _services = await _store.StartAsync();
        _dbFactory = _services.GetRequiredService<IDbContextFactory<DashboardDb>>();
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Grouped_rows_are_stored_once_each_in_chart_index_order_with_their_counts_and_aliases(bool groupedBeforehand)
    {
        var corpus = new CorpusGenerator().Generate(150, 5).ToList();
        var extractor = _services.GetRequiredService<CuratedExtractor>();
        var expected = new HashSet<(string Article, EntityKind Kind, string Key, int Count)>();
        var aliases = new HashSet<(EntityKind Kind, string Key, string Alias)>();
        // Two batches, so the second finds most of its entities stored already.
        foreach (var part in corpus.Chunk(75))
        {
            var rows = part.Select(g => ArticleWriter.Rows(
                new Article { Title = g.Title, Text = g.Text, PublishedDate = g.Date, Source = g.Source, Url = g.Url, ContentHash = g.Id, IngestedAt = DateTime.UtcNow },
                extractor.Extract(g.Title, g.Text))).ToList();
            foreach (var (article, mentions) in rows)
            {
                foreach (var row in mentions)
                {
                    expected.Add((article.ContentHash, row.Kind, row.Key, row.Count));
                    aliases.UnionWith(row.Aliases.Where(a => a != row.Name).Select(a => (row.Kind, row.Key, a)));
                }
            }
            var groups = groupedBeforehand ? MentionGroups.Of(rows) : null;
            await using var db = await _dbFactory.CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await ArticleWriter.WriteAsync(db, rows, null, false, CancellationToken.None, groups);
            await transaction.CommitAsync();
        }

        await using (var db = await _dbFactory.CreateDbContextAsync())
        {
            var stored = await db.Mentions.OrderBy(m => m.Id)
                .Select(m => new { m.Id, m.EntityId, m.PublishedDate, m.ArticleId, m.Article!.ContentHash, m.Entity!.Kind, m.Entity.Key, m.Count })
                .ToListAsync();
            Assert.Equal(expected.Count, stored.Count);
            Assert.True(expected.SetEquals(stored.Select(m => (m.ContentHash, m.Kind, m.Key, m.Count))));
            // Within each batch (ids below and above the first of the second batch), rows follow (entity, date, article).
            var firstOfSecond = stored.Min(m => m.ArticleId) + 75;
            foreach (var batch in stored.GroupBy(m => m.ArticleId < firstOfSecond))
            {
                var order = batch.Select(m => (m.EntityId, m.PublishedDate, m.ArticleId)).ToList();
                Assert.Equal(order.Order().ToList(), order);
            }
            var storedAliases = await db.EntityAliases.Join(db.Entities, a => a.EntityId, e => e.Id, (a, e) => new { e.Kind, e.Key, a.Name }).ToListAsync();
            Assert.True(aliases.SetEquals(storedAliases.Select(a => (a.Kind, a.Key, a.Name))));
            Assert.NotEmpty(aliases);
        }

        // The counts written from the groups are what a recount from the stored mentions gives.
        var before = await CountsAsync();
        Assert.NotEmpty(before);
        await using (var db = await _dbFactory.CreateDbContextAsync())
        {
            await DailyCounts.RebuildAsync(db);
        }
        Assert.Equal(await CountsAsync(), before);
    }

    [Fact]
    public void An_other_name_read_in_two_articles_is_one_string_held_by_both_rows()
    {
        var extractor = _services.GetRequiredService<CuratedExtractor>();
        string Alias(string text)
        {
            var article = new Article { Title = "Talks resume", Text = text, PublishedDate = new DateOnly(2024, 6, 1), ContentHash = text, IngestedAt = DateTime.UtcNow };
            return ArticleWriter.Rows(article, extractor.Extract(article.Title, article.Text)).Mentions.Single(m => m.Key == "IR").Aliases.Single(a => a == "Iranian");
        }
        var first = Alias("Iranian diplomats said on Monday that Iran would resume the talks next week.");
        var second = Alias("Iran's foreign minister told Iranian television on Tuesday that the talks would resume.");
        Assert.Same(first, second);
    }

    [Fact]
    public void Rows_are_one_per_entity_and_one_per_distinct_topic_with_none_left_blank()
    {
        var article = new Article { Title = "Talks", Text = "Iran and Algeria. Iran again.", PublishedDate = new DateOnly(2024, 6, 1), ContentHash = "t", IngestedAt = DateTime.UtcNow };
        var extraction = new Dashboard.Web.Extraction.ExtractionResult(
            [
                new(EntityKind.Country, "IR", "Iran", 0, 4, "name"),
                new(EntityKind.Country, "DZ", "Algeria", 9, 16, "name"),
                new(EntityKind.Country, "IR", "Iran", 18, 22, "name"),
            ],
            ["IR"],
            // The same topic twice: the rows are sized for three topics and hold two.
            [new("diplomacy", "Diplomacy", 0.9), new("conflict", "Conflict", 0.5), new("diplomacy", "Diplomacy", 0.9)]);

        var rows = ArticleWriter.Rows(article, extraction).Mentions;

        Assert.Equal(
            [(EntityKind.Country, "IR", 2, true), (EntityKind.Country, "DZ", 1, false), (EntityKind.Topic, "diplomacy", 1, true), (EntityKind.Topic, "conflict", 1, true)],
            rows.Select(r => (r.Kind, r.Key, r.Count, r.IsFocus)).ToList());
    }

    private async Task<List<string>> CountsAsync()
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        var days = await db.EntityDays.OrderBy(d => d.EntityId).ThenBy(d => d.Day).Select(d => $"day {d.EntityId} {d.Day} {d.Articles} {d.Mentions} {d.FocusArticles}").ToListAsync();
        var months = await db.EntityMonths.OrderBy(d => d.EntityId).ThenBy(d => d.Month).Select(d => $"month {d.EntityId} {d.Month} {d.Articles} {d.Mentions} {d.FocusArticles}").ToListAsync();
        return [.. days, .. months];
    }
}
