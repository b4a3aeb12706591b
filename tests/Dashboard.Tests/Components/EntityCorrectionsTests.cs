using Bunit;
using Dashboard.Web.Components.Controls;
using Dashboard.Web.Curation;
using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Components;

/// <summary>The corrections panel stores an alias (and re-reads stored articles) or merges two actors.</summary>
public sealed class EntityCorrectionsTests : DashboardTestContext
{
    private static readonly EntityRef Raisi = new(EntityKind.Person, "ebrahim-raisi");

    [Fact]
    public async Task Adding_a_name_stores_it_as_a_user_alias_and_starts_reextraction()
    {
        await AddArticleAsync("Talks in Tehran", new DateOnly(2024, 6, 1), null, (EntityKind.Person, "ebrahim-raisi", "Ebrahim Raisi", 1));
        var changed = 0;
        var cut = Render<EntityCorrections>(p => p.Add(x => x.Entity, Raisi).Add(x => x.OnChanged, () => changed++));

        await cut.ChangeAsync("#alias-input", "Raeesi");
        await cut.ClickAsync("[data-action=add-alias]");

        cut.WaitForAssertion(() => Assert.Contains("“Raeesi” is now another name", cut.Find("[data-correction-message]").TextContent));
        await Services.GetRequiredService<Reextraction>().WhenDoneAsync();
        await using var db = await Services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        Assert.True(await db.EntityAliases.AnyAsync(a => a.Name == "Raeesi" && a.IsUserDefined));
        Assert.True(changed >= 1);
    }

    [Fact]
    public async Task Setting_a_name_aside_asks_first_then_its_page_says_so_and_counting_it_again_reads_the_articles_again()
    {
        await AddArticleAsync("Talks on Monday", new DateOnly(2024, 6, 1), null, (EntityKind.Person, "monday", "Monday", 1), (EntityKind.Country, "IR", "Iran", 1));
        var cut = Render<Dashboard.Web.Components.Pages.EntityPage>(p => p.Add(x => x.Kind, "person").Add(x => x.Key, "monday"));
        cut.WaitForAssertion(() => cut.Find("[data-action=ignore]"));
        // Countries are a fixed list: the action is offered for people and organisations only.
        var country = Render<EntityCorrections>(p => p.Add(x => x.Entity, new EntityRef(EntityKind.Country, "IR")));
        Assert.Empty(country.FindAll("[data-action=ignore]"));

        await cut.ClickAsync("[data-action=ignore]");
        await cut.ClickAsync("[data-action=cancel-ignore]");
        Assert.Empty(cut.FindAll("[data-action=confirm-ignore]"));
        await cut.ClickAsync("[data-action=ignore]");
        await cut.ClickAsync("[data-action=confirm-ignore]");

        cut.WaitForAssertion(() => Assert.Contains("“Monday” is set aside", cut.Find("[data-ignored-entity='person:monday']").TextContent));
        var queries = Services.GetRequiredService<DashboardQueries>();
        Assert.DoesNotContain(await queries.TopEntitiesAsync(EntityKind.Person, ArticleFilter.All), p => p.Key == "monday");

        await cut.ClickAsync("[data-action=restore-entity]");

        cut.WaitForAssertion(() => Assert.Contains("counted again", cut.Find("[data-correction-message]").TextContent));
        await Services.GetRequiredService<Reextraction>().WhenDoneAsync();
        Assert.Null(await queries.IgnoredEntityAsync(new EntityRef(EntityKind.Person, "monday")));
    }

    [Fact]
    public async Task The_corrections_page_lists_added_names_merges_and_names_set_aside_and_undoes_the_first_and_the_last()
    {
        await AddArticleAsync("One", new DateOnly(2024, 6, 1), null, (EntityKind.Person, "e-raisi", "E. Raisi", 1), (EntityKind.Person, "monday", "Monday", 1));
        await AddArticleAsync("Two", new DateOnly(2024, 6, 2), null, (EntityKind.Person, "ebrahim-raisi", "Ebrahim Raisi", 1));
        var curation = Services.GetRequiredService<EntityCuration>();
        await curation.AddAliasAsync(Raisi, "Raeesi");
        await curation.MergeAsync(new EntityRef(EntityKind.Person, "e-raisi"), Raisi);
        await curation.IgnoreAsync(new EntityRef(EntityKind.Person, "monday"));

        var cut = Render<Dashboard.Web.Components.Pages.CorrectionsPage>();

        cut.WaitForAssertion(() => cut.Find("[data-set-aside='person:monday']"));
        Assert.Contains("Monday", cut.Find("[data-set-aside='person:monday']").TextContent);
        Assert.Contains("Ebrahim Raisi", cut.Find("[data-alias='person:ebrahim-raisi|Raeesi']").TextContent);
        Assert.Contains("Ebrahim Raisi", cut.Find("[data-merge='person:e-raisi']").TextContent);

        await cut.ClickAsync("[data-alias='person:ebrahim-raisi|Raeesi'] [data-action=remove-alias]");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-alias]")));
        Assert.Contains("no longer a name", cut.Find("[data-correction-message]").TextContent);
        await Services.GetRequiredService<Reextraction>().WhenDoneAsync();

