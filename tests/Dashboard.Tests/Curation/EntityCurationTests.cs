using Dashboard.Web.Curation;
using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Curation;

public sealed class EntityCurationTests : IAsyncLifetime
{
    private static readonly EntityRef Amirabdollahian = new(EntityKind.Person, "hossein-amirabdollahian");
    private static readonly EntityRef Bagheri = new(EntityKind.Person, "ali-bagheri-kani");
    private static readonly EntityRef UnitedNations = new(EntityKind.Organization, "united-nations");

    private readonly TestStore _store = new();
    private IServiceProvider _services = null!;
    private DashboardQueries _queries = null!;
    private EntityCuration _curation = null!;

    public async Task InitializeAsync()
    {
        _services = await _store.StartAsync();
        _queries = _services.GetRequiredService<DashboardQueries>();
        _curation = _services.GetRequiredService<EntityCuration>();
        await IngestAsync(("seed.txt", await File.ReadAllBytesAsync(TestPaths.SeedArticle)));
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task A_merge_moves_stored_mentions_at_once_and_catches_later_articles_too()
    {
        await IngestAsync(("later.txt", "date 2024-06-03 Hossein Amirabdollahian was remembered at a ceremony in Tehran."u8.ToArray()));
        Assert.Equal(2, await ArticlesAsync(Amirabdollahian));
        Assert.Equal(1, await ArticlesAsync(Bagheri));

        await _curation.MergeAsync(Amirabdollahian, Bagheri);

        Assert.Equal(0, await ArticlesAsync(Amirabdollahian));
        Assert.Equal(2, await ArticlesAsync(Bagheri));
        var people = await _queries.TopEntitiesAsync(EntityKind.Person, ArticleFilter.All, 50);
        Assert.DoesNotContain(people, p => p.Key == Amirabdollahian.Key);
        // The seed names both: its one mention now carries both people's occurrences.
        var seed = (await _queries.TimelineAsync(new ArticleFilter { To = new DateOnly(2024, 6, 1) }, 0, 1)).Articles.Single();
        var detail = (await _queries.ArticleAsync(seed.Id))!;
        var merged = detail.Mentions.Single(m => m.Key == Bagheri.Key);
        Assert.Equal(merged.Spans.Count, merged.Count);
        Assert.Contains(merged.Spans, s => detail.Text[s.Start..s.End] == "Hossein Amirabdollahian");

        await IngestAsync(("after.txt", "date 2024-06-04 Hossein Amirabdollahian's legacy was debated in Parliament."u8.ToArray()));
        Assert.Equal(3, await ArticlesAsync(Bagheri));

        // Re-extraction applies the merge again rather than bringing the old entity back.
        var reextraction = _services.GetRequiredService<Reextraction>();
        await reextraction.RunAsync(CancellationToken.None);
        Assert.Equal(3, await ArticlesAsync(Bagheri));
        Assert.Equal(0, await ArticlesAsync(Amirabdollahian));
        await using var db = await _services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        Assert.False(await db.Entities.AnyAsync(e => e.Key == Amirabdollahian.Key && e.Kind == EntityKind.Person));
        Assert.True(await db.EntityAliases.AnyAsync(a => a.Name == "Hossein Amirabdollahian"));
    }

    [Fact]
    public async Task A_user_alias_reaches_stored_articles_after_reextraction_and_new_articles_at_once()
    {
        await IngestAsync(("old.txt", "date 2024-03-01 The Blue Helmets patrolled the border near Naqoura on Monday."u8.ToArray()));
        var filter = new ArticleFilter { From = new DateOnly(2024, 3, 1), To = new DateOnly(2024, 3, 31) };
        Assert.DoesNotContain(await _queries.TopEntitiesAsync(EntityKind.Organization, filter), o => o.Key == UnitedNations.Key);

        await _curation.AddAliasAsync(UnitedNations, "Blue Helmets");
        await IngestAsync(("new.txt", "date 2024-03-02 Blue Helmets reported calm along the line overnight."u8.ToArray()));
        Assert.Equal(1, (await _queries.TopEntitiesAsync(EntityKind.Organization, filter)).Single(o => o.Key == UnitedNations.Key).Count);

        await _services.GetRequiredService<Reextraction>().RunAsync(CancellationToken.None);

        Assert.Equal(2, (await _queries.TopEntitiesAsync(EntityKind.Organization, filter)).Single(o => o.Key == UnitedNations.Key).Count);
        var status = _services.GetRequiredService<Reextraction>().Status;
        Assert.Equal(status.Total, status.Done);
        Assert.Equal(3, status.Done);
    }

    [Fact]
    public async Task Corrections_that_make_no_sense_are_refused_with_a_reason()
    {
        Assert.Contains("itself", (await Assert.ThrowsAsync<CurationException>(() => _curation.MergeAsync(Bagheri, Bagheri))).Message);
        Assert.Contains("cannot be merged into a topic", (await Assert.ThrowsAsync<CurationException>(
            () => _curation.MergeAsync(new EntityRef(EntityKind.Country, "IR"), new EntityRef(EntityKind.Topic, "diplomacy")))).Message);
        Assert.Contains("no person", (await Assert.ThrowsAsync<CurationException>(
            () => _curation.MergeAsync(new EntityRef(EntityKind.Person, "nobody-at-all"), Bagheri))).Message);
        Assert.Contains("1 to", (await Assert.ThrowsAsync<CurationException>(() => _curation.AddAliasAsync(Bagheri, "  "))).Message);
        await _curation.AddAliasAsync(Bagheri, "the negotiator");
        Assert.Contains("already an alias", (await Assert.ThrowsAsync<CurationException>(() => _curation.AddAliasAsync(UnitedNations, "the negotiator"))).Message);
    }

    [Fact]
    public async Task A_name_set_aside_leaves_every_article_and_the_counts_stays_out_of_later_ones_and_can_be_counted_again()
    {
        await IngestAsync(("later.txt", "date 2024-06-03 Hossein Amirabdollahian was remembered at a ceremony in Tehran."u8.ToArray()));
        // A name merged into it earlier is set aside with it.
        await _curation.MergeAsync(Bagheri, Amirabdollahian);
        Assert.Equal(2, await ArticlesAsync(Amirabdollahian));
        var raw = new DashboardQueries(_services.GetRequiredService<IDbContextFactory<DashboardDb>>()) { UseDailyCounts = false };

        Assert.Equal(2, await _curation.IgnoreAsync(Amirabdollahian));

        Assert.Equal(0, await ArticlesAsync(Amirabdollahian));
        foreach (var queries in new[] { _queries, raw })
        {
            Assert.DoesNotContain(await queries.TopEntitiesAsync(EntityKind.Person, ArticleFilter.All, 50), p => p.Key is "hossein-amirabdollahian" or "ali-bagheri-kani");
        }
        // The daily counts and the co-mention index agree with a count over the mention rows that are left.
        Assert.Equal(await raw.TopActorsAsync(ArticleFilter.All, 20, false), await _queries.TopActorsAsync(ArticleFilter.All, 20, false));
        var iran = ArticleFilter.All.WithEntity(new EntityRef(EntityKind.Country, "IR"));
        Assert.Equal(await raw.TopActorsAsync(iran, 20, false), await _queries.TopActorsAsync(iran, 20, false));
        Assert.Equal("Hossein Amirabdollahian", (await _queries.IgnoredEntityAsync(Amirabdollahian))!.Name);
        Assert.NotNull(await _queries.IgnoredEntityAsync(Bagheri));

        // Neither a new article nor reading the stored ones again brings either back.
        await IngestAsync(("after.txt", "date 2024-06-04 Hossein Amirabdollahian and Ali Bagheri Kani were named in Parliament."u8.ToArray()));
        await _services.GetRequiredService<Reextraction>().RunAsync(CancellationToken.None);
        Assert.Equal(0, await ArticlesAsync(Amirabdollahian));
        Assert.Equal(0, await ArticlesAsync(Bagheri));
        await using (var db = await _services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync())
        {
            Assert.False(await db.Entities.AnyAsync(e => e.Kind == EntityKind.Person && (e.Key == Amirabdollahian.Key || e.Key == Bagheri.Key)));
        }

        // Counted again: from the next extraction on, stored articles included once they are read again.
        await _curation.RestoreAsync(Amirabdollahian);
        Assert.Null(await _queries.IgnoredEntityAsync(Amirabdollahian));
        await _services.GetRequiredService<Reextraction>().RunAsync(CancellationToken.None);
        Assert.Equal(3, await ArticlesAsync(Amirabdollahian));
        Assert.Equal(0, await ArticlesAsync(Bagheri));
        await Assert.ThrowsAsync<CurationException>(() => _curation.RestoreAsync(Amirabdollahian));
    }

    [Fact]
    public async Task A_name_back_from_an_article_extracted_before_it_was_set_aside_is_set_aside_again()
    {
        await _curation.IgnoreAsync(Amirabdollahian);
        // An ingestion batch extracted before the rule took effect writes the entity again after it.
        var factory = _services.GetRequiredService<IDbContextFactory<DashboardDb>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var article = await db.Articles.FirstAsync();
            db.Mentions.Add(new Mention
            {
                ArticleId = article.Id, PublishedDate = article.PublishedDate, Count = 1,
                Entity = new Entity { Kind = Amirabdollahian.Kind, Key = Amirabdollahian.Key, Name = "Hossein Amirabdollahian" },
            });
            await db.SaveChangesAsync();
        }
        Assert.Equal(1, await ArticlesAsync(Amirabdollahian));

        Assert.Equal(1, await _curation.IgnoreAsync(Amirabdollahian));

        Assert.Equal(0, await ArticlesAsync(Amirabdollahian));
        await using var check = await factory.CreateDbContextAsync();
        Assert.Equal(1, await check.IgnoredEntities.CountAsync(i => i.Key == Amirabdollahian.Key));
    }

