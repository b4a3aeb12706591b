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

    /// <summary>In how many of <paramref name="texts"/> each word appears, its plural and singular counted as one ("quota").</summary>
    public static Dictionary<string, int> DocumentCounts(IEnumerable<string> texts) => DocumentCounts(texts, out _);

    /// <summary>
    /// In how many of <paramref name="texts"/> each word appears, counted under its singular ("quotas" and "quota" are
    /// one word, as the search's stemmer finds both); <paramref name="shown"/> is the form these texts use most for each.
    /// </summary>
    /// <remarks>
    /// Runs on every dashboard refresh over hundreds of article leads: a word already counted costs no allocation (the
    /// dictionaries are looked up by the lower-cased span), and each word remembers the last text it was counted in.
    /// </remarks>
    public static Dictionary<string, int> DocumentCounts(IEnumerable<string> texts, out Dictionary<string, string> shown)
    {
        var counts = new Dictionary<string, (int Texts, int Last)>(StringComparer.Ordinal);
        // Every form as written, with its singular and how often it was written.
        var forms = new Dictionary<string, (string Singular, int Uses)>(StringComparer.Ordinal);
        var byForm = forms.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<char> word = stackalloc char[MaxLength];
        var index = 0;
        foreach (var text in texts)
        {
            index++;
            for (var at = 0; NextWord(text, ref at, word, out var length);)
            {
                ref var form = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(byForm, word[..length], out var known);
                if (!known)
                {
                    form.Singular = Singular(word[..length]);
                }
                form.Uses++;
                ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, form.Singular, out _);
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
        // The form written most often; a tie goes to the singular, then to the first in alphabetical order.
        var best = new Dictionary<string, (string Written, int Uses)>(counts.Count, StringComparer.Ordinal);
        foreach (var (written, (singular, used)) in forms)
        {
            if (!best.TryGetValue(singular, out var kept) || used > kept.Uses
                || used == kept.Uses && kept.Written != singular && (written == singular || string.CompareOrdinal(written, kept.Written) < 0))
            {
                best[singular] = (written, used);
            }
        }
        shown = best.ToDictionary(b => b.Key, b => b.Value.Written, StringComparer.Ordinal);
        return result;
    }

    /// <summary>Singulars already worked out, shared by every count: news repeats a vocabulary of some tens of thousands of words.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Singulars = new(StringComparer.Ordinal);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> SingularsBySpan =
        Singulars.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Past this many words, a new one's singular is worked out each time rather than kept (text in many languages).</summary>
    private const int MaxSingulars = 500_000;

    /// <summary>
    /// The singular of an English word ending in s (Humanizer's rules, its irregular and uncountable words: "crises" is
    /// "crisis", "news" stays). A name ending in s ("Paris") loses it too, which only names the key it is counted under: what
    /// the card shows is the form the articles write.
    /// </summary>
    internal static string Singular(ReadOnlySpan<char> word)
    {
        if (SingularsBySpan.TryGetValue(word, out var singular))
        {
            return singular;
        }
        var written = new string(word);
        // Only a word ending in s is taken for a plural: the rules read "quota" as the plural of "quotum" and "data" of "datum".
        singular = written.EndsWith('s') ? Humanizer.InflectorExtensions.Singularize(written, inputIsKnownToBePlural: false) : written;
        // Never fold a word into one shorter than the words counted ("gas" is no plural of "ga"), or into something that is not a word of letters.
        if (singular.Length < 3 || !singular.All(char.IsLetter))
        {
            singular = written;
        }
        if (Singulars.Count < MaxSingulars)
        {
            Singulars.TryAdd(written, singular);
        }
        return singular;
    }

    /// <summary>
    /// The words of the view (<paramref name="view"/>, document counts over <paramref name="viewArticles"/> sampled
    /// articles) that stand out against the store (<paramref name="all"/> over <paramref name="allArticles"/>), most
    /// distinctive first. When the view is the whole store, its most used words.
    /// </summary>
    /// <param name="shown">The form to show for each counted word (<see cref="DocumentCounts(IEnumerable{string}, out Dictionary{string, string})"/>); the word itself without it.</param>
    public static List<DistinctiveWord> Rank(Dictionary<string, int> view, int viewArticles, Dictionary<string, int> all, int allArticles, bool wholeStore, int limit,
        IReadOnlyDictionary<string, string>? shown = null)
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
                ranked.Add(new DistinctiveWord(shown?.GetValueOrDefault(word) ?? word, articles, share, usual, score));
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
