namespace Dashboard.Web.Data;

/// <summary>A word of a view's articles, in how many of the sampled ones it appears, and how much more often than usual.</summary>
/// <param name="Share">The share of the view's sampled articles that use it (0 to 1).</param>
/// <param name="Usual">The share of a sample of all stored articles that use it.</param>
public sealed record DistinctiveWord(string Word, int Articles, double Share, double Usual, double Score);

/// <summary>
/// What a view's coverage is about in words, as Media Cloud's top words and Kibana's significant terms show it: the
/// words its articles use far more often than the store's articles in general. Counted in documents (an article that
/// repeats a word counts once) over a sample of the view's newest articles against a random sample of all of them, with
/// the JLH score (how much the share grew, times how many times it grew), so a word common everywhere ("said") scores
/// nothing and a rare word seen once scores little.
/// </summary>
public static class DistinctiveWords
{
    /// <summary>At least this many of the view's sampled articles must use a word (fewer when the view is tiny).</summary>
    private const int MinArticles = 3;

    /// <summary>Words of every English news story, and the verbs of reporting: never what a story is about.</summary>
    private static readonly HashSet<string> Stopwords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "that", "with", "was", "were", "are", "has", "have", "had", "not", "but", "from", "his", "her",
        "its", "their", "they", "them", "this", "these", "those", "which", "who", "whom", "whose", "what", "when", "where",
        "why", "how", "will", "would", "could", "should", "can", "may", "might", "must", "been", "being", "also", "into",
        "over", "after", "before", "about", "than", "then", "there", "here", "our", "out", "one", "two", "all", "any",
        "more", "most", "other", "some", "such", "only", "own", "same", "very", "just", "said", "says", "say", "told",
        "according", "while", "during", "between", "under", "against", "through", "since", "until", "upon", "both",
        "each", "few", "many", "much", "several", "did", "does", "doing", "done", "per", "him", "she", "you", "your",
        "yours", "ours", "mine", "himself", "herself", "itself", "themselves", "because", "though", "although", "whether",
        "yet", "still", "even", "well", "back", "now", "new", "year", "years", "last", "first", "week", "weeks", "day",
        "days", "time", "including", "added", "noted", "stressed", "reported", "reporters", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday", "mln", "pct", "reuter", "reuters", "via", "like", "off",
        "among", "around", "without", "within", "another", "made", "make", "makes", "take", "took", "get", "got", "way",
        "part", "next", "three", "four", "five", "ago", "later", "early", "earlier", "further", "however", "already",
    };

    /// <summary>In how many of <paramref name="texts"/> each word appears.</summary>
    /// <remarks>
    /// Runs on every dashboard refresh over hundreds of article leads: a word already counted costs no allocation (the
    /// dictionaries are looked up by the lower-cased span), and each word remembers the last text it was counted in.
    /// </remarks>
    public static Dictionary<string, int> DocumentCounts(IEnumerable<string> texts)
    {
        var counts = new Dictionary<string, (int Texts, int Last)>(StringComparer.Ordinal);
        var byText = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> word = stackalloc char[MaxLength];
        var index = 0;
        foreach (var text in texts)
        {
            index++;
            for (var at = 0; NextWord(text, ref at, word, out var length);)
            {
                ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(byText, word[..length], out _);
                if (entry.Last != index)
                {
                    entry = (entry.Texts + 1, index);
                }
            }
        }
        var result = new Dictionary<string, int>(counts.Count, StringComparer.Ordinal);
        foreach (var (key, value) in counts)
        {
            result[key] = value.Texts;
        }
        return result;
    }

    /// <summary>
    /// The words of the view (<paramref name="view"/>, document counts over <paramref name="viewArticles"/> sampled
    /// articles) that stand out against the store (<paramref name="all"/> over <paramref name="allArticles"/>), most
    /// distinctive first. When the view is the whole store, its most used words.
    /// </summary>
    public static List<DistinctiveWord> Rank(Dictionary<string, int> view, int viewArticles, Dictionary<string, int> all, int allArticles, bool wholeStore, int limit)
    {
        if (viewArticles == 0)
        {
            return [];
        }
        var least = Math.Min(MinArticles, Math.Max(1, viewArticles / 2));
        var ranked = new List<DistinctiveWord>();
        foreach (var (word, articles) in view)
        {
            if (articles < least)
            {
                continue;
            }
            var share = (double)articles / viewArticles;
            // A word the background sample never saw is as rare as one article in it (the sample is not the store).
            var usual = allArticles == 0 ? share : Math.Max(all.GetValueOrDefault(word), 1) / (double)(allArticles + 1);
            var score = wholeStore ? share : share > usual ? (share - usual) * (share / usual) : 0;
            if (score > 0)
            {
                ranked.Add(new DistinctiveWord(word, articles, share, usual, score));
            }
        }
        return ranked.OrderByDescending(w => w.Score).ThenByDescending(w => w.Articles).ThenBy(w => w.Word, StringComparer.Ordinal).Take(limit).ToList();
    }

    /// <summary>The words of a text as they are counted: lower case, letters only (apostrophes end them), three to thirty letters, no stopwords.</summary>
    public static IEnumerable<string> Words(string text)
    {
        var words = new List<string>();
        Span<char> word = stackalloc char[MaxLength];
        for (var at = 0; NextWord(text, ref at, word, out var length);)
        {
            words.Add(new string(word[..length]));
        }
        return words;
    }

    private const int MaxLength = 30;

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> StopwordsBySpan = Stopwords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The next counted word of <paramref name="text"/> from <paramref name="at"/> on, lower-cased into <paramref name="word"/>; false at the end.</summary>
    private static bool NextWord(string text, ref int at, Span<char> word, out int length)
    {
        while (at < text.Length)
        {
            while (at < text.Length && !char.IsLetter(text[at]))
            {
                at++;
            }
            var start = at;
            while (at < text.Length && char.IsLetter(text[at]))
            {
                at++;
            }
            length = at - start;
            if (length is >= 3 and <= MaxLength)
            {
                text.AsSpan(start, length).ToLowerInvariant(word);
                if (!StopwordsBySpan.Contains(word[..length]))
                {
                    return true;
                }
            }
        }
        length = 0;
        return false;
    }
}