    [Theory]
    [InlineData("set aside")]
    [InlineData("merge")]
    public async Task A_batch_extracted_before_a_correction_and_written_after_it_does_not_bring_the_old_entity_back(string correction)
    {
        await _services.GetRequiredService<IngestQueue>().EnqueueAsync("racing.txt",
            "date 2024-06-05 Hossein Amirabdollahian's successor met envoys in Tehran."u8.ToArray());
        var turns = _services.GetRequiredService<WriteTurns>();
        Task corrected;
        Task drained;
        // The test holds the store's write turn; the correction queues for it first, then the ingestor, which has
        // extracted its batch under the old rules by the time it waits. Turns are first come, first served.
        using (await turns.TakeAsync())
        {
            corrected = correction == "merge" ? _curation.MergeAsync(Amirabdollahian, Bagheri) : _curation.IgnoreAsync(Amirabdollahian);
            await turns.UntilWaitingAsync(1, CancellationToken.None);
            drained = _services.GetRequiredService<ArticleIngestor>().DrainAsync();
            await turns.UntilWaitingAsync(2, CancellationToken.None);
        }
        await corrected;
        await drained;

        Assert.Equal(0, await ArticlesAsync(Amirabdollahian));
        Assert.Equal(correction == "merge" ? 2 : 1, await ArticlesAsync(Bagheri));
        await using var db = await _services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        Assert.False(await db.Entities.AnyAsync(e => e.Kind == EntityKind.Person && e.Key == Amirabdollahian.Key));
        Assert.Equal(2, await db.Articles.CountAsync());
    }

