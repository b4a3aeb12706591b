using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Ingestion;

public sealed class NearDuplicatesTests : IAsyncLifetime
{
    private readonly TestStore _store = new();
    private string _seed = "";

    public async Task InitializeAsync() => _seed = await File.ReadAllTextAsync(TestPaths.SeedArticle);

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public void A_wire_copy_is_a_few_bits_away_and_a_different_article_is_far()
    {
        var original = NearDuplicates.Fingerprint(_seed);
        var copy = NearDuplicates.Fingerprint(_seed + "\n\n(Reporting by the foreign desk; editing by the night editor.)");
        var other = NearDuplicates.Fingerprint("Brazil and Argentina agreed on a new trade deal in Brasilia on Monday, officials said, after months of talks on tariffs.");

        Assert.InRange(NearDuplicates.Distance(original, copy), 0, NearDuplicates.MaxDistance);
        Assert.True(NearDuplicates.Distance(original, other) > NearDuplicates.MaxDistance);
        Assert.Equal(NearDuplicates.LeadHash(_seed), NearDuplicates.LeadHash(_seed + "\n\nA trailing paragraph."));
        Assert.NotEqual(NearDuplicates.LeadHash(_seed), NearDuplicates.LeadHash("Brazil " + _seed));
        Assert.Equal(0, NearDuplicates.LeadHash("Too short to have a lead."));
    }

    [Fact]
    public void The_fingerprint_is_the_majority_vote_of_the_shingles_bit_by_bit()
    {
        // Stored fingerprints are compared with new ones, so a faster vote must give the very same bits: here against
        // the vote counted one bit at a time, on texts long enough to pass the 255 shingles of a counter's flush.
        var random = new Random(7);
        var words = _seed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var texts = new List<string> { _seed, "", "one two", "one two three", string.Join(' ', Enumerable.Repeat("Rafah", 600)) };
        // Letters and digits outside ASCII, upper-case ones among them, and a surrogate pair between two words.
        texts.Add("ZÜRICH, São Paulo and İstanbul: ÉTAT d'urgence \U0001F600 déclaré ١٢٣ in Ελλάδα\u00A0today, ２０２４.");
        // One shingle 300 times, then 300 others: its bits win only if no counter wrapped past 255.
        texts.Add(string.Join(' ', Enumerable.Repeat("Rafah", 302).Concat(Enumerable.Range(0, 300).Select(_ => words[random.Next(words.Length)]))));
        for (var n = 0; n < 20; n++)
        {
            texts.Add(string.Join(' ', Enumerable.Range(0, random.Next(1, 3000)).Select(_ => words[random.Next(words.Length)])));
        }
        foreach (var text in texts)
        {
            Assert.Equal(BitByBit(text), NearDuplicates.Fingerprint(text));
        }

        static long BitByBit(string text)
        {
            var tokens = System.Text.RegularExpressions.Regex.Matches(text, @"[\p{L}\p{Nd}]+")
                .Select(m => m.Value.ToLowerInvariant().Aggregate(14695981039346656037UL, (h, c) => (h ^ c) * 1099511628211UL))
                .ToList();
            var ones = new int[64];
            var shingles = 0;
            for (var i = 2; i < tokens.Count; i++)
            {
                var shingle = Mix(Mix(tokens[i - 2], tokens[i - 1]), tokens[i]);
                shingles++;
                for (var bit = 0; bit < 64; bit++)
                {
                    ones[bit] += (int)((shingle >> bit) & 1);
                }
            }
            ulong fingerprint = 0;
            for (var bit = 0; bit < 64; bit++)
            {
                if (ones[bit] * 2 > shingles)
                {
                    fingerprint |= 1UL << bit;
                }
            }
            return (long)fingerprint;
        }

        static ulong Mix(ulong a, ulong b)
        {
            var x = a * 0x9E3779B97F4A7C15UL ^ b;
            x ^= x >> 33;
            x *= 0xFF51AFD7ED558CCDUL;
            x ^= x >> 33;
            return x;
        }
    }

