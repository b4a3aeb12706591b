using System.Text;
using Bunit;
using Dashboard.Tests.Feeds;
using Dashboard.Web.Components.Pages;
using Dashboard.Web.Data;
using Dashboard.Web.Feeds;
using Dashboard.Web.Model;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Dashboard.Tests.Components;

/// <summary>The Feeds page: add by address, health per feed, poll now, remove, OPML import.</summary>
public sealed class FeedsPageTests : DashboardTestContext
{
    public FeedsPageTests()
    {
        Services.AddSingleton<FeedPoller>();
        Services.AddSingleton<FeedSubscriptions>();
    }

    [Fact]
    public void An_address_is_added_as_a_feed_never_polled_and_a_bad_one_is_refused_with_the_reason()
    {
        var cut = Render<FeedsPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-interactive=true]")));

        cut.FindComponents<MudTextField<string>>()[0].Find("input").Input("ftp://example.org/feed");
        cut.Find("button[data-feed-add]").Click();
        cut.WaitForAssertion(() => Assert.Contains("is not an absolute http:// or https:// address", cut.Find("[data-feed-message=error]").TextContent));

        cut.FindComponents<MudTextField<string>>()[0].Find("input").Input("https://example.org/world.xml");
        cut.Find("button[data-feed-add]").Click();