    [Fact]
    public async Task A_renamed_entity_keeps_its_new_name_when_later_articles_name_it_the_old_way()
    {
        await _curation.RenameAsync(Bagheri, "  Ali Bagheri Kani (acting foreign minister) ");
        await IngestAsync(("later.txt", "date 2024-06-03 Ali Bagheri Kani flew to Beirut on Monday."u8.ToArray()));

        var people = await _queries.TopEntitiesAsync(EntityKind.Person, ArticleFilter.All, 50);
        Assert.Equal(2, people.Single(p => p.Key == Bagheri.Key).Count);
        Assert.Equal("Ali Bagheri Kani (acting foreign minister)", people.Single(p => p.Key == Bagheri.Key).Name);
        Assert.Equal("Ali Bagheri Kani (acting foreign minister)", await _queries.EntityNameAsync(Bagheri));
        await using var db = await _services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        var id = await db.Entities.Where(e => e.Kind == Bagheri.Kind && e.Key == Bagheri.Key).Select(e => e.Id).SingleAsync();
        Assert.True(await db.EntityAliases.AnyAsync(a => a.Name == "Ali Bagheri Kani" && a.EntityId == id));
        await Assert.ThrowsAsync<CurationException>(() => _curation.RenameAsync(Bagheri, " "));
    }

