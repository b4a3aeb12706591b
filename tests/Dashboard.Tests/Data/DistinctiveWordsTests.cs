using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Data;

/// <summary>The words a view's articles use far more than articles in general, counted once per article.</summary>
public sealed class DistinctiveWordsTests
{
    [Fact]
    public void Words_are_lower_case_letters_of_three_or_more_without_the_words_of_every_story()
    {
        Assert.Equal(["ceasefire", "gaza", "hamas", "qatar", "deal", "brokered", "négociations"],
            DistinctiveWords.Words("The ceasefire in Gaza, said Hamas: Qatar's 2024 deal was brokered — négociations on Monday."));
        Assert.Empty(DistinctiveWords.Words("It is as he said on Monday, and they were there."));
    }

    [Fact]
    public void A_word_common_everywhere_scores_nothing_and_one_the_view_uses_far_more_ranks_first()
    {
        var view = DistinctiveWords.DocumentCounts(["Rafah crossing closed, officials said", "Rafah strikes continue as talks stall", "Talks on Rafah resume", "Officials met for talks"]);
        var all = DistinctiveWords.DocumentCounts(Enumerable.Repeat("Officials held talks on trade and budget", 90).Concat(["Rafah crossing opened", "Officials in Rafah"]), out var shown);

        var ranked = DistinctiveWords.Rank(view, 4, all, 92, wholeStore: false, limit: 10);

        Assert.Equal("rafah", ranked[0].Word);
        Assert.Equal(3, ranked[0].Articles);
        Assert.DoesNotContain(ranked, w => w.Word is "officials" or "official");
        // Used in fewer than three of the view's articles: too thin to tell.
        Assert.DoesNotContain(ranked, w => w.Word == "crossing");
        // The whole store ranks its most used words.
        Assert.Equal("officials", DistinctiveWords.Rank(all, 92, all, 92, wholeStore: true, limit: 1, shown).Single().Word);
        Assert.Empty(DistinctiveWords.Rank([], 0, all, 92, wholeStore: false, limit: 10));
    }

    [Fact]
    public void A_plural_and_its_singular_are_one_word_shown_as_the_articles_write_it_most()
    {
        var counts = DistinctiveWords.DocumentCounts(
            ["Coffee quotas were suspended", "The quota talks failed", "Quotas return, crises deepen", "A crisis of quotas in Paris"], out var shown);

        // Counted once per article whichever form it uses.
        Assert.Equal(4, counts["quota"]);
        Assert.Equal("quotas", shown["quota"]);
        Assert.Equal(2, counts["crisis"]);
        // A tie goes to the singular; a name ending in s is shown as written.
        Assert.Equal("crisis", shown["crisis"]);
        Assert.Equal("paris", shown[DistinctiveWords.Singular("paris")]);
        Assert.Equal(1, counts["talk"]);
        // "news" has no singular of its own.
        Assert.Equal("news", DistinctiveWords.Singular("news"));

        var ranked = DistinctiveWords.Rank(counts, 4, counts, 4, wholeStore: true, limit: 1, shown);
        Assert.Equal(("quotas", 4), (ranked[0].Word, ranked[0].Articles));
    }

    [Fact]
    public async Task A_filtered_view_shows_the_words_of_its_stories_from_the_index_and_from_sql_alike()
    {
        await using var store = new TestStore();
        var services = await store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        for (var i = 0; i < 12; i++)
        {
            await queue.EnqueueAsync($"trade{i}.txt", System.Text.Encoding.UTF8.GetBytes($"date 2024-05-{i + 1:D2} Germany and France discussed budget rules and trade tariffs in Berlin, round {i}."));
        }
        for (var i = 0; i < 4; i++)
        {
            await queue.EnqueueAsync($"fish{i}.txt", System.Text.Encoding.UTF8.GetBytes($"date 2024-06-{i + 1:D2} Chile and Peru argued over anchovy quotas and fishing fleets in Lima, meeting {i}."));
        }
        await services.GetRequiredService<ArticleIngestor>().DrainAsync();
        var peru = ArticleFilter.All.WithEntity(new EntityRef(EntityKind.Country, "PE"));

        var fast = await services.GetRequiredService<DashboardQueries>().DistinctiveWordsAsync(peru, 10);
        var raw = await new DashboardQueries(services.GetRequiredService<IDbContextFactory<DashboardDb>>()) { UseDailyCounts = false }.DistinctiveWordsAsync(peru, 10);

        Assert.Contains(fast.Take(6), w => w.Word == "anchovy");
        Assert.DoesNotContain(fast, w => w.Word is "budget" or "tariffs");
        Assert.Equal(fast.Select(w => w.Word), raw.Select(w => w.Word));
        var everything = await services.GetRequiredService<DashboardQueries>().DistinctiveWordsAsync(ArticleFilter.All, 3);
        Assert.Contains(everything, w => w.Word is "budget" or "tariffs" or "trade");
    }
}
