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
        // The events marked on the timeline are drawn over the entity's line too.
        var drawn = ChartModule.Invocations.Where(i => i.Identifier is "render" or "update").Select(i => i.Arguments[1]).OfType<ChartSpec>().Last(c => c.Kind == "trend");
        Assert.Equal([new ChartMarker("2024-06-03", "Oil talks open")], drawn.Markers);
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