        cut.WaitForAssertion(() =>
        {
            var row = cut.Find("[data-feed-url='https://example.org/world.xml']");
            Assert.Equal("never", row.GetAttribute("data-health"));
            Assert.Contains("Last success: never", row.TextContent);
        });
    }

    [Fact]
    public async Task Each_row_shows_its_health_the_last_error_with_its_message_and_items_per_day()
    {
        var now = DateTime.UtcNow;
        var failing = await AddFeedAsync(new Feed { Url = "https://down.example.org/rss", Title = "Down", ConsecutiveFailures = 3, LastError = "the server answered HTTP 503 Service Unavailable", LastErrorAt = now.AddMinutes(-5), LastSuccessAt = now.AddDays(-2), NextPollAt = now.AddHours(4) });
        var healthy = await AddFeedAsync(new Feed { Url = "https://up.example.org/rss", Title = "Up", LastSuccessAt = now.AddMinutes(-1), NextPollAt = now.AddMinutes(29) });
        await AddFeedArticleAsync(healthy, "One");
        await AddFeedArticleAsync(healthy, "Two");
        // Two of the healthy feed's items wait for their full article; a link someone sent is not the feed's.
        await Services.GetRequiredService<Dashboard.Web.Ingestion.IngestQueue>().EnqueueLinksAsync(
            [new Uri("https://up.example.org/news/1"), new Uri("https://up.example.org/news/2")], feedId: healthy);
        await Services.GetRequiredService<Dashboard.Web.Ingestion.IngestQueue>().EnqueueLinksAsync([new Uri("https://up.example.org/news/3")]);

        var cut = Render<FeedsPage>();

        cut.WaitForAssertion(() =>
        {
            var down = cut.Find($"[data-feed-id='{failing}']");
            Assert.Equal("failing", down.GetAttribute("data-health"));
            Assert.Contains("HTTP 503 Service Unavailable", down.QuerySelector("[data-last-error]")!.TextContent);
            Assert.Contains("3 failures in a row", down.TextContent);
            var up = cut.Find($"[data-feed-id='{healthy}']");
            Assert.Equal("ok", up.GetAttribute("data-health"));
            Assert.Null(up.QuerySelector("[data-last-error]"));
            Assert.Contains("0 · 0 · 0 · 0 · 0 · 0 · 2", up.QuerySelector("[data-items-per-day]")!.TextContent);
            Assert.Equal("2", up.QuerySelector("[data-pages-waiting]")!.GetAttribute("data-pages-waiting"));
            Assert.Null(down.QuerySelector("[data-pages-waiting]"));
        });
    }

    [Fact]
    public async Task Poll_now_reads_the_feed_from_a_local_server_and_the_row_turns_healthy()
    {
        var feed = await File.ReadAllBytesAsync(Path.Combine(TestPaths.Shared, "data", "feeds", "feedreader", "Rss20BreakingNews.xml"));
        await using var server = await LocalWebServer.StartAsync(context => LocalWebServer.SendAsync(context, feed, "application/rss+xml"));
        var id = await AddFeedAsync(new Feed { Url = server.Url("feed.xml"), NextPollAt = DateTime.UtcNow.AddHours(1) });
        var cut = Render<FeedsPage>();
        cut.WaitForAssertion(() => Assert.Equal("never", cut.Find($"[data-feed-id='{id}']").GetAttribute("data-health")));

        cut.Find($"[data-feed-id='{id}'] button[data-feed-poll]").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("ok", cut.Find($"[data-feed-id='{id}']").GetAttribute("data-health"));
            Assert.Contains("items read", cut.Find("[data-feed-message]").TextContent);
        }, TimeSpan.FromSeconds(30));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Remove_takes_the_row_away()
    {
        var id = await AddFeedAsync(new Feed { Url = "https://gone.example.org/rss", NextPollAt = DateTime.UtcNow });
        var cut = Render<FeedsPage>();
        cut.WaitForAssertion(() => cut.Find($"[data-feed-id='{id}']"));

        cut.Find($"[data-feed-id='{id}'] button[data-feed-remove]").Click();

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-feed-url]")));
        Assert.NotNull(cut.Find("[data-feeds-empty]"));
    }

    [Fact]
    public async Task Full_articles_and_the_poll_interval_are_changed_on_the_row()
    {
        var id = await AddFeedAsync(new Feed { Url = "https://wire.example.org/rss", PollMinutes = 30, NextPollAt = DateTime.UtcNow });
        var cut = Render<FeedsPage>();
        cut.WaitForAssertion(() => cut.Find($"[data-feed-id='{id}']"));

        cut.Find($"[data-feed-id='{id}'] [data-feed-full] input, [data-feed-id='{id}'] input[data-feed-full]").Change(true);
        var interval = cut.FindComponents<MudSelect<int>>().Single();
        await cut.InvokeAsync(() => interval.Instance.ValueChanged.InvokeAsync(180));

        await using var db = await Services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        cut.WaitForAssertion(() =>
        {
            var feed = db.Feeds.AsNoTracking().Single(f => f.Id == id);
            Assert.True(feed.FetchFullArticle);
            Assert.Equal(180, feed.PollMinutes);
        });
    }

    [Fact]
    public void An_opml_file_adds_its_feeds_and_the_export_link_points_at_the_api()
    {
        var cut = Render<FeedsPage>();
        const string opml = """
            <opml version="2.0"><body>
              <outline title="Alpha" xmlUrl="https://alpha.example.org/rss"/>
              <outline text="Folder"><outline title="Beta" xmlUrl="https://beta.example.org/atom"/></outline>
            </body></opml>
            """;

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(Encoding.UTF8.GetBytes(opml), "subs.opml"));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(2, cut.FindAll("[data-feed-url]").Count);
            Assert.Contains("subs.opml: 2 feeds added", cut.Find("[data-feed-message]").TextContent);
        });
        Assert.Equal("/api/feeds/opml", cut.Find("[data-feed-export]").GetAttribute("href"));
    }

    private async Task<long> AddFeedAsync(Feed feed)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        feed.AddedAt = DateTime.UtcNow.AddDays(-10);
        db.Feeds.Add(feed);
        await db.SaveChangesAsync();
        return feed.Id;
    }

    private async Task AddFeedArticleAsync(long feedId, string title)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        db.Articles.Add(new Article { Title = title, Text = title, ContentHash = Guid.NewGuid().ToString("N"), IngestedAt = DateTime.UtcNow, PublishedDate = DateOnly.FromDateTime(DateTime.UtcNow), FeedId = feedId });
        await db.SaveChangesAsync();
    }
}
