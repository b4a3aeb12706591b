using Bunit;
using Dashboard.Web.Components.Charts;
using Dashboard.Web.Components.Pages;
using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Components;

/// <summary>The entity page: name, kind, aliases, trend, co-mentions, latest articles and a way back to the dashboard.</summary>
public sealed class EntityPageTests : DashboardTestContext
{
    private static readonly DateOnly Day = new(2024, 6, 1);

    [Fact]
    public async Task Shows_the_entity_with_its_aliases_trend_co_mentions_and_latest_articles()
    {
        await AddArticleAsync("Iran and Algeria discuss Gaza", Day, "Press TV",
            (EntityKind.Country, "IR", "Iran", 3), (EntityKind.Country, "DZ", "Algeria", 2), (EntityKind.Person, "ebrahim-raisi", "Ebrahim Raisi", 1));
        await AddArticleAsync("Iran talks oil", Day.AddDays(2), "Reuters", (EntityKind.Country, "IR", "Iran", 1));
        await AddArticleAsync("France alone", Day.AddDays(1), "Reuters", (EntityKind.Country, "FR", "France", 1));
        await AddAliasAsync(EntityKind.Country, "IR", "Islamic Republic of Iran");
        await Services.GetRequiredService<Dashboard.Web.Monitoring.Annotations>().AddAsync(Day.AddDays(2), "Oil talks open");

        var cut = Render<EntityPage>(p => p.Add(x => x.Kind, "country").Add(x => x.Key, "IR"));

        cut.WaitForAssertion(() => Assert.Equal("Iran", cut.Find(".entity-name").TextContent));
        Assert.Contains("Country", cut.Find("[data-entity-kind]").TextContent);
        Assert.Equal("2", cut.Find("[data-entity-articles]").GetAttribute("data-entity-articles"));
        Assert.Equal("Islamic Republic of Iran", cut.Find("[data-alias]").TextContent);
        Assert.Equal(2, cut.FindAll("[data-article-id]").Count);
        Assert.Contains("Iran talks oil", cut.FindAll("[data-article-id]")[0].TextContent);
        var comentions = cut.FindAll("[data-comention]").Select(e => e.GetAttribute("data-comention")).ToList();
        Assert.Equal(["country:DZ", "person:ebrahim-raisi"], comentions);
        // The events marked on the timeline are drawn over the entity's line too, once the chart has been drawn.
        cut.WaitForAssertion(() => Assert.Equal([new ChartMarker("2024-06-03", "Oil talks open")],
            ChartModule.Invocations.Where(i => i.Identifier is "render" or "update").Select(i => i.Arguments[1]).OfType<ChartSpec>().LastOrDefault(c => c.Kind == "trend")?.Markers));
        Assert.Equal("/entities/country/DZ", cut.Find("[data-comention='country:DZ'] a").GetAttribute("href"));
        Assert.Equal("/?entity=country:IR", cut.Find("[data-action=filter-dashboard]").GetAttribute("href"));
        // The outlets covering it, each leading to the dashboard of its articles from that outlet; France's outlet is not counted.
        Assert.Equal(["Press TV", "Reuters"], cut.FindAll("[data-entity-source]").Select(e => e.GetAttribute("data-entity-source")));
        Assert.Equal("/?entity=country:IR&source=Reuters", cut.Find("[data-entity-source='Reuters'] a").GetAttribute("href"));
        Assert.Equal("1", cut.Find("[data-entity-source='Reuters'] .comention-count").TextContent);
        // The trend is drawn after its own query returns, which may be after the rest of the page.
        cut.WaitForAssertion(() => Assert.Single(ChartModule.Invocations["render"].Select(i => i.Arguments[1]).OfType<ChartSpec>(), s => s.Kind == "trend"), TimeSpan.FromSeconds(10));
        var trend = ChartModule.Invocations["render"].Select(i => i.Arguments[1]).OfType<ChartSpec>().Single(s => s.Kind == "trend");
        Assert.Equal([1, 0, 1], trend.Series[0].Data);
        // Chips on this page open the other entities' pages rather than filtering.
        Assert.Equal("/entities/country/DZ", cut.Find("[data-article-id] [data-entity='country:DZ']").GetAttribute("href"));
    }

    [Fact]
    public async Task Its_telling_words_lead_to_its_articles_using_them_and_its_feed_is_one_click_away()
    {
        for (var i = 0; i < 3; i++)
        {
            await AddArticleAsync($"Anchovy quotas split Peru's fleets, round {i}", Day.AddDays(i), "Wire", (EntityKind.Country, "PE", "Peru", 1));
            await AddArticleAsync($"Budget rules argued in Berlin, round {i}", Day.AddDays(i), "Wire", (EntityKind.Country, "DE", "Germany", 1));
        }

        var cut = Render<EntityPage>(p => p.Add(x => x.Kind, "country").Add(x => x.Key, "PE"));

        cut.WaitForAssertion(() => Assert.Equal("/?entity=country:PE&q=anchovy", cut.Find("[data-words] [data-word=anchovy]").GetAttribute("href")));
        Assert.Empty(cut.FindAll("[data-words] [data-word=budget]"));
        Assert.Equal("/api/articles.atom?entity=country:PE", cut.Find("[data-export=atom]").GetAttribute("href"));
    }