    [Theory]
    [InlineData("https://News.Example.com/world/story-1/?utm_source=x&utm_medium=y#top", "news.example.com/world/story-1")]
    [InlineData("http://news.example.com/a?id=7&fbclid=abc", "news.example.com/a?id=7")]
    [InlineData("https://news.example.com:8443/a", "news.example.com:8443/a")]
    [InlineData("not a url", null)]
    [InlineData("ftp://files.example.com/a", null)]
    public void Urls_are_canonicalised(string url, string? expected) =>
        Assert.Equal(expected, NearDuplicates.CanonicalUrl(url));

    [Fact]
    public async Task A_wire_copy_is_stored_and_linked_to_its_story_and_charts_can_count_stories()
    {
        var services = await _store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        var ingestor = services.GetRequiredService<ArticleIngestor>();
        await queue.EnqueueAsync("original.txt", System.Text.Encoding.UTF8.GetBytes(_seed));
        await ingestor.ProcessNextBatchAsync();
        await queue.EnqueueAsync("copy.txt", System.Text.Encoding.UTF8.GetBytes(_seed.TrimEnd() + "\n\n(Reporting by the foreign desk.)"));
        await ingestor.ProcessNextBatchAsync();

        await using var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        var articles = await db.Articles.OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(2, articles.Count);
        Assert.Null(articles[0].StoryId);
        Assert.Equal(articles[0].Id, articles[1].StoryId);

        var queries = services.GetRequiredService<DashboardQueries>();
        Assert.Equal(2, (await queries.TopEntitiesAsync(EntityKind.Country, ArticleFilter.All)).Single(c => c.Key == "IR").Count);
        Assert.Equal(1, (await queries.TopEntitiesAsync(EntityKind.Country, ArticleFilter.All, countStories: true)).Single(c => c.Key == "IR").Count);
    }

    [Fact]
    public async Task Each_copy_of_a_story_lists_the_others_and_the_timeline_counts_them()
    {
        var services = await _store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        var ingestor = services.GetRequiredService<ArticleIngestor>();
        // One at a time, as they would arrive: the original, two wire copies on later days, and an unrelated article.
        foreach (var (name, text) in new[]
        {
            ("original.txt", _seed),
            ("copy-1.txt", _seed.Replace("date 2024-06-01", "date 2024-06-02").TrimEnd() + "\n\n(Reporting by the foreign desk.)"),
            ("copy-2.txt", _seed.Replace("date 2024-06-01", "date 2024-06-03").TrimEnd() + "\n\n(Editing by the night editor.)"),
            ("other.txt", "date 2024-06-02 Brazil and Argentina agreed on a new trade deal in Brasilia on Monday, officials said, after months of talks on tariffs."),
        })
        {
            await queue.EnqueueAsync(name, System.Text.Encoding.UTF8.GetBytes(text));
            await ingestor.ProcessNextBatchAsync();
        }
        long[] ids;
        await using (var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync())
        {
            ids = await db.Articles.OrderBy(a => a.Id).Select(a => a.Id).ToArrayAsync();
        }
        Assert.Equal(4, ids.Length);
        var (original, first, second, other) = (ids[0], ids[1], ids[2], ids[3]);
        var queries = services.GetRequiredService<DashboardQueries>();

        var ofOriginal = (await queries.StoryCopiesAsync(original))!;
        Assert.Equal(2, ofOriginal.Total);
        Assert.Equal([first, second], ofOriginal.Copies.Select(c => c.Id));
        Assert.DoesNotContain(ofOriginal.Copies, c => c.IsFirst);
        var ofCopy = (await queries.StoryCopiesAsync(second))!;
        Assert.Equal([(original, true), (first, false)], ofCopy.Copies.Select(c => (c.Id, c.IsFirst)));
        Assert.Equal(new DateOnly(2024, 6, 1), ofCopy.Copies[0].PublishedDate);
        Assert.Single((await queries.StoryCopiesAsync(second, limit: 1))!.Copies);
        Assert.Equal(2, (await queries.StoryCopiesAsync(second, limit: 1))!.Total);
        Assert.Equal(0, (await queries.StoryCopiesAsync(other))!.Total);
        Assert.Null(await queries.StoryCopiesAsync(999_999));

        // Every row of the story says two others; the unrelated one none. A date filter does not change a story's size.
        var timeline = (await queries.TimelineAsync(ArticleFilter.All, 0, 10)).Articles.ToDictionary(a => a.Id, a => a.StoryCopies);
        Assert.Equal(new Dictionary<long, int> { [original] = 2, [first] = 2, [second] = 2, [other] = 0 }, timeline);
        var oneDay = await queries.TimelineAsync(new ArticleFilter { From = new DateOnly(2024, 6, 3) }, 0, 10);
        Assert.Equal(2, Assert.Single(oneDay.Articles).StoryCopies);

        // One row per story: the first copy stands for it; where the dates leave the first copy out, the earliest copy in them.
        var raw = new DashboardQueries(services.GetRequiredService<IDbContextFactory<DashboardDb>>()) { UseDailyCounts = false };
        foreach (var q in new[] { queries, raw })
        {
            var stories = await q.TimelineAsync(ArticleFilter.All, 0, 10, oneRowPerStory: true);
            Assert.Equal(2, stories.Total);
            Assert.Equal([other, original], stories.Articles.Select(a => a.Id));
            var later = await q.TimelineAsync(new ArticleFilter { From = new DateOnly(2024, 6, 2) }, 0, 10, oneRowPerStory: true);
            Assert.Equal([other, first], later.Articles.Select(a => a.Id).Order().Reverse());
            Assert.Equal(2, later.Total);
        }
    }