        await cut.ClickAsync("[data-set-aside='person:monday'] [data-action=restore-entity]");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-set-aside]")));
        Assert.Contains("counted again", cut.Find("[data-correction-message]").TextContent);
        await Services.GetRequiredService<Reextraction>().WhenDoneAsync();
        // A merge cannot be undone from here (its mentions were joined); it stays listed.
        Assert.Single(cut.FindAll("[data-merge]"));
    }

    [Fact]
    public async Task Renaming_shows_the_new_name_on_the_page_and_a_person_that_is_an_organisation_moves_there()
    {
        await AddArticleAsync("Talks at Samsung", new DateOnly(2024, 6, 1), null, (EntityKind.Person, "lee-jae-yong", "Lee Jae-yong", 1));
        var cut = Render<Dashboard.Web.Components.Pages.EntityPage>(p => p.Add(x => x.Kind, "person").Add(x => x.Key, "lee-jae-yong"));
        cut.WaitForAssertion(() => cut.Find("#rename-input"));
        var country = Render<EntityCorrections>(p => p.Add(x => x.Entity, new EntityRef(EntityKind.Country, "IR")));
        Assert.Empty(country.FindAll("[data-action=change-kind]"));

        await cut.ChangeAsync("#rename-input", "Samsung Electronics");
        await cut.ClickAsync("[data-action=rename]");

        cut.WaitForAssertion(() => Assert.Contains("Shown as “Samsung Electronics”", cut.Find("[data-correction-message]").TextContent));
        cut.WaitForAssertion(() => Assert.Contains("Samsung Electronics", cut.Find("h1, .mud-typography-h4, .mud-typography-h5").TextContent));

        Assert.Equal("organization", cut.Find("[data-action=change-kind]").GetAttribute("data-to"));
        await cut.ClickAsync("[data-action=change-kind]");

        // A merge in one transaction with its recount: allowed longer than a render on a busy machine.
        cut.WaitForAssertion(() => Assert.EndsWith("/entities/organization/lee-jae-yong", Navigation.Uri), TimeSpan.FromSeconds(30));
        var organisations = await Services.GetRequiredService<DashboardQueries>().TopEntitiesAsync(EntityKind.Organization, ArticleFilter.All);
        Assert.Equal("Samsung Electronics", Assert.Single(organisations).Name);
    }

    [Fact]
    public async Task Deleting_an_article_asks_first_then_its_page_says_so_and_the_corrections_page_can_allow_it_again()
    {
        var id = await AddArticleAsync("Test upload, please ignore", new DateOnly(2024, 6, 1), "Desk", (EntityKind.Country, "IR", "Iran", 1));
        var page = Render<Dashboard.Web.Components.Pages.ArticlePage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => page.Find("[data-action=delete-article]"));

        await page.ClickAsync("[data-action=delete-article]");
        await page.ClickAsync("[data-action=cancel-delete-article]");
        Assert.Empty(page.FindAll("[data-action=confirm-delete-article]"));
        await page.ClickAsync("[data-action=delete-article]");
        await page.ClickAsync("[data-action=confirm-delete-article]");

        page.WaitForAssertion(() => Assert.Contains("“Test upload, please ignore”, was deleted on", page.Find("[data-empty=article-deleted]").TextContent));
        Assert.Equal(0, (await Services.GetRequiredService<DashboardQueries>().TimelineAsync(ArticleFilter.All, 0, 1)).Total);

        var corrections = Render<Dashboard.Web.Components.Pages.CorrectionsPage>();
        corrections.WaitForAssertion(() => corrections.Find($"[data-deleted-article='{id}']"));
        await corrections.ClickAsync($"[data-deleted-article='{id}'] [data-action=allow-article-again]");
        corrections.WaitForAssertion(() => Assert.Empty(corrections.FindAll("[data-deleted-article]")));
        Assert.Contains("will be stored again", corrections.Find("[data-correction-message]").TextContent);
    }

    [Fact]
    public async Task The_dashboard_deletes_every_article_of_its_view_after_the_reader_confirms_the_number()
    {
        await AddArticleAsync("Test one", new DateOnly(2024, 6, 1), "Test desk", (EntityKind.Country, "IR", "Iran", 1));
        await AddArticleAsync("Test two", new DateOnly(2024, 6, 2), "Test desk", (EntityKind.Country, "IQ", "Iraq", 1));
        await AddArticleAsync("Real news", new DateOnly(2024, 6, 2), "Wire", (EntityKind.Country, "IR", "Iran", 1));
        var dashboard = Render<Dashboard.Web.Components.Pages.DashboardPage>();
        dashboard.WaitForAssertion(() => Assert.Equal(3, dashboard.FindAll("[data-article-id]").Count));
        // Unfiltered, there is nothing to offer: emptying the store is not a click.
        Assert.Empty(dashboard.FindAll("[data-action=delete-view-articles]"));

        Navigation.NavigateTo("/?source=Test%20desk");
        dashboard.WaitForAssertion(() => Assert.Equal(2, dashboard.FindAll("[data-article-id]").Count));
        await dashboard.ClickAsync("[data-action=delete-view-articles]");
        await dashboard.ClickAsync("[data-action=cancel-delete-view-articles]");
        await dashboard.ClickAsync("[data-action=delete-view-articles]");
        Assert.Contains("Delete 2 articles", dashboard.Find("[data-action=confirm-delete-view-articles]").TextContent);
        await dashboard.ClickAsync("[data-action=confirm-delete-view-articles]");

        dashboard.WaitForAssertion(() => Assert.Contains("2 articles deleted.", dashboard.Find("[data-delete-view-message]").TextContent));
        dashboard.WaitForAssertion(() => Assert.Empty(dashboard.FindAll("[data-article-id]")));
        Assert.Equal(1, (await Services.GetRequiredService<DashboardQueries>().TimelineAsync(ArticleFilter.All, 0, 1)).Total);
    }

    [Fact]
    public async Task A_refused_correction_shows_the_reason()
    {
        await AddArticleAsync("Talks in Tehran", new DateOnly(2024, 6, 1), null, (EntityKind.Person, "ebrahim-raisi", "Ebrahim Raisi", 1));
        var cut = Render<EntityCorrections>(p => p.Add(x => x.Entity, Raisi));

        await cut.ChangeAsync("#alias-input", "!!!");
        await cut.ClickAsync("[data-action=add-alias]");

        cut.WaitForAssertion(() => Assert.Contains("no letters or digits", cut.Find("[data-correction-message]").TextContent));
    }

    [Fact]
    public async Task Merging_moves_the_mentions_and_opens_the_surviving_entity()
    {
        await AddArticleAsync("One", new DateOnly(2024, 6, 1), null, (EntityKind.Person, "e-raisi", "E. Raisi", 1));
        await AddArticleAsync("Two", new DateOnly(2024, 6, 2), null, (EntityKind.Person, "ebrahim-raisi", "Ebrahim Raisi", 1));
        var cut = Render<EntityCorrections>(p => p.Add(x => x.Entity, new EntityRef(EntityKind.Person, "e-raisi")));

        var found = await Services.GetRequiredService<DashboardQueries>().FindEntitiesAsync("Ebrahim", [EntityKind.Person, EntityKind.Organization]);
        Assert.Equal("ebrahim-raisi", Assert.Single(found).Key);
        await cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudAutocomplete<EntityChip>>().Instance.SelectOptionAsync(found[0]));
        await cut.ClickAsync("[data-action=merge]");

        cut.WaitForAssertion(() => Assert.EndsWith("/entities/person/ebrahim-raisi", Navigation.Uri));
        var queries = Services.GetRequiredService<DashboardQueries>();
        Assert.Equal(2, (await queries.TimelineAsync(ArticleFilter.All.WithEntity(Raisi), 0, 10)).Total);
    }
}
