using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Data;

/// <summary>What gained and lost attention from one period to the one before, scaled by each period's volume of news.</summary>
public sealed class AttentionShiftsTests
{
    private static AttentionShifts.Counts Country(long id, int articles, int before) => new(EntityKind.Country, id, articles, before);

    [Fact]
    public void A_name_far_above_its_expected_count_rises_and_one_far_below_fades()
    {
        // Twice the news in the period: 10 before is 20 expected now.
        var (rising, fading) = AttentionShifts.Rank(
            [Country(1, 60, 10), Country(2, 20, 10), Country(3, 2, 12), Country(4, 5, 0), Country(5, 2, 0)],
            articles: 200, articlesBefore: 100, limit: 10);

        Assert.Equal([1L, 4L], rising.Select(r => r.Counts.EntityId));
        Assert.Equal(20, rising[0].Expected, 6);
        Assert.Equal((60 - 20) / Math.Sqrt(21), rising[0].Score, 6);
        // Doubled like all the news: no change of attention. Two new articles: too few to tell.
        Assert.DoesNotContain(rising.Concat(fading), r => r.Counts.EntityId is 2 or 5);
        Assert.Equal([3L], fading.Select(f => f.Counts.EntityId));
    }

    [Fact]
    public void Counts_that_moved_against_the_scaling_are_not_listed_the_other_way()
    {
        // Ten times the news: 4 before is 40 expected, and 10 is a fall in share, yet a rise in articles.
        var (rising, fading) = AttentionShifts.Rank([Country(1, 10, 4), Country(2, 6, 1)], articles: 1_000, articlesBefore: 100, limit: 10);

        Assert.Empty(rising);
        Assert.Empty(fading);
    }

    [Fact]
    public void Without_articles_before_there_is_nothing_to_compare_with_and_the_lists_keep_their_limit()
    {
        Assert.Equal((0, 0), AttentionShifts.Rank([Country(1, 50, 0)], articles: 50, articlesBefore: 0, limit: 10) is var (r, f) ? (r.Count, f.Count) : default);

        var many = Enumerable.Range(1, 30).Select(i => Country(i, 10 + i, 0)).ToList();
        var (rising, _) = AttentionShifts.Rank(many, articles: 500, articlesBefore: 500, limit: 5);
        Assert.Equal([30L, 29L, 28L, 27L, 26L], rising.Select(x => x.Counts.EntityId));
    }

    [Fact]
    public async Task A_week_of_new_coverage_rises_against_the_week_before_from_the_index_and_from_sql_alike()
    {
        await using var store = new TestStore();
        var services = await store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        // Both weeks: steady trade news from Germany and France. The second week: Chile and Peru arrive; Japan, in the first week only, goes.
        for (var day = 1; day <= 14; day++)
        {
            await queue.EnqueueAsync($"trade{day}.txt", Article(day, $"Germany and France discussed budget rules and trade tariffs in Berlin, round {day}."));
            await queue.EnqueueAsync($"more{day}.txt", Article(day, $"German and French ministers met again over trade in Paris, session {day}."));
            if (day <= 7)
            {
                await queue.EnqueueAsync($"japan{day}.txt", Article(day, $"Japan and Germany signed an export accord in Tokyo, part {day}."));
            }
            else
            {
                await queue.EnqueueAsync($"fish{day}.txt", Article(day, $"Chile and Peru argued over anchovy quotas and sales to Germany in Lima, meeting {day}."));
            }
        }
        await services.GetRequiredService<ArticleIngestor>().DrainAsync();
        var queries = services.GetRequiredService<DashboardQueries>();
        var raw = new DashboardQueries(services.GetRequiredService<IDbContextFactory<DashboardDb>>()) { UseDailyCounts = false };
        var secondWeek = new ArticleFilter { From = new DateOnly(2024, 5, 8), To = new DateOnly(2024, 5, 14) };

        foreach (var filter in new[] { secondWeek, secondWeek.WithEntity(new EntityRef(EntityKind.Country, "DE")) })
        {
            var shift = await queries.AttentionShiftAsync(filter, 8);
            Assert.NotNull(shift);
            Assert.Equal((new DateOnly(2024, 5, 1), new DateOnly(2024, 5, 7)), (shift.BeforeFrom, shift.BeforeTo));
            Assert.False(shift.DefaultPeriod);
            Assert.Contains(shift.Rising, c => c.Entity == new EntityRef(EntityKind.Country, "CL") && c.Articles == 7 && c.IsNew);
            Assert.DoesNotContain(shift.Rising.Concat(shift.Fading), c => c.Entity == new EntityRef(EntityKind.Country, "FR"));
            Assert.Contains(shift.Fading, c => c.Entity == new EntityRef(EntityKind.Country, "JP") && c is { Articles: 0, Before: 7 });
            var sql = await raw.AttentionShiftAsync(filter, 8);
            Assert.Equal(shift.Rising.Select(c => (c.Entity, c.Articles, c.Before)), sql!.Rising.Select(c => (c.Entity, c.Articles, c.Before)));
            Assert.Equal(shift.Fading.Select(c => (c.Entity, c.Articles, c.Before)), sql.Fading.Select(c => (c.Entity, c.Articles, c.Before)));
        }

        // No start date: the last week of the store against the week before.
        var latest = await queries.AttentionShiftAsync(ArticleFilter.All, 8);
        Assert.True(latest!.DefaultPeriod);
        Assert.Equal((new DateOnly(2024, 5, 8), new DateOnly(2024, 5, 14)), (latest.From, latest.To));
        Assert.Equal(await queries.AttentionShiftAsync(secondWeek, 8) is { } same ? same.Rising.Select(c => c.Entity) : [], latest.Rising.Select(c => c.Entity));

        // The first week has nothing before it.
        var first = await queries.AttentionShiftAsync(new ArticleFilter { From = new DateOnly(2024, 5, 1), To = new DateOnly(2024, 5, 7) }, 8);
        Assert.Equal(0, first!.ArticlesBefore);
        Assert.Empty(first.Rising);
    }

