using Bunit;
using Dashboard.Web.Access;
using Dashboard.Web.Components.Controls;
using Dashboard.Web.Components.Pages;
using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Components;

/// <summary>
/// The pages ask the one authorisation seam (<see cref="DashboardAccess"/>) before they offer or make a change, as the
/// API's routes require the same policies: a person without a permission sees what the others see, with the reason in
/// place of the controls, and a handler reached anyway (the page's own script) changes nothing.
/// </summary>
public sealed class PermissionTests : DashboardTestContext
{
    public PermissionTests()
    {
        Services.AddSingleton<Dashboard.Web.Feeds.FeedPoller>();
        Services.AddSingleton<Dashboard.Web.Feeds.FeedSubscriptions>();
    }

    /// <summary>A signed-in person granted only <paramref name="policies"/> (bUnit's authorisation double); before anything is rendered or resolved.</summary>
    private void SignIn(string name, params string[] policies)
    {
        var authorization = AddAuthorization();
        authorization.SetAuthorized(name);
        if (policies.Length > 0)
        {
            authorization.SetPolicies(policies);
        }
    }

    /// <summary>A short text with an address, naming Ebrahim Raisi: its page would offer to fetch the full text.</summary>
    private async Task<long> AddShortArticleWithAddressAsync()
    {
        var id = await AddArticleAsync("Iran and Algeria discuss Gaza", new DateOnly(2024, 6, 1), null, (EntityKind.Person, "ebrahim-raisi", "Ebrahim Raisi", 1));
        await using var db = await Services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        var article = await db.Articles.SingleAsync(a => a.Id == id);
        article.Url = "https://news.example.org/iran-algeria";
        await db.SaveChangesAsync();
        return id;
    }

    [Fact]
    public async Task Without_the_upload_permission_the_upload_page_says_why_and_a_dropped_link_is_not_fetched()
    {
        SignIn("viewer", DashboardPolicies.Curate);
        var queue = Services.GetRequiredService<IngestQueue>();
        var failed = await AddFailedUploadAsync("broken.txt", "date 2024-02-30 Text."u8.ToArray(), "broken.txt: the date header '2024-02-30' is not a real date");

        var cut = Render<UploadPage>();

        cut.WaitForAssertion(() => Assert.Contains("is not a real date", cut.Find($"[data-failed-upload='{failed.Id}']").TextContent));
        Assert.Contains("needs the upload permission", cut.Find($"[data-refused='{DashboardPolicies.Upload}']").TextContent);
        Assert.Empty(cut.FindAll("[data-drop-zone]"));
        Assert.Empty(cut.FindAll("[data-link-form]"));
        Assert.Empty(cut.FindAll("[data-action=retry], [data-action=retry-all]"));

        // The drop script calls the page directly, without a button: the seam is asked there too.
        await cut.InvokeAsync(() => cut.Instance.OnLinkDroppedAsync("https://news.example.org/story"));
        Assert.Empty(cut.FindAll("[data-upload-file]"));
        Assert.Equal(1, await queue.CountAsync(UploadStatus.Failed));
        Assert.Equal(0, await queue.CountAsync(UploadStatus.Fetching) + await queue.CountAsync(UploadStatus.Queued));
    }

    [Fact]
    public void With_the_upload_permission_the_page_offers_files_links_and_retries()
    {
        SignIn("editor", DashboardPolicies.Upload);

        var cut = Render<UploadPage>();

        Assert.NotNull(cut.Find("[data-drop-zone]"));
        Assert.NotNull(cut.Find("[data-link-form]"));
        Assert.Empty(cut.FindAll("[data-refused]"));
    }

    [Fact]
    public async Task Without_the_upload_permission_feeds_are_shown_with_their_health_but_cannot_be_changed()
    {
        SignIn("viewer");
        await using (var db = await Services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync())
        {
            db.Feeds.Add(new Feed { Url = "https://wire.example.org/rss", Title = "Wire", PollMinutes = 30, NextPollAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }

        var cut = Render<FeedsPage>();

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-feed-url='https://wire.example.org/rss']")));
        Assert.Contains("needs the upload permission", cut.Find($"[data-refused='{DashboardPolicies.Upload}']").TextContent);
        Assert.Empty(cut.FindAll("[data-feed-add], [data-feed-import], [data-feed-poll], [data-feed-remove]"));
        Assert.NotNull(cut.Find("[data-feed-export]"));
        Assert.All(cut.FindAll("[data-feed-url] input"), input => Assert.True(input.HasAttribute("disabled"), input.OuterHtml));
    }

    [Fact]
    public async Task Without_the_curate_permission_an_article_offers_no_text_replacement_and_an_entity_no_corrections()
    {
        SignIn("uploader", DashboardPolicies.Upload);
        var id = await AddShortArticleWithAddressAsync();

        var page = Render<ArticlePage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Contains("Iran and Algeria", page.Markup));
        Assert.Empty(page.FindAll("[data-full-text], [data-action=fetch-full-text]"));

        var corrections = Render<EntityCorrections>(p => p.Add(x => x.Entity, new EntityRef(EntityKind.Person, "ebrahim-raisi")));
        Assert.Empty(corrections.FindAll("[data-entity-corrections]"));

        // A name set aside is listed, and its page says so, without the undo.
        await Services.GetRequiredService<Dashboard.Web.Curation.EntityCuration>().IgnoreAsync(new EntityRef(EntityKind.Person, "ebrahim-raisi"));
        var list = Render<CorrectionsPage>();
        list.WaitForAssertion(() => list.Find("[data-set-aside='person:ebrahim-raisi']"));
        Assert.Empty(list.FindAll("[data-action=restore-entity]"));
        var entity = Render<EntityPage>(p => p.Add(x => x.Kind, "person").Add(x => x.Key, "ebrahim-raisi"));
        entity.WaitForAssertion(() => entity.Find("[data-ignored-entity]"));
        Assert.Empty(entity.FindAll("[data-action=restore-entity]"));

        // Saved views are links for everyone, marked events are shown to everyone; saving, marking and removing are not offered.
        await Services.GetRequiredService<Dashboard.Web.Monitoring.SavedViews>().SaveAsync("Iran", "/?entity=country:IR");
        await Services.GetRequiredService<Dashboard.Web.Monitoring.Annotations>().AddAsync(new DateOnly(2024, 6, 1), "Talks in Tehran");
        var dashboard = Render<DashboardPage>();
        dashboard.WaitForAssertion(() => dashboard.Find("[data-saved-view='Iran']"));
        dashboard.WaitForAssertion(() => dashboard.Find("[data-event-mark]"));
        Assert.Empty(dashboard.FindAll("[data-action=save-view], [data-action=delete-view], [data-action=mark-event], [data-action=delete-event]"));
    }

    [Fact]
    public async Task With_the_curate_permission_both_are_offered()
    {
        SignIn("editor", DashboardPolicies.Curate);
        var id = await AddShortArticleWithAddressAsync();

        var page = Render<ArticlePage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-action=fetch-full-text]")));
        var corrections = Render<EntityCorrections>(p => p.Add(x => x.Entity, new EntityRef(EntityKind.Person, "ebrahim-raisi")));
        Assert.NotNull(corrections.Find("[data-entity-corrections]"));
    }
}