    [Fact]
    public async Task Lists_what_a_person_said_newest_first_and_narrows_to_what_they_said_about_another_entity()
    {
        var raisi = (EntityKind.Person, "ebrahim-raisi", "Ebrahim Raisi", 1);
        var israel = (EntityKind.Country, "IL", "Israel", 1);
        await AddArticleAsync("Ebrahim Raisi said the talks in Algiers were useful for both sides", Day, "Press TV", raisi);
        await AddArticleAsync("Ebrahim Raisi warned that Israel would pay for the attack on the consulate", Day.AddDays(1), "IRNA", raisi, israel);
        await AddArticleAsync("Ebrahim Raisi arrived in Tehran", Day.AddDays(2), "IRNA", raisi);

        var cut = Render<EntityPage>(p => p.Add(x => x.Kind, "person").Add(x => x.Key, "ebrahim-raisi"));

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-statement]").Count));
        var statements = cut.FindAll("[data-statement]");
        static string Words(AngleSharp.Dom.IElement e) => System.Text.RegularExpressions.Regex.Replace(e.TextContent, @"\s+", " ");
        Assert.True(Words(statements[0]).Contains("warned Israel would pay for the attack on the consulate"), Words(statements[0]));
        Assert.Contains("IRNA · 2024-06-02", Words(statements[0]));
        Assert.Contains("said the talks in Algiers were useful for both sides", Words(statements[1]));
        Assert.Equal("3", cut.Find("[data-statements-read]").GetAttribute("data-statements-read"));
        Assert.Equal("/api/export/statements.csv?speaker=person:ebrahim-raisi", cut.Find("[data-export=statements]").GetAttribute("href"));
        Assert.Equal("/api/statements.atom?speaker=person:ebrahim-raisi", cut.Find("[data-export=statements-atom]").GetAttribute("href"));
        Assert.Equal("/entities/person/ebrahim-raisi?about=country:IL", cut.Find("[data-statement-about='country:IL']").GetAttribute("href"));

        // Following "About: Israel" (the address carries it): only the words that name Israel.
        Navigation.NavigateTo("/entities/person/ebrahim-raisi?about=country:IL");
        var about = Render<EntityPage>(p => p.Add(x => x.Kind, "person").Add(x => x.Key, "ebrahim-raisi"));

        about.WaitForAssertion(() => Assert.Contains("What Ebrahim Raisi said about Israel", about.Find("[data-statements]").TextContent));
        about.WaitForAssertion(() => Assert.Single(about.FindAll("[data-statement]")));
        Assert.Contains("the consulate", about.Find("[data-statement]").TextContent);
        Assert.Equal("true", about.Find("[data-statement-about='country:IL']").GetAttribute("aria-current"));
        Assert.Equal("/api/export/statements.csv?speaker=person:ebrahim-raisi&about=country:IL", about.Find("[data-export=statements]").GetAttribute("href"));

        // Israel's page, the other way round: what was said about it, each speaker leading to their page.
        Navigation.NavigateTo("/entities/country/IL?statements=about");
        var israelPage = Render<EntityPage>(p => p.Add(x => x.Kind, "country").Add(x => x.Key, "IL"));

        israelPage.WaitForAssertion(() => Assert.Equal("What was said about Israel", israelPage.Find("[data-statements] .mud-typography-subtitle1").TextContent));
        israelPage.WaitForAssertion(() => Assert.Single(israelPage.FindAll("[data-statement]")));
        var said = israelPage.Find("[data-statement]");
        Assert.Equal("person:ebrahim-raisi", said.GetAttribute("data-statement-speaker"));
        Assert.Equal("/entities/person/ebrahim-raisi", said.QuerySelector(".statement-words a")!.GetAttribute("href"));
        Assert.Equal("/api/export/statements.csv?about=country:IL", israelPage.Find("[data-export=statements]").GetAttribute("href"));
        Assert.Equal("/entities/country/IL", israelPage.Find("[data-statements-mode=by]").GetAttribute("href"));
    }

    [Fact]
    public async Task Says_so_when_nothing_it_said_is_reported_and_a_topic_has_no_statements()
    {
        await AddArticleAsync("Ebrahim Raisi arrived in Tehran", Day, "IRNA", (EntityKind.Person, "ebrahim-raisi", "Ebrahim Raisi", 1), (EntityKind.Topic, "diplomacy", "Diplomacy", 1));

        var person = Render<EntityPage>(p => p.Add(x => x.Kind, "person").Add(x => x.Key, "ebrahim-raisi"));
        var topic = Render<EntityPage>(p => p.Add(x => x.Kind, "topic").Add(x => x.Key, "diplomacy"));

        person.WaitForAssertion(() => Assert.Contains("None of its newest 1 article reports words of its", person.Find("[data-empty=no-statements]").TextContent));
        topic.WaitForAssertion(() => Assert.Equal("Diplomacy", topic.Find(".entity-name").TextContent));
        Assert.Empty(topic.FindAll("[data-statements]"));
    }

    [Fact]
    public void An_unknown_entity_gets_a_friendly_message()
    {
        var cut = Render<EntityPage>(p => p.Add(x => x.Kind, "person").Add(x => x.Key, "nobody"));

        cut.WaitForAssertion(() => Assert.Contains("Nothing is stored as person", cut.Find("[data-empty=entity-not-found]").TextContent));
    }

    private async Task AddAliasAsync(EntityKind kind, string key, string alias)
    {
        var factory = Services.GetRequiredService<IDbContextFactory<DashboardDb>>();
        await using var db = await factory.CreateDbContextAsync();
        var entity = await db.Entities.SingleAsync(e => e.Kind == kind && e.Key == key);
        db.Add(new EntityAlias { EntityId = entity.Id, Name = alias });
        await db.SaveChangesAsync();
    }
}