    [Fact]
    public async Task Counting_stories_scales_by_the_stories_of_each_period_so_wire_copies_inflate_neither_side()
    {
        await using var store = new TestStore();
        var services = await store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        for (var day = 1; day <= 14; day++)
        {
            await queue.EnqueueAsync($"trade{day}.txt", Article(day, $"Germany and France discussed budget rules and trade tariffs in Berlin, round {day}."));
        }
        // One story from Lima on 10 May, and four wire copies of it with a reporting line added.
        const string Story = "Chile and Peru argued over anchovy quotas in Lima on Friday, as fishing fleets from both countries waited in port. "
            + "The ministers of both countries met for six hours without agreeing on the catch for the coming season, officials said. "
            + "Peru wants a larger share of the southern stock, which Chile says its own fleet has fished for decades. Talks resume next week.";
        for (var copy = 0; copy < 5; copy++)
        {
            await queue.EnqueueAsync($"lima{copy}.txt", Article(10, copy == 0 ? Story : $"{Story}\n\n(Reporting by desk {copy}.)"));
        }
        await services.GetRequiredService<ArticleIngestor>().DrainAsync();
        var secondWeek = new ArticleFilter { From = new DateOnly(2024, 5, 8), To = new DateOnly(2024, 5, 14) };
        var raw = new DashboardQueries(services.GetRequiredService<IDbContextFactory<DashboardDb>>()) { UseDailyCounts = false };

        foreach (var queries in new[] { services.GetRequiredService<DashboardQueries>(), raw })
        {
            var articles = await queries.AttentionShiftAsync(secondWeek, 8);
            var stories = await queries.AttentionShiftAsync(secondWeek, 8, countStories: true);

            Assert.Equal((12, 7), (articles!.Articles, articles.ArticlesBefore));
            Assert.Equal((8, 7), (stories!.Articles, stories.ArticlesBefore));
            Assert.Equal(5, articles.Rising.Single(c => c.Entity == new EntityRef(EntityKind.Country, "CL")).Articles);
            // One story is below the three a name needs to be listed: five copies of it made Chile "rise" only when counting articles.
            Assert.DoesNotContain(stories.Rising, c => c.Entity == new EntityRef(EntityKind.Country, "CL"));
        }
    }

    [Fact]
    public async Task An_empty_store_has_no_period()
    {
        await using var store = new TestStore();
        var services = await store.StartAsync();
        Assert.Null(await services.GetRequiredService<DashboardQueries>().AttentionShiftAsync(ArticleFilter.All));
    }

    private static byte[] Article(int day, string text) => System.Text.Encoding.UTF8.GetBytes($"date 2024-05-{day:D2}\n\n{text}");
}
