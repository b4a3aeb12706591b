using Bunit;
using Dashboard.Web.Components.Pages;
using Dashboard.Web.Model;

namespace Dashboard.Tests.Components;

/// <summary>The list of every country, actor or topic of a view: ranked, narrowed by name, within the dashboard's filter.</summary>
public sealed class EntitiesPageTests : DashboardTestContext
{
    private static readonly DateOnly Day = new(2024, 6, 1);

    private async Task SeedAsync()
    {
        await AddArticleAsync("Iran and Algeria discuss Gaza", Day, "Press TV",
            (EntityKind.Country, "IR", "Iran", 3), (EntityKind.Country, "DZ", "Algeria", 2), (EntityKind.Person, "ebrahim-raisi", "Ebrahim Raisi", 1));
        await AddArticleAsync("Iran talks oil", Day.AddDays(1), "Reuters", (EntityKind.Country, "IR", "Iran", 1), (EntityKind.Organization, "opec", "OPEC", 1));
        await AddArticleAsync("France alone", Day.AddDays(2), "Reuters", (EntityKind.Country, "FR", "France", 1));
    }

    [Fact]
    public async Task Lists_every_country_most_articles_first_and_the_find_box_narrows_by_name()
    {
        await SeedAsync();
        Navigation.NavigateTo("/entities?kind=country");

        var cut = Render<EntitiesPage>();

        cut.WaitForAssertion(() => Assert.Equal(["country:IR", "country:DZ", "country:FR"], cut.FindAll("[data-entity-row]").Select(r => r.GetAttribute("data-entity-row"))));
        Assert.Contains("2", cut.Find("[data-entity-row='country:IR']").TextContent);
        Assert.Equal("/entities/country/IR", cut.Find("[data-entity-row='country:IR'] a").GetAttribute("href"));
        Assert.Equal("/?entity=country:IR", cut.Find("[data-entity-row='country:IR'] [data-action=filter-by]").GetAttribute("href"));

        cut.Find("#entity-search").Input("fra");
        cut.WaitForAssertion(() => Assert.Equal(["country:FR"], cut.FindAll("[data-entity-row]").Select(r => r.GetAttribute("data-entity-row"))));
        // Its rank in the whole list is kept.
        Assert.StartsWith("3", cut.Find("[data-entity-row='country:FR'] td").TextContent);
    }

    [Fact]
    public async Task Within_a_filter_the_actors_of_its_articles_are_listed_and_links_keep_the_filter()
    {
        await SeedAsync();
        Navigation.NavigateTo("/entities?kind=actor&entity=country:IR&from=2024-06-02");

        var cut = Render<EntitiesPage>();

        cut.WaitForAssertion(() => Assert.Equal(["organization:opec"], cut.FindAll("[data-entity-row]").Select(r => r.GetAttribute("data-entity-row"))));
        Assert.NotNull(cut.Find("[data-entity-list-filter]"));
        Assert.Equal("/?from=2024-06-02&entity=country:IR&entity=organization:opec", cut.Find("[data-action=filter-by]").GetAttribute("href"));
        Assert.Equal("/entities?kind=country&from=2024-06-02&entity=country:IR", cut.Find("[data-kind=country]").GetAttribute("href"));
        Assert.Equal("/?from=2024-06-02&entity=country:IR", cut.Find("[data-action=back-to-dashboard]").GetAttribute("href"));
    }

    [Fact]
    public async Task Sources_and_authors_are_listed_too_each_leading_to_the_dashboard_narrowed_to_it()
    {
        await SeedAsync();
        var byKarimi = await AddArticleAsync("Iran and Oman talk shipping", Day.AddDays(3), "Reuters", (EntityKind.Country, "IR", "Iran", 1));
        await SetAuthorAsync(byKarimi, "Sara Karimi");
        Navigation.NavigateTo("/entities?kind=source&entity=country:IR");

        var cut = Render<EntitiesPage>();

        cut.WaitForAssertion(() => Assert.Equal(["source:Reuters", "source:Press TV"], cut.FindAll("[data-entity-row]").Select(r => r.GetAttribute("data-entity-row"))));
        Assert.Equal("/?entity=country:IR&source=Reuters", cut.Find("[data-entity-row='source:Reuters'] a").GetAttribute("href"));
        Assert.Contains("2 sources", cut.Find("[data-entity-list-total]").TextContent);

        // The whole list downloads uncapped, with the view's filter.
        Assert.Equal("/api/export/sources.csv?entity=country:IR", cut.Find("[data-export=entities]").GetAttribute("href"));

        Navigation.NavigateTo("/entities?kind=author");
        cut.WaitForAssertion(() => Assert.Equal(["author:Sara Karimi"], cut.FindAll("[data-entity-row]").Select(r => r.GetAttribute("data-entity-row"))));
        Assert.Equal("/?author=Sara%20Karimi", cut.Find("[data-action=filter-by]").GetAttribute("href"));
        Assert.Equal("/api/export/authors.csv", cut.Find("[data-export=entities]").GetAttribute("href"));

        Navigation.NavigateTo("/entities?kind=actor&entity=country:IR");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-export=entities]").Count));
        Assert.Equal(["/api/export/mentions.csv?kind=person&entity=country:IR", "/api/export/mentions.csv?kind=organization&entity=country:IR"],
            cut.FindAll("[data-export=entities]").Select(a => a.GetAttribute("href")));
        Navigation.NavigateTo("/entities?kind=topic");
        cut.WaitForAssertion(() => Assert.Equal("/api/export/mentions.csv?kind=topic", cut.Find("[data-export=entities]").GetAttribute("href")));
    }

    [Fact]
    public async Task The_dashboards_country_and_actor_tiles_open_the_lists_of_its_view()
    {
        await SeedAsync();
        Navigation.NavigateTo("/?entity=country:IR");

        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() => Assert.Equal("/entities?kind=country&entity=country:IR", cut.Find("[data-summary-list=countries]").GetAttribute("href")));
        Assert.Equal("/entities?kind=actor&entity=country:IR", cut.Find("[data-summary-list=actors]").GetAttribute("href"));
        Assert.Equal("/entities?kind=source&entity=country:IR", cut.Find("[data-summary-list=sources]").GetAttribute("href"));
    }
}
