using Dashboard.Web.Model;

namespace Dashboard.Tests.Model;

/// <summary>The query-string contract: the same parameter names as the API, readable, and lenient on input.</summary>
public sealed class DashboardUrlTests
{
    [Fact]
    public void Writes_the_filter_with_the_api_parameter_names_and_readable_entity_references()
    {
        var filter = new ArticleFilter
        {
            From = new DateOnly(2024, 6, 1),
            To = new DateOnly(2024, 6, 30),
            Entities = [new EntityRef(EntityKind.Country, "IR"), new EntityRef(EntityKind.Person, "ebrahim-raisi")],
            Excluded = [new EntityRef(EntityKind.Topic, "sport")],
            Source = "Press TV",
            Author = "Sara Karimi",
        };

        var url = DashboardUrl.For(filter);

        Assert.Equal("/?from=2024-06-01&to=2024-06-30&entity=country:IR&entity=person:ebrahim-raisi&exclude=topic:sport&source=Press%20TV&author=Sara%20Karimi", url);
        Assert.Equal(filter, DashboardUrl.Parse("2024-06-01", "2024-06-30", ["country:IR", "person:ebrahim-raisi"], ["topic:sport"], "Press TV", null, "Sara Karimi"));
        Assert.Equal("/", DashboardUrl.For(ArticleFilter.All));
    }

    [Fact]
    public void Reads_what_it_writes_and_drops_what_does_not_parse()
    {
        var filter = DashboardUrl.Parse("2024-06-30", "2024-06-01", ["country:ir", "nonsense", "person:ebrahim-raisi"], ["planet:mars"], "");

        Assert.Equal(new DateOnly(2024, 6, 1), filter.From);
        Assert.Equal(new DateOnly(2024, 6, 30), filter.To);
        Assert.Equal([new EntityRef(EntityKind.Country, "IR"), new EntityRef(EntityKind.Person, "ebrahim-raisi")], filter.Entities);
        Assert.Empty(filter.Excluded);
        Assert.Null(filter.Source);
        Assert.Equal(ArticleFilter.All, DashboardUrl.Parse("not-a-date", null, null, null, null));
    }

    [Fact]
    public void Trends_as_shares_survive_a_shared_link_and_anything_else_reads_as_articles()
    {
        var today = new DateOnly(2024, 6, 30);
        var view = DashboardUrl.ParseUrl("/?entity=country:IR&compare=country:IR&compare=country:IL&trend=share", today);

        Assert.True(view.TrendShare);
        Assert.Equal("/?entity=country:IR&compare=country:IR&compare=country:IL&trend=share", DashboardUrl.For(view));
        Assert.NotEqual(view, view with { TrendShare = false });
        Assert.False(DashboardUrl.ParseUrl("/?trend=percent", today).TrendShare);
        Assert.Equal("/", DashboardUrl.For(DashboardUrl.ParseUrl("/?trend=articles", today)));
    }

    [Fact]
    public void A_moving_window_is_written_as_its_length_and_read_as_the_last_days_up_to_the_day_it_is_opened()
    {
        var today = new DateOnly(2024, 6, 30);
        var view = DashboardUrl.ParseUrl("/?entity=country:IR&q=gaza&days=7&count=stories", today);

        Assert.Equal(7, view.Days);
        Assert.Equal(new DateOnly(2024, 6, 24), view.Filter.From);
        Assert.Equal(today, view.Filter.To);
        Assert.True(view.CountStories);
        Assert.Equal("/?entity=country:IR&q=gaza&days=7&count=stories", DashboardUrl.For(view));
        // Opened a week later, the same address is that week.
        Assert.Equal(new DateOnly(2024, 7, 1), DashboardUrl.ParseUrl("/?days=7", today.AddDays(7)).Filter.From);
        // The API and the exports get the dates it stands for today.
        Assert.Equal("from=2024-06-24&to=2024-06-30&entity=country:IR&q=gaza", DashboardUrl.Query(view.Filter));

        foreach (var bad in new[] { "0", "-3", "seven", "36501", "" })
        {
            var ignored = DashboardUrl.ParseUrl($"/?from=2024-01-01&days={bad}", today);
            Assert.Null(ignored.Days);
            Assert.Equal(new DateOnly(2024, 1, 1), ignored.Filter.From);
        }
    }
}
