using Dashboard.Web.Curation;
using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Dashboard.Web.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Monitoring;

/// <summary>Saved views are kept by name over a real SQLite file, survive a restart, and refuse what is not a dashboard address.</summary>
public sealed class SavedViewsTests : IAsyncLifetime
{
    private readonly TestStore _store = new();
    private IServiceProvider _services = null!;
    private SavedViews _views = null!;

    public async Task InitializeAsync()
    {
        _services = await _store.StartAsync();
        _views = _services.GetRequiredService<SavedViews>();
    }

    private async Task IngestAsync(string name, string text)
    {
        await _services.GetRequiredService<IngestQueue>().EnqueueAsync(name, System.Text.Encoding.UTF8.GetBytes(text));
        await _services.GetRequiredService<ArticleIngestor>().DrainAsync();
    }

    [Fact]
    public async Task A_view_counts_the_articles_that_arrived_in_it_since_it_was_saved_or_last_opened()
    {
        await IngestAsync("a.txt", "date 2024-06-01 The foreign ministers of Chile and Peru met in Lima.");
        var peru = await _views.SaveAsync("Peru", "/?entity=country:PE");
        var june = await _views.SaveAsync("Early June", "/?from=2024-06-01&to=2024-06-02");
        Assert.Equal(await _services.GetRequiredService<DashboardQueries>().LastArticleIdAsync(), peru.SeenUpTo);
        Assert.Equal(new Dictionary<long, int> { [peru.Id] = 0, [june.Id] = 0 }, await _views.NewArticlesAsync(await _views.ListAsync()));

        await IngestAsync("b.txt", "date 2024-06-09 Peru and Bolivia opened a border crossing near Lake Titicaca.");
        await IngestAsync("c.txt", "date 2024-06-02 Brazil and Argentina agreed on a trade deal in Brasilia.");

        // Peru's view gained the first, the dates' view the second.
        Assert.Equal(new Dictionary<long, int> { [peru.Id] = 1, [june.Id] = 1 }, await _views.NewArticlesAsync(await _views.ListAsync()));
        Assert.True(await _views.MarkSeenAsync(peru.Id));
        Assert.Equal(new Dictionary<long, int> { [peru.Id] = 0, [june.Id] = 1 }, await _views.NewArticlesAsync(await _views.ListAsync()));
        Assert.False(await _views.MarkSeenAsync(999));
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Views_are_listed_by_name_a_name_saved_again_gets_the_new_address_and_they_outlive_a_restart()
    {
        await _views.SaveAsync("Iran, last month", "/?entity=country:IR&from=2024-05-01&to=2024-05-31");
        var gaza = await _views.SaveAsync("  gaza search ", "/?q=gaza");
        await _views.SaveAsync("Iran, last month", "/?entity=country:IR&from=2024-06-01&to=2024-06-30");

        var restarted = (await _store.StartAsync()).GetRequiredService<SavedViews>();
        var views = await restarted.ListAsync();
        Assert.Equal(["gaza search", "Iran, last month"], views.Select(v => v.Name));
        Assert.Equal("/?entity=country:IR&from=2024-06-01&to=2024-06-30", views[1].Url);

        Assert.True(await restarted.DeleteAsync(gaza.Id));
        Assert.False(await restarted.DeleteAsync(gaza.Id));
        Assert.Equal(["Iran, last month"], (await restarted.ListAsync()).Select(v => v.Name));
    }

    [Fact]
    public async Task A_moving_window_counts_what_arrives_within_the_last_days()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var week = await _views.SaveAsync("This week", "/?days=7");
        await IngestAsync("old.txt", $"date {today.AddDays(-30):yyyy-MM-dd} The foreign ministers of Chile and Peru met in Lima.");
        await IngestAsync("new.txt", $"date {today:yyyy-MM-dd} Peru and Bolivia opened a border crossing near Lake Titicaca.");

        Assert.Equal(1, (await _views.NewArticlesAsync([week]))[week.Id]);
    }

    [Fact]
    public async Task What_leaves_a_view_hides_nothing_new_and_a_view_of_stories_does_not_count_a_new_copy_of_one_it_showed()
    {
        var wire = "date 2024-06-01 The foreign ministers of Chile and Peru met in Lima on Saturday to discuss a new trade corridor " +
            "across the Andes, lithium exports, and the fisheries dispute that has strained ties between the two neighbours since the spring. " +
            "Officials said a joint commission would report within ninety days.";
        await IngestAsync("a.txt", wire);
        await IngestAsync("president.txt", "date 2024-06-01 Dina Boluarte spoke to reporters in Lima, Peru.");
        await IngestAsync("b.txt", "date 2024-06-01 Peru's navy named the admiral Miguel Grau its patron in Callao.");
        const string url = "/?entity=country:PE&exclude=person:dina-boluarte";
        var peru = await _views.SaveAsync("Peru", url);
        var stories = await _views.SaveAsync("Peru stories", url + "&count=stories");

        // The second article leaves the view (its admiral merged into the excluded president) while one arrives: one is new.
        await _services.GetRequiredService<EntityCuration>().MergeAsync(new EntityRef(EntityKind.Person, "miguel-grau"), new EntityRef(EntityKind.Person, "dina-boluarte"));
        await IngestAsync("c.txt", "date 2024-05-20 Peru and Bolivia opened a border crossing near Lake Titicaca.");
        Assert.Equal(1, (await _views.NewArticlesAsync([peru]))[peru.Id]);

        // A wire copy of the first story, with a changed ending: a new article, not a new story.
        await IngestAsync("copy.txt", wire.Replace("within ninety days.", "within ninety days, according to the Andina agency."));
        var fresh = await _views.NewArticlesAsync([peru, stories]);
        Assert.Equal(2, fresh[peru.Id]);
        Assert.Equal(1, fresh[stories.Id]);

        // The co-mention index and SQL agree (the index answers while it is on).
        var raw = new DashboardQueries(_services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<DashboardDb>>()) { UseDailyCounts = false };
        var filter = DashboardUrl.ParseUrl(url, DateOnly.FromDateTime(DateTime.UtcNow)).Filter;
        Assert.Equal(2, await raw.ArticlesStoredAfterAsync(filter, peru.SeenUpTo, stories: false));
        Assert.Equal(1, await raw.ArticlesStoredAfterAsync(filter, peru.SeenUpTo, stories: true));
        Assert.Equal(0, await raw.ArticlesStoredAfterAsync(filter, long.MaxValue, stories: false));
    }

    [Theory]
    [InlineData("", "/?q=gaza", "1 to 100 characters")]
    [InlineData("ok", "https://evil.example/?q=gaza", "not a dashboard address")]
    [InlineData("ok", "//evil.example/", "not a dashboard address")]
    [InlineData("ok", "/upload", "not a dashboard address")]
    [InlineData("ok", "/?q=a\nb", "not a dashboard address")]
    [InlineData("ok", "/?q=%22open", "quotation mark")]
    public async Task What_is_not_a_name_and_a_dashboard_address_is_refused_with_the_reason(string name, string url, string expected)
    {
        var error = await Assert.ThrowsAsync<SavedViewException>(() => _views.SaveAsync(name, url));

        Assert.Contains(expected, error.Message);
        Assert.Empty(await _views.ListAsync());
    }
}
