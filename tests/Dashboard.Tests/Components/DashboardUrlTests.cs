using Dashboard.Web.Components.Pages;
using Dashboard.Web.Model;

namespace Dashboard.Tests.Components;

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
}