    [Fact]
    public async Task Later_copies_join_the_story_of_the_earliest_one_whether_stored_before_or_in_their_own_batch()
    {
        var services = await _store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        var ingestor = services.GetRequiredService<ArticleIngestor>();
        var other = "date 2024-06-02\n\nChile and Peru talk fisheries\n\nThe foreign ministers of Chile and Peru met in Lima on fisheries.";
        await queue.EnqueueManyAsync([("other.txt", System.Text.Encoding.UTF8.GetBytes(other)), ("original.txt", System.Text.Encoding.UTF8.GetBytes(_seed))]);
        await ingestor.ProcessNextBatchAsync();
        await queue.EnqueueManyAsync([
            ("copy-1.txt", System.Text.Encoding.UTF8.GetBytes(_seed.TrimEnd() + "\n\n(Reporting by the foreign desk.)")),
            ("copy-2.txt", System.Text.Encoding.UTF8.GetBytes(_seed.TrimEnd() + "\n\n(Editing by the night desk.)")),
        ]);
        await ingestor.ProcessNextBatchAsync();

        await using var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        var articles = await db.Articles.OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(4, articles.Count);
        Assert.Null(articles[0].StoryId);
        Assert.Null(articles[1].StoryId);
        Assert.Equal(articles[1].Id, articles[2].StoryId);
        Assert.Equal(articles[1].Id, articles[3].StoryId);
    }

    [Fact]
    public async Task The_same_url_with_tracking_parameters_is_a_duplicate()
    {
        var services = await _store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        await queue.EnqueueAsync("a.json", """{"title": "Talks", "text": "Chile and Peru met in Lima to talk about fishing.", "url": "https://news.example.com/talks", "date": "2024-01-02"}"""u8.ToArray());
        var second = await queue.EnqueueAsync("b.json", """{"title": "Talks (updated)", "text": "Chile and Peru met in Lima to talk about fishing rights and quotas.", "url": "https://NEWS.example.com/talks/?utm_source=rss", "date": "2024-01-02"}"""u8.ToArray());
        var ingestor = services.GetRequiredService<ArticleIngestor>();
        await ingestor.DrainAsync();

        var duplicate = (await queue.FindAsync(second.Id))!;
        Assert.Equal(UploadStatus.Duplicate, duplicate.Status);
        Assert.StartsWith("duplicate of article", duplicate.Reason);
    }
}
