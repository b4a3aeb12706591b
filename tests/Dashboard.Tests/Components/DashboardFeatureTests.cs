using Bunit;
using Dashboard.Web.Components.Charts;
using Dashboard.Web.Components.Pages;
using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Components;

/// <summary>The dashboard's search, filters, switches, drag-to-zoom, map, trends, co-mentions, paging and exports.</summary>
public sealed class DashboardFeatureTests : DashboardTestContext
{
    private static readonly DateOnly Day = new(2024, 6, 1);

    public DashboardFeatureTests() => MapModule = JSInterop.SetupModule("./js/worldmap.js");

    private BunitJSModuleInterop MapModule { get; }

    private async Task SeedAsync()
    {
        await AddArticleAsync("Iran and Algeria discuss Gaza", Day, "Press TV",
            (EntityKind.Country, "IR", "Iran", 3), (EntityKind.Country, "DZ", "Algeria", 2),
            (EntityKind.Person, "ebrahim-raisi", "Ebrahim Raisi", 1), (EntityKind.Topic, "diplomacy", "Diplomacy", 1));
        await AddArticleAsync("France and Germany sign a trade accord", Day.AddDays(1), "Reuters",
            (EntityKind.Country, "FR", "France", 2), (EntityKind.Country, "DE", "Germany", 1),
            (EntityKind.Organization, "united-nations", "United Nations", 1), (EntityKind.Topic, "trade", "Trade", 1));
        await AddArticleAsync("Iran and France talk oil", Day.AddDays(2), "Reuters",
            (EntityKind.Country, "IR", "Iran", 1), (EntityKind.Country, "FR", "France", 4));
    }

