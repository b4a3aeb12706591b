using System.Text;
using Dashboard.Web.Evaluation;
using Dashboard.Web.Extraction;

namespace Dashboard.Tests.Extraction;

/// <summary>Tokens, their shared words and the per-word memos that make extraction fast; extraction from many threads at once.</summary>
public sealed class TokenizerTests
{
    [Fact]
    public void Tokens_keep_source_offsets_fold_accents_and_mark_line_starts()
    {
        var text = "Rafaḩ met\nIRAN’s envoy";

        var tokens = Tokenizer.Tokenize(text);

        Assert.Equal(["Rafah", "met", "IRAN", "'", "s", "envoy"], tokens.Select(t => t.Text));
        Assert.Equal(["Rafaḩ", "met", "IRAN", "’", "s", "envoy"], tokens.Select(t => text[t.Start..t.End]));
        Assert.Equal([false, false, true, false, false, false], tokens.Select(t => t.StartsLine));
        Assert.Equal([true, false, true, false, false, false], tokens.Select(t => t.IsCapitalised));
        Assert.True(tokens[2].IsAllCaps);
        Assert.False(tokens[3].IsWord);
    }

    [Fact]
    public void A_run_of_combining_marks_alone_is_no_token()
    {
        var tokens = Tokenizer.Tokenize("a \u0301 b");

        Assert.Equal(["a", "b"], tokens.Select(t => t.Text));
    }

    [Fact]
    public void Occurrences_of_a_word_share_one_word_and_its_memos()
    {
        var tokens = Tokenizer.Tokenize("Iran and Iran");

        Assert.Same(tokens[0].Word, tokens[2].Word);
        Assert.NotSame(tokens[0].Word, tokens[1].Word);
    }

    [Fact]
    public void Words_past_the_vocabulary_capacity_are_still_read_right()
    {
        // More distinct words than a thread keeps: the vocabulary starts afresh part-way through.
        var text = new StringBuilder();
        for (var i = 0; i < 150_000; i++)
        {
            text.Append("w").Append(i).Append(' ');
        }
        text.Append("w0 w149999");
        var source = text.ToString();

        var tokens = Tokenizer.Tokenize(source);

        Assert.Equal(150_002, tokens.Count);
        Assert.All(tokens, t => Assert.Equal(source[t.Start..t.End], t.Text));
        Assert.Same(tokens[^1].Word, tokens[149_999].Word);
    }

    [Fact]
    public void Two_phrase_indexes_over_the_same_words_each_answer_from_their_own_phrases()
    {
        var cities = new PhraseIndex<string>();
        cities.Add("New York", "city");
        var papers = new PhraseIndex<string>();
        papers.Add("New York Times", "paper");
        var tokens = Tokenizer.Tokenize("the New York Times").ToArray();

        // Alternating on one thread: each index must not take the other's memo on "New".
        for (var round = 0; round < 2; round++)
        {
            Assert.Equal((2, "city"), Single(cities.Longest(tokens, 1)));
            Assert.Equal((3, "paper"), Single(papers.Longest(tokens, 1)));
            Assert.Equal(0, cities.Longest(tokens, 0).Length);
        }

        static (int, string) Single((int Length, IReadOnlyList<string>? Values) hit) => (hit.Length, Assert.Single(hit.Values!));
    }

    [Fact]
    public void Two_taxonomies_over_the_same_words_each_score_with_their_own_rules()
    {
        var war = Taxonomy("""{ "topics": [ { "key": "war", "name": "War", "rules": { "shelling": 3, "troop*": 2 } } ] }""");
        var sport = Taxonomy("""{ "topics": [ { "key": "sport", "name": "Sport", "rules": { "match": 3, "goal*": 2 } } ] }""");
        var tokens = Tokenizer.Tokenize("Shelling delayed the match; troops watched the goals.").ToArray();

        for (var round = 0; round < 2; round++)
        {
            Assert.Equal(["war"], war.Score([], tokens).Select(t => t.Key));
            Assert.Equal(["sport"], sport.Score([], tokens).Select(t => t.Key));
        }

        static TopicTaxonomy Taxonomy(string json) => new(new MemoryStream(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Extraction_on_many_threads_gives_what_one_thread_gives()
    {
        var articles = BbcEvaluation.Read(SharedData.Path_("data", "bbc-news-dev"), perCategory: 30);
        var extractor = new ArticleExtractor();
        var expected = articles.Select(a => Describe(extractor.Extract(a.Title, a.Text))).ToList();

        // Each article several times over, on as many threads as the pool gives, as the ingestor's Parallel.For does.
        var actual = new string[articles.Count * 4];
        Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var article = articles[i % articles.Count];
            actual[i] = Describe(extractor.Extract(article.Title, article.Text));
        });

        for (var i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected[i % articles.Count], actual[i]);
        }
    }

    private static string Describe(ExtractionResult result) =>
        string.Join("|", result.Mentions) + "#" + string.Join(",", result.Focus) + "#" + string.Join("|", result.Topics);
}
