using Dashboard.Web.Curation;
using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Curation;

/// <summary>Deleting an article over a real SQLite file: counts, search, story and uploads follow, and it does not come back unasked.</summary>
public sealed class ArticleRemovalTests : IAsyncLifetime
{
    private static readonly EntityRef Iran = new(EntityKind.Country, "IR");
    private static readonly EntityRef Peru = new(EntityKind.Country, "PE");

    private readonly TestStore _store = new();
    private IServiceProvider _services = null!;
    private DashboardQueries _queries = null!;
    private ArticleRemoval _removal = null!;
    private byte[] _seed = [];

    public async Task InitializeAsync()
    {
        _services = await _store.StartAsync();
        _queries = _services.GetRequiredService<DashboardQueries>();
        _removal = _services.GetRequiredService<ArticleRemoval>();
        _seed = await File.ReadAllBytesAsync(TestPaths.SeedArticle);
        await IngestAsync("seed.txt", _seed);
        // A wire copy of the seed (the same story) and an article of its own.
        await IngestAsync("copy.txt", [.. _seed, .. "\n\n(Reporting by the IRNA news agency.)"u8.ToArray()]);
        await IngestAsync("peru.txt", "date 2024-06-01 The foreign ministers of Chile and Peru met in Lima on fisheries."u8.ToArray());
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task A_deleted_article_leaves_every_count_the_search_and_its_story_which_its_copy_now_stands_for()
    {
        var first = await IdOfAsync("seed.txt");
        var copy = await IdOfAsync("copy.txt");
        Assert.Equal(2, await ArticlesAsync(ArticleFilter.All.WithEntity(Iran)));
        Assert.Equal(2, await ArticlesAsync(new ArticleFilter { Text = "Rafah" }));

        var removed = await _removal.DeleteAsync(first);

        Assert.Equal(1, removed!.RemainingCopies);
        Assert.Equal(2, await ArticlesAsync(ArticleFilter.All));
        Assert.Equal(1, await ArticlesAsync(ArticleFilter.All.WithEntity(Iran)));
        Assert.Equal(1, await ArticlesAsync(new ArticleFilter { Text = "Rafah" }));
        Assert.Null(await _queries.ArticleAsync(first));
        // The daily counts, the co-mention index and a count over the rows agree.
        var raw = new DashboardQueries(_services.GetRequiredService<IDbContextFactory<DashboardDb>>()) { UseDailyCounts = false };
        foreach (var filter in new[] { ArticleFilter.All, ArticleFilter.All.WithEntity(Peru), new ArticleFilter { From = new DateOnly(2024, 6, 1), To = new DateOnly(2024, 6, 1) } })
        {
            Assert.Equal(await raw.TopEntitiesAsync(EntityKind.Country, filter, 50), await _queries.TopEntitiesAsync(EntityKind.Country, filter, 50));
            Assert.Equal(await raw.VolumeAsync(filter), await _queries.VolumeAsync(filter));
            Assert.Equal((await raw.TimelineAsync(filter, 0, 10)).Total, (await _queries.TimelineAsync(filter, 0, 10)).Total);
        }
        // The copy is the story's first now: counting stories, the story still counts once.
        Assert.Equal(2, (await _queries.TimelineAsync(ArticleFilter.All, 0, 10, oneRowPerStory: true)).Total);
        await using var db = await _services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        Assert.Null((await db.Articles.SingleAsync(a => a.Id == copy)).StoryId);
        // The upload that brought it says so instead of linking to nothing.
        var upload = await db.Uploads.SingleAsync(u => u.FileName == "seed.txt");
        Assert.Null(upload.ArticleId);
        Assert.Contains("(article deleted on", upload.Reason);

        Assert.Null(await _removal.DeleteAsync(first));
    }

    [Fact]
    public async Task A_deleted_article_arriving_again_is_not_stored_until_it_is_allowed_again()
    {
        var peru = await IdOfAsync("peru.txt");
        await _removal.DeleteAsync(peru);

        var again = await IngestAsync("peru-again.txt", "date 2024-06-01 The foreign ministers of Chile and Peru met in Lima on fisheries."u8.ToArray());

        Assert.Equal(UploadStatus.Duplicate, again.Status);
        Assert.Contains("[deleted on", again.Reason);
        Assert.Equal(0, await ArticlesAsync(ArticleFilter.All.WithEntity(Peru)));
        var deletion = Assert.Single(await _removal.ListAsync());
        Assert.Equal(peru, deletion.ArticleId);
        Assert.Equal(deletion.Id, (await _removal.FindAsync(peru))!.Id);

        Assert.True(await _removal.AllowAgainAsync(deletion.Id));
        Assert.False(await _removal.AllowAgainAsync(deletion.Id));
        var allowed = await IngestAsync("peru-allowed.txt", "date 2024-06-01 The foreign ministers of Chile and Peru met in Lima on fisheries."u8.ToArray());

        Assert.Equal(UploadStatus.Stored, allowed.Status);
        Assert.Equal(1, await ArticlesAsync(ArticleFilter.All.WithEntity(Peru)));
    }

    [Fact]
    public async Task Every_article_of_a_view_is_deleted_at_once_when_it_holds_as_many_as_shown_and_an_unfiltered_view_never()
    {
        var iran = ArticleFilter.All.WithEntity(Iran);

        await Assert.ThrowsAsync<ViewChangedException>(() => _removal.DeleteAllAsync(iran, expected: 3));
        Assert.Equal(2, await ArticlesAsync(iran));
        Assert.Contains("needs a filter", (await Assert.ThrowsAsync<CurationException>(() => _removal.DeleteAllAsync(ArticleFilter.All, expected: 3))).Message);

        Assert.Equal(2, await _removal.DeleteAllAsync(iran, expected: 2));

        Assert.Equal(0, await ArticlesAsync(iran));
        Assert.Equal(1, await ArticlesAsync(ArticleFilter.All));
        Assert.Equal(2, (await _removal.ListAsync()).Count);
        var raw = new DashboardQueries(_services.GetRequiredService<IDbContextFactory<DashboardDb>>()) { UseDailyCounts = false };
        foreach (var kind in new[] { EntityKind.Country, EntityKind.Person, EntityKind.Organization, EntityKind.Topic })
        {
            Assert.Equal(await raw.TopEntitiesAsync(kind, ArticleFilter.All, 50), await _queries.TopEntitiesAsync(kind, ArticleFilter.All, 50));
        }
        Assert.Equal(await raw.VolumeAsync(ArticleFilter.All), await _queries.VolumeAsync(ArticleFilter.All));
        Assert.Equal(0, await ArticlesAsync(new ArticleFilter { Text = "Rafah" }));
        Assert.Equal(0, await _removal.DeleteAllAsync(iran, expected: 0));
    }

    private async Task<Upload> IngestAsync(string name, byte[] content)
    {
        var upload = await _services.GetRequiredService<IngestQueue>().EnqueueAsync(name, content);
        await _services.GetRequiredService<ArticleIngestor>().DrainAsync();
        return (await _services.GetRequiredService<IngestQueue>().FindAsync(upload.Id))!;
    }

    private async Task<long> IdOfAsync(string fileName)
    {
        await using var db = await _services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        return (await db.Uploads.SingleAsync(u => u.FileName == fileName)).ArticleId!.Value;
    }

    private async Task<int> ArticlesAsync(ArticleFilter filter) => (await _queries.TimelineAsync(filter, 0, 1)).Total;
}
