using Dashboard.Web.Data;
using Dashboard.Web.Model;

namespace Dashboard.Tests.Data;

/// <summary>
/// An entity's postings give the same answers as a list or as a bitmap, whatever order its articles arrive in: a full
/// load reads them by date, appends by id, and a bitmap keeps its counts in id order.
/// </summary>
public sealed class CoMentionPostingsTests
{
    private static readonly DateOnly Day = new(2024, 6, 1);

    [Theory]
    [InlineData(false, 400)] // a few articles among many: stays a list
    [InlineData(true, 400)] // most of the articles: becomes a bitmap
    public void Counts_follow_their_articles_in_any_order(bool dense, int articles)
    {
        var random = new Random(7);
        var state = new CoMentionIndex.State();
        for (var id = 1; id <= articles; id++)
        {
            state.SetArticle(id, Day.AddDays(id % 30), null);
            // Every seventh article is a wire copy of the one before it.
            state.SetStory(id, id % 7 == 0 ? id - 1 : null);
        }
        var ids = Enumerable.Range(1, articles).Where(id => dense ? id % 3 != 0 : id % 97 == 0).OrderBy(_ => random.Next()).ToList();
        var expected = ids.ToDictionary(id => id, id => id % 11 == 0 ? 300 + id : 1 + id % 5);
        var postings = new CoMentionIndex.Postings(EntityKind.Country);
        state.Entities[1] = postings;
        // Half before the seal (as a load), half after it (as appends, still out of order).
        foreach (var id in ids.Take(ids.Count / 2))
        {
            postings.Add(id, expected[id], focus: id % 2 == 0);
        }
        postings.Seal(trim: true, articles);
        Assert.Equal(dense, postings.ArticleBits is not null);
        foreach (var id in ids.Skip(ids.Count / 2))
        {
            postings.Add(id, expected[id], focus: id % 2 == 0);
        }
        postings.Seal(trim: false, articles);

        var reader = new CoMentionIndex.Reader(state);
        foreach (var (from, to) in new (DateOnly?, DateOnly?)[] { (null, null), (Day.AddDays(3), Day.AddDays(12)) })
        {
            using var matches = reader.Match(from, to, [], []);
            var matched = Enumerable.Range(1, articles).Where(id => (from is null || Day.AddDays(id % 30) >= from) && (to is null || Day.AddDays(id % 30) <= to)).ToHashSet();
            Assert.Equal(Only(ids.Count(matched.Contains)), reader.Counts(matches, EntityKind.Country, CountMeasure.Articles));
            Assert.Equal(Only(ids.Where(matched.Contains).Sum(id => expected[id])), reader.Counts(matches, EntityKind.Country, CountMeasure.Mentions));
            Assert.Equal(Only(ids.Count(id => matched.Contains(id) && id % 2 == 0)), reader.Counts(matches, EntityKind.Country, CountMeasure.FocusArticles));
            Assert.Equal(Only(ids.Where(id => matched.Contains(id) && id % 2 == 0).Sum(id => expected[id])), reader.FocusOccurrences(matches, EntityKind.Country));
            Assert.Equal(Only(ids.Where(matched.Contains).Select(Story).Distinct().Count()), reader.StoryCounts(matches, EntityKind.Country, focusOnly: false));
            Assert.Equal(Only(ids.Where(id => matched.Contains(id) && id % 2 == 0).Select(Story).Distinct().Count()), reader.StoryCounts(matches, EntityKind.Country, focusOnly: true));
            using var own = reader.Match(from, to, [1L], []);
            Assert.Equal(ids.Where(matched.Contains).Order(), own.Ids().Order());
        }
    }

    [Fact]
    public void Past_65535_outlets_each_keeps_its_own_articles_for_the_source_filter_and_the_sources_chart()
    {
        // A GDELT-sized store names more outlets than a 16-bit number holds: each must still be told apart.
        const int outlets = 70_000;
        var state = new CoMentionIndex.State();
        for (var id = 1; id <= outlets + 2; id++)
        {
            state.SetArticle(id, Day, $"outlet-{Math.Min(id, outlets)}.example");
        }
        var reader = new CoMentionIndex.Reader(state);

        using (var last = reader.Match(null, null, [], [], source: $"outlet-{outlets}.example"))
        {
            Assert.Equal([outlets, outlets + 1, outlets + 2], last.Ids());
            Assert.Equal(new NamedCount($"outlet-{outlets}.example", 3), Assert.Single(reader.TopSources(last, 5)));
        }
        using var all = reader.Match(null, null, [], []);
        Assert.Equal(outlets, reader.Sources(all));
        Assert.Equal([new NamedCount($"outlet-{outlets}.example", 3), new NamedCount("outlet-1.example", 1)], reader.TopSources(all, 2));
    }

    private static int Story(int id) => id % 7 == 0 ? id - 1 : id;

    /// <summary>The one entity's count, or nothing: zeros are left out.</summary>
    private static List<(long, int)> Only(int count) => count == 0 ? [] : [(1L, count)];
}