    [Fact]
    public async Task A_search_in_the_url_narrows_the_timeline_and_marks_the_hits_in_the_snippet()
    {
        await SeedAsync();
        Navigation.NavigateTo("/?q=algeria");

        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("[data-article-id]"));
            Assert.Contains("Iran and Algeria", row.TextContent);
            Assert.Contains(row.QuerySelectorAll("[data-snippet] mark"), m => m.TextContent == "Algeria");
        });
        Assert.Contains("Search: algeria", cut.Find("[data-filter-search]").TextContent);
    }

    [Fact]
    public async Task Submitting_the_search_box_writes_q_to_the_url()
    {
        await SeedAsync();
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-article-id]").Count));

        await cut.InputAsync("#filter-q", "\"trade accord\"");
        await cut.SubmitAsync("form[data-search]");

        cut.WaitForAssertion(() => Assert.EndsWith("/?q=%22trade%20accord%22", Navigation.Uri));
        cut.WaitForAssertion(() => Assert.Contains("France and Germany", Assert.Single(cut.FindAll("[data-article-id]")).TextContent));
    }

    [Fact]
    public async Task A_malformed_search_gets_a_readable_message_instead_of_an_error_page()
    {
        await SeedAsync();
        Navigation.NavigateTo("/?q=%22unclosed");

        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() => Assert.Contains("a quotation mark is not closed", cut.Find("[data-search-error]").TextContent));
        Assert.Empty(cut.FindAll("[data-article-id]"));

        await cut.ClickAsync("[data-action=clear-search]");

        cut.WaitForAssertion(() => Assert.DoesNotContain("q=", Navigation.Uri));
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-article-id]").Count));
    }

    [Fact]
    public async Task The_24_hour_preset_covers_yesterday_and_today()
    {
        await SeedAsync();
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => cut.Find("[data-preset=last-24-hours]"));

        await cut.ClickAsync("[data-preset=last-24-hours]");

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        cut.WaitForAssertion(() => Assert.EndsWith($"/?from={today.AddDays(-1):yyyy-MM-dd}&to={today:yyyy-MM-dd}", Navigation.Uri));
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-preset=last-24-hours]").GetAttribute("aria-pressed")));
    }

    [Fact]
    public async Task A_filter_chip_can_be_turned_into_an_exclusion_shown_struck_through()
    {
        await SeedAsync();
        Navigation.NavigateTo("/?entity=country:FR");
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-article-id]").Count));
        Assert.Contains("all of these, none of those", cut.Find("[data-filter-rule]").TextContent);
        Assert.Equal("/entities/country/FR", cut.Find("[data-entity-page='country:FR']").GetAttribute("href"));

        await cut.ClickAsync("[data-action=exclude][data-target='country:FR']");

        cut.WaitForAssertion(() => Assert.EndsWith("/?exclude=country:FR", Navigation.Uri));
        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("[data-article-id]"));
            Assert.Contains("Iran and Algeria", row.TextContent);
            Assert.Equal("France", cut.Find("[data-exclude='country:FR'] s").TextContent);
        });
    }

    [Fact]
    public async Task Delete_on_a_focused_filter_chip_removes_it_for_keyboard_users()
    {
        await SeedAsync();
        Navigation.NavigateTo("/?entity=country:FR&entity=country:IR");
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-active-filters] .filter-chip").Count));

        await cut.KeyDownAsync(c => c.FindAll("[data-active-filters] .filter-chip")[0], "Delete");

        cut.WaitForAssertion(() => Assert.EndsWith("/?entity=country:IR", Navigation.Uri));
        Assert.Equal("0", cut.Find("[data-active-filters] .filter-chip").GetAttribute("tabindex"));
    }

    [Fact]
    public async Task Each_chart_lists_its_categories_as_buttons_that_filter_like_a_click_on_the_bar()
    {
        await SeedAsync();
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => cut.Find("[data-chart=topics] table.chart-data button"));

        await cut.ClickAsync(c => c.FindAll("[data-chart=topics] table.chart-data button").Single(b => b.TextContent == "Trade"));

        cut.WaitForAssertion(() => Assert.EndsWith("/?entity=topic:trade", Navigation.Uri));
        cut.WaitForAssertion(() => cut.Find("[data-chart=map] table.chart-data button"));
        await cut.ClickAsync(c => c.FindAll("[data-chart=map] table.chart-data button").Single(b => b.TextContent == "Germany"));
        cut.WaitForAssertion(() => Assert.EndsWith("/?entity=topic:trade&entity=country:DE", Navigation.Uri));
    }

    [Fact]
    public async Task The_count_switch_counts_mentions_and_the_countries_switch_counts_focus_only()
    {
        await SeedAsync();
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Equal([2, 2, 1, 1], DrawnValues("countries")));

        await cut.ClickAsync("[data-switch=count] [data-value=mentions]");

        cut.WaitForAssertion(() => Assert.EndsWith("/?count=mentions", Navigation.Uri));
        // France 2 + 4, Iran 3 + 1, Algeria 2, Germany 1 occurrences.
        cut.WaitForAssertion(() => Assert.Equal([6, 4, 2, 1], DrawnValues("countries")));
        Assert.Contains("count=mentions&countries=mentioned", cut.Find("[data-export=countries]").GetAttribute("href"));

        await cut.ClickAsync("[data-switch=countries] [data-value=about]");

        cut.WaitForAssertion(() => Assert.EndsWith("/?count=mentions&countries=about", Navigation.Uri));
        // The seeded countries are never the focus: counting only what articles are about leaves none.
        cut.WaitForAssertion(() => Assert.Empty(DrawnValues("countries")));
    }

    [Fact]
    public async Task Counting_stories_counts_a_wire_copy_once()
    {
        var original = await AddArticleAsync("Talks in Paris", new DateOnly(2024, 6, 1), "Wire", (EntityKind.Country, "FR", "France", 1));
        var copy = await AddArticleAsync("UPDATE: Talks in Paris", new DateOnly(2024, 6, 1), "Daily", (EntityKind.Country, "FR", "France", 1));
        await using (var db = await Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Dashboard.Web.Data.DashboardDb>>().CreateDbContextAsync())
        {
            (await db.Articles.FindAsync(copy))!.StoryId = original;
            await db.SaveChangesAsync();
        }
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Equal([2], DrawnValues("countries")));

        await cut.ClickAsync("[data-switch=count] [data-value=stories]");

        cut.WaitForAssertion(() => Assert.EndsWith("/?count=stories", Navigation.Uri));
        cut.WaitForAssertion(() => Assert.Equal([1], DrawnValues("countries")));
        Assert.Contains("count=stories", cut.Find("[data-export=countries]").GetAttribute("href"));
        // The timeline lists the story once, by its first copy, saying it has one other copy and linking to the list.
        cut.WaitForAssertion(() => Assert.Equal([original.ToString()], cut.FindAll("[data-article-id]").Select(a => a.GetAttribute("data-article-id"))));
        Assert.Equal([$"/articles/{original}#story"], cut.FindAll("[data-story-copies='1']").Select(a => a.GetAttribute("href")));
        Assert.Contains("1 story, one row per story", cut.Find("[data-timeline-total]").TextContent);

        // Counting articles again, both copies are rows, each with the other counted.
        await cut.ClickAsync("[data-switch=count] [data-value=articles]");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-article-id]").Count));
        Assert.Equal([$"/articles/{copy}#story", $"/articles/{original}#story"], cut.FindAll("[data-story-copies='1']").Select(a => a.GetAttribute("href")));
        Assert.Contains("2 articles", cut.Find("[data-timeline-total]").TextContent);
    }

    [Fact]
    public async Task Dragging_across_the_volume_chart_sets_from_and_to_from_the_first_and_last_bar()
    {
        await SeedAsync();
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, DrawnCategories("volume").Count));
        Assert.True(LastSpec("volume")!.RangeSelect);

        var volume = cut.FindComponents<ApexChart>().Single(c => c.Instance.Kind == "volume");
        await cut.InvokeAsync(() => volume.Instance.OnRangeSelectedAsync(1, 2));

        cut.WaitForAssertion(() => Assert.EndsWith("/?from=2024-06-02&to=2024-06-03", Navigation.Uri));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-article-id]").Count));
    }

    [Fact]
    public async Task The_map_gets_every_country_and_a_click_on_one_filters_by_it()
    {
        await SeedAsync();
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-chart=map] table.chart-data tbody tr").Count));
        var drawn = MapModule.Invocations["render"].Select(i => i.Arguments[1]).OfType<MapSpec>().Last();
        Assert.Contains(new MapCountry("FR", "France", 2), drawn.Countries);

        var map = cut.FindComponent<WorldMap>();
        await cut.InvokeAsync(() => map.Instance.OnCountrySelectedAsync("fr"));

        cut.WaitForAssertion(() => Assert.EndsWith("/?entity=country:FR", Navigation.Uri));
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-article-id]").Count));
    }

    [Fact]
    public async Task Rising_and_fading_compare_the_view_with_the_days_before_and_a_click_filters_by_the_entity()
    {
        // The week before: Germany every day, Japan on six. The view's week: Germany every day, Peru on five, Japan gone.
        for (var i = 0; i < 7; i++)
        {
            await AddArticleAsync($"Budget rules argued in Berlin, round {i}", Day.AddDays(i - 7), "Wire", (EntityKind.Country, "DE", "Germany", 1));
            await AddArticleAsync($"Budget rules argued again, round {i}", Day.AddDays(i), "Wire", (EntityKind.Country, "DE", "Germany", 1));
        }
        for (var i = 0; i < 6; i++)
        {
            await AddArticleAsync($"Export accord in Tokyo, part {i}", Day.AddDays(i - 7), "Wire", (EntityKind.Country, "JP", "Japan", 1));
        }
        for (var i = 0; i < 5; i++)
        {
            await AddArticleAsync($"Anchovy quotas split Chile and Peru, round {i}", Day.AddDays(i), "Wire", (EntityKind.Country, "PE", "Peru", 1));
        }
        Navigation.NavigateTo("/?from=2024-06-01&to=2024-06-07");

        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-shift-list=rising] [data-shift='country:PE']")));
        var card = cut.Find("[data-shifts]");
        Assert.Contains("1 Jun – 7 Jun 2024 against the 7 days before", card.TextContent);
        Assert.Contains("5, was 0", cut.Find("[data-shift='country:PE']").TextContent);
        Assert.Contains("new", cut.Find("[data-shift='country:PE'] .shift-change").TextContent);
        Assert.Contains("0, was 6", cut.Find("[data-shift-list=fading] [data-shift='country:JP']").TextContent);
        Assert.Contains("\u2212100%", cut.Find("[data-shift='country:JP'] .shift-change").TextContent);
        Assert.Empty(cut.FindAll("[data-shift='country:DE']"));

        await cut.ClickAsync("[data-shift='country:PE']");

        cut.WaitForAssertion(() => Assert.EndsWith("/?from=2024-06-01&to=2024-06-07&entity=country:PE", Navigation.Uri));
        // Within Peru's articles nothing came before: the card says so rather than list nothing.
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-shifts] [data-empty=no-earlier-period]")));
    }

    [Fact]
    public async Task Voices_rank_who_the_view_quotes_by_distinct_statements_and_a_click_filters_by_them()
    {
        var raisi = (EntityKind.Person, "ebrahim-raisi", "Ebrahim Raisi", 1);
        var attaf = (EntityKind.Person, "ahmed-attaf", "Ahmed Attaf", 1);
        await AddArticleAsync("Ebrahim Raisi said the talks in Algiers were useful for both sides", Day, "Wire", raisi);
        await AddArticleAsync("Ebrahim Raisi warned that the attack on the consulate would be answered", Day, "Wire", raisi);
        // A wire copy of the same words says them once.
        await AddArticleAsync("Ebrahim Raisi warned that the attack on the consulate would be answered", Day, "Daily", raisi);
        await AddArticleAsync("Ahmed Attaf said his country welcomes any initiative of the OIC", Day, "Wire", attaf);
        await AddArticleAsync("Ahmed Attaf arrived in Tehran for the talks", Day, "Wire", attaf);
        Navigation.NavigateTo("/?from=2024-06-01&to=2024-06-01");

        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-voices] [data-voice]").Count));
        var voices = cut.FindAll("[data-voice]");
        Assert.Equal(["person:ebrahim-raisi", "person:ahmed-attaf"], voices.Select(v => v.GetAttribute("data-voice")));
        Assert.Contains("2 statements", voices[0].TextContent);
        Assert.Contains("1 statement", voices[1].TextContent);
        Assert.Contains("its newest 5 articles", cut.Find("[data-voices]").TextContent);
        Assert.Equal("/entities/person/ebrahim-raisi", cut.Find("[data-voice-page]").GetAttribute("href"));
        Assert.Equal("/api/export/statements.csv?from=2024-06-01&to=2024-06-01", cut.Find("[data-voices] [data-export=statements]").GetAttribute("href"));

        await cut.ClickAsync("[data-voice='person:ahmed-attaf']");

        cut.WaitForAssertion(() => Assert.EndsWith("/?from=2024-06-01&to=2024-06-01&entity=person:ahmed-attaf", Navigation.Uri));
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-voices] [data-voice]")));
    }

    [Fact]
    public async Task An_event_marked_under_the_volume_chart_is_drawn_over_its_day_and_can_be_removed()
    {
        await AddArticleAsync("Talks in Tehran", Day, "Wire", (EntityKind.Country, "IR", "Iran", 1));
        await AddArticleAsync("Talks go on", Day.AddDays(2), "Wire", (EntityKind.Country, "IR", "Iran", 1));
        Navigation.NavigateTo("/?from=2024-06-01&to=2024-06-03");
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-event-marks] [data-action=mark-event]")));

        await cut.ClickAsync("[data-action=mark-event]");
        await cut.InputAsync("[data-mark-event-day]", "2024-06-03");
        await cut.InputAsync("[data-mark-event-label]", "Ceasefire talks resume");
        await cut.SubmitAsync("[data-mark-event-form]");

        cut.WaitForAssertion(() => Assert.Contains("Ceasefire talks resume", cut.Find("[data-event-marks] [data-event-mark]").TextContent));
        cut.WaitForAssertion(() => Assert.Equal([new ChartMarker("2024-06-03", "Ceasefire talks resume")], LastSpec("volume")!.Markers));
        Assert.Single(await Services.GetRequiredService<Dashboard.Web.Monitoring.Annotations>().ListAsync());

        // A label is needed: the form says so and marks nothing.
        await cut.ClickAsync("[data-action=mark-event]");
        await cut.SubmitAsync("[data-mark-event-form]");
        cut.WaitForAssertion(() => Assert.Contains("1 to 120 characters", cut.Find("[data-mark-event-error]").TextContent));

        await cut.ClickAsync("[data-event-mark] [data-action=delete-event]");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-event-mark]")));
        cut.WaitForAssertion(() => Assert.Empty(LastSpec("volume")!.Markers));
    }

    [Fact]
    public async Task The_words_of_a_view_lead_to_a_search_for_them()
    {
        for (var i = 0; i < 3; i++)
        {
            await AddArticleAsync($"Anchovy quotas split Chile and Peru, round {i}", Day.AddDays(i), "Wire", (EntityKind.Country, "PE", "Peru", 1));
        }
        for (var i = 0; i < 6; i++)
        {
            await AddArticleAsync($"Budget rules argued in Berlin, round {i}", Day.AddDays(i), "Wire", (EntityKind.Country, "DE", "Germany", 1));
        }
        Navigation.NavigateTo("/?entity=country:PE");

        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[data-word]"), w => w.GetAttribute("data-word") == "anchovy"));
        Assert.DoesNotContain(cut.FindAll("[data-word]"), w => w.GetAttribute("data-word") == "budget");
        Assert.Contains("far more than articles in general", cut.Find("[data-words]").TextContent);
        await cut.ClickAsync("[data-word=anchovy]");

        cut.WaitForAssertion(() => Assert.EndsWith("/?entity=country:PE&q=anchovy", Navigation.Uri));
        await cut.ClickAsync("[data-word=quotas]");
        cut.WaitForAssertion(() => Assert.EndsWith("/?entity=country:PE&q=anchovy%20quotas", Navigation.Uri));
    }

    [Fact]
    public async Task Trends_as_shares_plot_each_entity_against_every_article_of_the_bucket_whatever_the_filter()
    {
        await SeedAsync();
        // A second article on the first day, not about Iran: Iran has half of that day's coverage.
        await AddArticleAsync("Germany's budget passes", Day, "Reuters", (EntityKind.Country, "DE", "Germany", 1));
        var all = (await Services.GetRequiredService<DashboardQueries>().VolumeAsync(ArticleFilter.All)).ToDictionary(p => p.Day.ToString("yyyy-MM-dd"), p => p.Articles);
        Navigation.NavigateTo("/?entity=country:IR&compare=country:IR");

        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Single(LastSpec("trends")!.Series));
        Assert.False(LastSpec("trends")!.Percent);
        await cut.ClickAsync("[data-switch=trend] [data-value=share]");

        cut.WaitForAssertion(() => Assert.EndsWith("/?entity=country:IR&compare=country:IR&trend=share", Navigation.Uri));
        cut.WaitForAssertion(() => Assert.True(LastSpec("trends")?.Percent));
        var trends = LastSpec("trends")!;
        // Iran's articles per day against all that day's articles, not against the Iran filter's (which would be 100%).
        var iran = (await Services.GetRequiredService<DashboardQueries>().VolumeAsync(ArticleFilter.All.WithEntity(new EntityRef(EntityKind.Country, "IR"))))
            .ToDictionary(p => p.Day.ToString("yyyy-MM-dd"), p => p.Articles);
        Assert.Equal(trends.Categories.Select(day => Math.Round(100.0 * iran.GetValueOrDefault(day) / all[day], 2)), trends.Series[0].Data);
        Assert.Contains(trends.Series[0].Data, share => share is > 0 and < 100);
        Assert.Contains("share of all articles per day", cut.Markup);
        Assert.Contains("%</td>", cut.Find("[data-chart=trends] table").OuterHtml);
        Assert.EndsWith("compare=country%3AIR&trend=share", cut.Find("[data-export=trends]").GetAttribute("href"));

        await cut.ClickAsync("[data-switch=trend] [data-value=articles]");
        cut.WaitForAssertion(() => Assert.False(LastSpec("trends")?.Percent));
        Assert.Equal(trends.Categories.Select(day => (double)iran.GetValueOrDefault(day)), LastSpec("trends")!.Series[0].Data);
    }

    [Fact]
    public async Task Trends_compare_the_picked_entities_per_bucket_and_follow_the_url()
    {
        await SeedAsync();
        Navigation.NavigateTo("/?compare=country:IR&compare=country:FR");

        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, LastSpec("trends")?.Series.Count));
        var trends = LastSpec("trends")!;
        Assert.Equal(["2024-06-01", "2024-06-02", "2024-06-03"], trends.Categories);
        Assert.Equal("Iran", trends.Series[0].Name);
        Assert.Equal([1, 0, 1], trends.Series[0].Data);
        Assert.Equal([0, 1, 1], trends.Series[1].Data);

        await cut.ClickAsync("[data-compare-add='country:DZ']");

        cut.WaitForAssertion(() => Assert.EndsWith("/?compare=country:IR&compare=country:FR&compare=country:DZ", Navigation.Uri));
        cut.WaitForAssertion(() => Assert.Equal(3, LastSpec("trends")?.Series.Count));
    }

    [Fact]
    public async Task Co_mentioned_lists_what_appears_with_the_filter_but_not_the_filter_itself()
    {
        await SeedAsync();
        Navigation.NavigateTo("/?entity=country:IR");

        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() =>
        {
            var items = cut.FindAll("[data-comentioned] [data-comention]").Select(e => e.GetAttribute("data-comention")).ToList();
            Assert.Contains("country:DZ", items);
            Assert.Contains("country:FR", items);
            Assert.Contains("person:ebrahim-raisi", items);
            Assert.DoesNotContain("country:IR", items);
        });

        await cut.ClickAsync("[data-comention='country:DZ'] button");

        cut.WaitForAssertion(() => Assert.EndsWith("/?entity=country:IR&entity=country:DZ", Navigation.Uri));
    }

    [Fact]
    public async Task Show_more_continues_after_the_last_row_without_repeating_any()
    {
        for (var i = 0; i < 55; i++)
        {
            await AddArticleAsync($"Bulk article {i:00}", Day.AddDays(i % 7), "Wire", (EntityKind.Country, "KE", "Kenya", 1));
        }
        var cut = Render<DashboardPage>();
        cut.WaitForAssertion(() => Assert.Equal(50, cut.FindAll("[data-article-id]").Count));

        await cut.ClickAsync("[data-action=more-articles]");

        cut.WaitForAssertion(() => Assert.Equal(55, cut.FindAll("[data-article-id]").Count));
        var ids = cut.FindAll("[data-article-id]").Select(e => e.GetAttribute("data-article-id")).ToList();
        Assert.Equal(55, ids.Distinct().Count());
        Assert.Empty(cut.FindAll("[data-action=more-articles]"));
    }

    [Fact]
    public async Task Export_links_carry_the_filter_on_screen()
    {
        await SeedAsync();
        Navigation.NavigateTo("/?from=2024-06-01&entity=country:FR&q=trade");

        var cut = Render<DashboardPage>();

        cut.WaitForAssertion(() => cut.Find("[data-export=articles]"));
        var articles = cut.Find("[data-export=articles]");
        Assert.Equal("/api/export/articles.csv?from=2024-06-01&entity=country:FR&q=trade", articles.GetAttribute("href"));
        Assert.NotNull(articles.GetAttribute("download"));
        Assert.Equal("/api/export/articles.jsonl?from=2024-06-01&entity=country:FR&q=trade", cut.Find("[data-export=articles-text]").GetAttribute("href"));
        Assert.Equal("/api/export/volume.csv?from=2024-06-01&entity=country:FR&q=trade", cut.Find("[data-export=volume]").GetAttribute("href"));
        Assert.Equal("/api/export/mentions.csv?kind=topic&from=2024-06-01&entity=country:FR&q=trade&count=articles&countries=mentioned",
            cut.Find("[data-export=topics]").GetAttribute("href"));

        // Counting stories, the timeline lists one row per story, and so does its export.
        Navigation.NavigateTo("/?entity=country:FR&count=stories");
        cut.WaitForAssertion(() => Assert.Equal("/api/export/articles.csv?entity=country:FR&count=stories", cut.Find("[data-export=articles]").GetAttribute("href")));
        Assert.Equal("/api/export/articles.jsonl?entity=country:FR&count=stories", cut.Find("[data-export=articles-text]").GetAttribute("href"));
        // The view's feed, for a feed reader: the same query, read the same way.
        Assert.Equal("/api/articles.atom?entity=country:FR&count=stories", cut.Find("[data-export=atom]").GetAttribute("href"));

        // A saved view's feed is the saved view's own (titled with its name in the reader).
        var saved = await Services.GetRequiredService<Dashboard.Web.Monitoring.SavedViews>().SaveAsync("France", "/?entity=country:FR");
        Navigation.NavigateTo("/?entity=country:FR");
        var opened = Render<DashboardPage>();
        opened.WaitForAssertion(() => Assert.Equal($"/api/views/{saved.Id}/articles.atom", opened.Find("[data-export=atom]").GetAttribute("href")));
    }

    [Fact]
    public async Task Trends_query_buckets_each_entity_like_the_volume_chart()
    {
        await SeedAsync();
        var queries = Services.GetRequiredService<DashboardQueries>();

        var trends = await queries.TrendsAsync([new EntityRef(EntityKind.Country, "FR"), new EntityRef(EntityKind.Topic, "nothing")], ArticleFilter.All);

        Assert.Equal(VolumeBucket.Day, trends.Bucket);
        Assert.Equal([Day, Day.AddDays(1), Day.AddDays(2)], trends.Starts);
        Assert.Equal([0, 1, 1], trends.Series[0].Counts);
        Assert.Equal("France", trends.Series[0].Name);
        Assert.Equal([0, 0, 0], trends.Series[1].Counts);
    }

    private ChartSpec? LastSpec(string kind) =>
        ChartModule.Invocations
            .Where(i => i.Identifier is "render" or "update")
            .Select(i => i.Arguments[1])
            .OfType<ChartSpec>()
            .LastOrDefault(spec => spec.Kind == kind);

    private IReadOnlyList<string> DrawnCategories(string kind) => LastSpec(kind)?.Categories ?? [];

    // Counts are whole numbers; only the trend chart's shares have decimals.
    private IReadOnlyList<int> DrawnValues(string kind) => LastSpec(kind)?.Series[0].Data.Select(v => (int)v).ToList() ?? [];
}
