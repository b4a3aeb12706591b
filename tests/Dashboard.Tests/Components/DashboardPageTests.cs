using Bunit;
using Dashboard.Web.Components.Charts;
using Dashboard.Web.Components.Pages;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Components;

/// <summary>The dashboard shows what is stored, follows the filter in the URL, and writes clicks back to it.</summary>
public sealed class DashboardPageTests : DashboardTestContext
{
    private static readonly DateOnly Day = new(2024, 6, 1);

    private async Task SeedAsync()
    {
        await AddArticleAsync("Iran and Algeria discuss Gaza", Day, "Press TV",
            (EntityKind.Country, "IR", "Iran", 3), (EntityKind.Country, "DZ", "Algeria", 2),
            (EntityKind.Person, "ebrahim-raisi", "Ebrahim Raisi", 1), (EntityKind.Topic, "diplomacy", "Diplomacy", 1));
        await AddArticleAsync("France and Germany sign a trade accord", Day.AddDays(1), "Reuters",
            (EntityKind.Country, "FR", "France", 2), (EntityKind.Country, "DE", "Germany", 1),
            (EntityKind.Organization, "united-nations", "United Nations", 1), (EntityKind.Topic, "trade", "Trade", 1));
    }

    [Fact]
    public async Task Shows_stored_articles_in_the_timeline_and_their_countries_in_the_chart_data()
    {
        await SeedAsync();

        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(2, cut.FindAll("[data-article-id]").Count);
            Assert.Contains("Iran and Algeria discuss Gaza", cut.Find("[data-timeline]").TextContent);
            var countries = cut.Find("[data-chart=countries] table.chart-data").TextContent;
            foreach (var country in new[] { "Iran", "Algeria", "France", "Germany" })
            {
                Assert.Contains(country, countries);
            }
            Assert.Contains("Ebrahim Raisi", cut.Find("[data-chart=actors] table.chart-data").TextContent);
            Assert.Contains("United Nations", cut.Find("[data-chart=actors] table.chart-data").TextContent);
            Assert.Equal("2", cut.Find("[data-summary=articles] .summary-value").TextContent);
        });
        // Newest first: the later article's row comes first.
        Assert.Contains("France and Germany", cut.FindAll("[data-article-id]")[0].TextContent);
        Assert.NotNull(cut.Find("[data-interactive=true]"));
    }

    [Fact]
    public async Task An_entity_in_the_url_filters_every_chart_and_the_timeline()
    {
        await SeedAsync();
        Navigation.NavigateTo("/?entity=country:FR");

        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("[data-article-id]"));
            Assert.Contains("France and Germany", row.TextContent);
            Assert.DoesNotContain("Iran", cut.Find("[data-chart=countries] table.chart-data").TextContent);
            Assert.Contains("Country: France", cut.Find("[data-active-filters]").TextContent);
        });
        var countries = DrawnCategories("countries");
        Assert.Equal(["France", "Germany"], countries);
    }

    [Fact]
    public async Task Clicking_a_country_bar_adds_the_entity_to_the_url_and_redraws_the_charts()
    {
        await SeedAsync();
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Equal(4, DrawnCategories("countries").Count));

        var chart = cut.FindComponents<ApexChart>().Single(c => c.Instance.Kind == "countries");
        var iran = chart.Instance.Categories.ToList().IndexOf("Iran");
        await cut.InvokeAsync(() => chart.Instance.OnPointSelectedAsync(iran));

        cut.WaitForAssertion(() => Assert.Contains("entity=country:IR", Navigation.Uri));
        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("[data-article-id]"));
            Assert.Contains("Iran and Algeria", row.TextContent);
            Assert.Equal(["Algeria", "Iran"], DrawnCategories("countries"));
        });
        Assert.NotEmpty(ChartModule.Invocations["update"]);
    }

    [Fact]
    public async Task Clicking_a_timeline_chip_adds_its_filter_and_the_filter_chip_removes_it()
    {
        await SeedAsync();
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-article-id]").Count));

        await cut.ClickAsync("[data-article-id] [data-entity='person:ebrahim-raisi']");

        cut.WaitForAssertion(() => Assert.EndsWith("/?entity=person:ebrahim-raisi", Navigation.Uri));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-article-id]")));
        cut.WaitForAssertion(() => Assert.Contains("Ebrahim Raisi", cut.Find("[data-filter='person:ebrahim-raisi']").TextContent));

        await cut.ClickAsync("[data-filter='person:ebrahim-raisi'] .mud-chip-close-button");

        cut.WaitForAssertion(() => Assert.DoesNotContain("entity=", Navigation.Uri));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-article-id]").Count));
    }

    [Fact]
    public void With_no_articles_it_invites_an_upload()
    {
        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() =>
        {
            var empty = cut.Find("[data-empty=no-articles]");
            Assert.Contains("No articles yet", empty.TextContent);
            Assert.Equal("/upload", empty.QuerySelector("a")?.GetAttribute("href"));
        });
        Assert.Empty(cut.FindAll("[data-chart]"));
    }

    [Fact]
    public async Task A_new_article_outside_the_view_is_not_announced()
    {
        await SeedAsync();
        Navigation.NavigateTo("/?entity=country:IR");
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-article-id]")));
        var shown = cut.FindAll("[data-article-id]").Count;

        // Two stored while the view (Iran) is open, one about Kenya: only the one this view shows is announced.
        var other = await AddArticleAsync("Kenya and Uganda talk trade", Day.AddDays(2), "AP", (EntityKind.Country, "KE", "Kenya", 1));
        Services.GetRequiredService<ArticleNotifier>().Publish(new ArticleStored(other, "Kenya and Uganda talk trade", Day.AddDays(2)));
        var iran = await AddArticleAsync("Iran answers", Day.AddDays(2), "AP", (EntityKind.Country, "IR", "Iran", 1));
        Services.GetRequiredService<ArticleNotifier>().Publish(new ArticleStored(iran, "Iran answers", Day.AddDays(2)));
        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-new-articles]").GetAttribute("data-new-articles")));
        Assert.Equal(shown, cut.FindAll("[data-article-id]").Count);
    }

    [Fact]
    public async Task A_new_article_is_announced_and_shown_on_request()
    {
        await SeedAsync();
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-article-id]").Count));

        var id = await AddArticleAsync("Kenya and Uganda talk trade", Day.AddDays(2), "AP", (EntityKind.Country, "KE", "Kenya", 1));
        Services.GetRequiredService<ArticleNotifier>().Publish(new ArticleStored(id, "Kenya and Uganda talk trade", Day.AddDays(2)));

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-new-articles]").GetAttribute("data-new-articles")));
        Assert.Equal(2, cut.FindAll("[data-article-id]").Count);

        await cut.ClickAsync("[data-action=show-new]");

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(3, cut.FindAll("[data-article-id]").Count);
            Assert.Contains("Kenya", DrawnCategories("countries"));
        });
        Assert.Empty(cut.FindAll("[data-new-articles]"));
    }

    [Fact]
    public async Task An_author_in_the_address_shows_only_their_articles_and_its_chip_removes_the_filter()
    {
        await SeedAsync();
        var byKarimi = await AddArticleAsync("Kenya and Uganda talk trade", Day.AddDays(2), "AP", (EntityKind.Country, "KE", "Kenya", 1));
        await SetAuthorAsync(byKarimi, "Sara Karimi");
        Navigation.NavigateTo("/?author=Sara%20Karimi");
        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal([byKarimi.ToString()], cut.FindAll("[data-article-id]").Select(a => a.GetAttribute("data-article-id")));
            Assert.Equal(["Kenya"], DrawnCategories("countries"));
        });
        Assert.Contains("Sara Karimi", cut.Find("[data-filter-author]").TextContent);

        await cut.ClickAsync("[data-filter-author] .mud-chip-close-button");

        cut.WaitForAssertion(() => Assert.DoesNotContain("author=", Navigation.Uri));
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-article-id]").Count));
    }

    [Fact]
    public async Task A_timeline_rows_author_filters_the_dashboard_by_that_author()
    {
        await SeedAsync();
        var byKarimi = await AddArticleAsync("Kenya and Uganda talk trade", Day.AddDays(2), "AP", (EntityKind.Country, "KE", "Kenya", 1));
        await SetAuthorAsync(byKarimi, "Sara Karimi");
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-article-id]").Count));
        // Only the row with a byline shows one.
        Assert.Single(cut.FindAll("[data-timeline-author]"));

        await cut.ClickAsync($"[data-article-id='{byKarimi}'] [data-timeline-author]");

        cut.WaitForAssertion(() => Assert.Contains("author=Sara%20Karimi", Navigation.Uri));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-article-id]")));
    }

    [Fact]
    public async Task The_sources_and_authors_charts_rank_outlets_and_bylines_and_a_click_on_a_bar_filters_by_it()
    {
        await SeedAsync();
        var byKarimi = await AddArticleAsync("Kenya and Uganda talk trade", Day.AddDays(2), "Reuters", (EntityKind.Country, "KE", "Kenya", 1));
        await SetAuthorAsync(byKarimi, "Sara Karimi");
        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["Reuters", "Press TV"], DrawnCategories("sources"));
            Assert.Equal(["Sara Karimi"], DrawnCategories("authors"));
        });
        Assert.Equal([2, 1], DrawnValues("sources"));

        var sources = cut.FindComponents<ApexChart>().Single(c => c.Instance.Kind == "sources");
        await cut.InvokeAsync(() => sources.Instance.OnPointSelectedAsync(1));

        cut.WaitForAssertion(() => Assert.Contains("source=Press%20TV", Navigation.Uri));
        cut.WaitForAssertion(() =>
        {
            Assert.Contains("Iran and Algeria", Assert.Single(cut.FindAll("[data-article-id]")).TextContent);
            Assert.Equal(["Press TV"], DrawnCategories("sources"));
            // The only article of Press TV has no byline: the authors card says so rather than draw an empty chart.
            cut.Find("[data-empty=no-authors]");
        });

        await cut.ClickAsync("[data-filter-source] .mud-chip-close-button");
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-article-id]").Count));
        var authors = cut.FindComponents<ApexChart>().Single(c => c.Instance.Kind == "authors");
        await cut.InvokeAsync(() => authors.Instance.OnPointSelectedAsync(0));

        cut.WaitForAssertion(() => Assert.Contains("author=Sara%20Karimi", Navigation.Uri));
        cut.WaitForAssertion(() => Assert.Equal([byKarimi.ToString()], cut.FindAll("[data-article-id]").Select(a => a.GetAttribute("data-article-id"))));
    }

    [Fact]
    public async Task The_view_on_screen_is_saved_under_a_name_listed_as_a_link_marked_when_open_and_removable()
    {
        await SeedAsync();
        Navigation.NavigateTo("/?entity=country:IR&count=stories");
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-article-id]")));

        await cut.ClickAsync("[data-action=save-view]");
        await cut.InputAsync("#view-name", "Iran stories");
        await cut.SubmitAsync("[data-save-view-form]");

        cut.WaitForAssertion(() => Assert.Contains("Saved as “Iran stories”", cut.Find("[data-view-message]").TextContent));
        var link = cut.Find("[data-saved-view='Iran stories']");
        Assert.Equal("/?entity=country:IR&count=stories", link.GetAttribute("href"));
        Assert.Contains("saved-view-current", link.ParentElement!.ClassName);
        var stored = Assert.Single(await Services.GetRequiredService<Dashboard.Web.Monitoring.SavedViews>().ListAsync());
        Assert.Equal("/?entity=country:IR&count=stories", stored.Url);

        await cut.ClickAsync("[data-saved-view='Iran stories'] + [data-action=delete-view]");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-saved-view]")));
        Assert.Empty(await Services.GetRequiredService<Dashboard.Web.Monitoring.SavedViews>().ListAsync());
    }

    [Fact]
    public async Task An_article_arriving_in_a_saved_view_is_counted_beside_its_link_without_a_reload()
    {
        await SeedAsync();
        await Services.GetRequiredService<Dashboard.Web.Monitoring.SavedViews>().SaveAsync("France", "/?entity=country:FR");
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => cut.Find("[data-saved-view='France']"));
        Assert.Empty(cut.FindAll("[data-saved-view-new]"));

        var id = await AddArticleAsync("France and Spain talk rail", Day.AddDays(4), "AP", (EntityKind.Country, "FR", "France", 1));
        Services.GetRequiredService<ArticleNotifier>().Publish(new ArticleStored(id, "France and Spain talk rail", Day.AddDays(4)));

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-saved-view='France'] + [data-saved-view-new]").GetAttribute("data-saved-view-new")));
    }

    [Fact]
    public async Task The_last_7_days_are_saved_as_a_moving_window_unless_the_reader_keeps_the_dates()
    {
        await SeedAsync();
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-article-id]").Count));
        await cut.ClickAsync("[data-preset=last-7-days]");
        cut.WaitForAssertion(() => Assert.Contains("from=", Navigation.Uri));

        await cut.ClickAsync("[data-action=save-view]");
        await cut.InputAsync("#view-name", "This week");
        await cut.SubmitAsync("[data-save-view-form]");
        cut.WaitForAssertion(() => cut.Find("[data-saved-view='This week']"));

        await cut.ClickAsync("[data-action=save-view]");
        await cut.InputAsync("#view-name", "These dates");
        cut.Find("[data-save-view-form] input[type=checkbox]").Change(false);
        await cut.SubmitAsync("[data-save-view-form]");
        cut.WaitForAssertion(() => cut.Find("[data-saved-view='These dates']"));

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var saved = (await Services.GetRequiredService<Dashboard.Web.Monitoring.SavedViews>().ListAsync()).ToDictionary(v => v.Name, v => v.Url);
        Assert.Equal("/?days=7", saved["This week"]);
        Assert.Equal($"/?from={today.AddDays(-6):yyyy-MM-dd}&to={today:yyyy-MM-dd}", saved["These dates"]);

        // Opened, the moving one shows the last 7 days with its preset lit, and keeps its address.
        Navigation.NavigateTo("/?days=7");
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-preset=last-7-days]").GetAttribute("aria-pressed")));
        Assert.Contains("saved-view-current", cut.Find("[data-saved-view='This week']").ParentElement!.ClassName);
    }

    [Fact]
    public async Task A_saved_view_shows_the_articles_that_arrived_in_it_until_it_is_opened()
    {
        await SeedAsync();
        var views = Services.GetRequiredService<Dashboard.Web.Monitoring.SavedViews>();
        await views.SaveAsync("Iran", "/?entity=country:IR");
        await views.SaveAsync("France", "/?entity=country:FR");
        await AddArticleAsync("Iran and Iraq talk water", Day.AddDays(3), "Reuters", (EntityKind.Country, "IR", "Iran", 1), (EntityKind.Country, "IQ", "Iraq", 1));

        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-saved-view='Iran'] + [data-saved-view-new]").GetAttribute("data-saved-view-new")));
        Assert.Empty(cut.FindAll("[data-saved-view='France'] + [data-saved-view-new]"));

        Navigation.NavigateTo("/?entity=country:IR");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-article-id]").Count));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-saved-view-new]")));
        Navigation.NavigateTo("/");
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-article-id]").Count));
        Assert.Empty(cut.FindAll("[data-saved-view-new]"));
        Assert.Equal(await Services.GetRequiredService<Dashboard.Web.Data.DashboardQueries>().LastArticleIdAsync(), (await views.ListAsync()).Single(v => v.Name == "Iran").SeenUpTo);
    }

    [Fact]
    public async Task Counts_written_after_their_articles_update_the_announcement()
    {
        await SeedAsync();
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-article-id]").Count));

        // A bulk import announces its articles as it stores them and may write their counts a few seconds later.
        await AddArticleAsync("Kenya and Uganda talk trade", Day.AddDays(2), "AP", (EntityKind.Country, "KE", "Kenya", 1));
        Services.GetRequiredService<ArticleNotifier>().Publish(new CountsWritten());

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-new-articles]").GetAttribute("data-new-articles")));
    }

    [Fact]
    public async Task An_empty_dashboard_refreshes_itself_when_the_first_article_arrives()
    {
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => cut.Find("[data-empty=no-articles]"));

        var id = await AddArticleAsync("First article", Day, null, (EntityKind.Country, "IR", "Iran", 1));
        Services.GetRequiredService<ArticleNotifier>().Publish(new ArticleStored(id, "First article", Day));

        cut.WaitForAssertion(() => Assert.Contains("First article", cut.Find($"[data-article-id='{id}']").TextContent));
    }

    [Fact]
    public async Task A_long_range_is_drawn_per_week_with_empty_weeks_as_zero()
    {
        await AddArticleAsync("Early", new DateOnly(2024, 1, 3), null, (EntityKind.Country, "IR", "Iran", 1));
        await AddArticleAsync("Late", new DateOnly(2024, 6, 5), null, (EntityKind.Country, "IR", "Iran", 1));
        await AddArticleAsync("Late too", new DateOnly(2024, 6, 6), null, (EntityKind.Country, "FR", "France", 1));

        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() => Assert.NotEmpty(DrawnCategories("volume")));
        var weeks = DrawnCategories("volume");
        Assert.Equal("2024-01-01", weeks[0]);
        Assert.Equal("2024-06-03", weeks[^1]);
        Assert.Equal(23, weeks.Count);
        var values = ChartModule.Invocations["render"].Select(i => i.Arguments[1]).OfType<ChartSpec>().Single(s => s.Kind == "volume").Series[0].Data;
        Assert.Equal(3, values.Sum());
        Assert.Equal(2, values[^1]);
        Assert.Contains("per week", cut.Markup);
    }

    /// <summary>The values of the first series the chart was last asked to draw.</summary>
    private IReadOnlyList<int> DrawnValues(string kind) =>
        ChartModule.Invocations
            .Where(i => i.Identifier is "render" or "update")
            .Select(i => i.Arguments[1])
            .OfType<ChartSpec>()
            .Where(spec => spec.Kind == kind)
            .Select(spec => spec.Series[0].Data.Select(v => (int)v).ToList())
            .LastOrDefault() ?? [];

    /// <summary>The categories the chart was last asked to draw, from the JS module's render or update call.</summary>
    private IReadOnlyList<string> DrawnCategories(string kind) =>
        ChartModule.Invocations
            .Where(i => i.Identifier is "render" or "update")
            .Select(i => i.Arguments[1])
            .OfType<ChartSpec>()
            .Where(spec => spec.Kind == kind)
            .Select(spec => spec.Categories)
            .LastOrDefault() ?? [];
}