    [Fact]
    public async Task A_person_moved_to_the_organisations_takes_its_articles_and_later_findings_and_can_be_moved_back()
    {
        var asOrganisation = new EntityRef(EntityKind.Organization, Bagheri.Key);

        Assert.Equal(asOrganisation, await _curation.ChangeKindAsync(Bagheri, EntityKind.Organization));

        Assert.Equal(0, await ArticlesAsync(Bagheri));
        Assert.Equal(1, await ArticlesAsync(asOrganisation));
        Assert.Equal("Ali Bagheri Kani", await _queries.EntityNameAsync(asOrganisation));
        Assert.Contains(await _queries.TopEntitiesAsync(EntityKind.Organization, ArticleFilter.All, 50), o => o.Key == Bagheri.Key);
        await IngestAsync(("later.txt", "date 2024-06-03 Ali Bagheri Kani flew to Beirut on Monday."u8.ToArray()));
        Assert.Equal(2, await ArticlesAsync(asOrganisation));
        Assert.Equal(0, await ArticlesAsync(Bagheri));

        // Moved back, it is a person again, for stored articles and later ones alike.
        Assert.Equal(Bagheri, await _curation.ChangeKindAsync(asOrganisation, EntityKind.Person));
        Assert.Equal(2, await ArticlesAsync(Bagheri));
        Assert.Equal(0, await ArticlesAsync(asOrganisation));
        await IngestAsync(("again.txt", "date 2024-06-04 Ali Bagheri Kani met envoys in Tehran."u8.ToArray()));
        Assert.Equal(3, await ArticlesAsync(Bagheri));
        await using var db = await _services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        Assert.False(await db.EntityMerges.AnyAsync(m => m.Kind == EntityKind.Person && m.Key == Bagheri.Key));

        await Assert.ThrowsAsync<CurationException>(() => _curation.ChangeKindAsync(new EntityRef(EntityKind.Country, "IR"), EntityKind.Person));
        await Assert.ThrowsAsync<CurationException>(() => _curation.ChangeKindAsync(Bagheri, EntityKind.Person));
    }

    [Fact]
    public async Task Only_people_and_organisations_can_be_set_aside()
    {
        var error = await Assert.ThrowsAsync<CurationException>(() => _curation.IgnoreAsync(new EntityRef(EntityKind.Country, "IR")));
        Assert.Contains("Only people and organisations", error.Message);
        await Assert.ThrowsAsync<CurationException>(() => _curation.IgnoreAsync(new EntityRef(EntityKind.Person, "nobody-known")));
        Assert.Equal(1, await ArticlesAsync(new EntityRef(EntityKind.Country, "IR")));
    }

    private async Task<int> ArticlesAsync(EntityRef entity) =>
        (await _queries.TimelineAsync(ArticleFilter.All.WithEntity(entity), 0, 1)).Total;

    private async Task IngestAsync(params (string Name, byte[] Bytes)[] files)
    {
        await _services.GetRequiredService<IngestQueue>().EnqueueManyAsync(files.Select(f => (f.Name, f.Bytes)).ToList());
        var ingestor = _services.GetRequiredService<ArticleIngestor>();
        await ingestor.DrainAsync();
    }
}
