using System.Text.Json;

namespace Dashboard.Web.Extraction;

/// <summary>One topic of the taxonomy, for display: its key, name and parent key (null at the top).</summary>
public sealed record TopicDefinition(string Key, string Name, string? Parent);

/// <summary>The topic taxonomy (Data/topics.json) and its weighted phrase rules; scores an article's tokens.</summary>
public sealed class TopicTaxonomy
{
    // Calibrated on the BBC development set: a topic needs this much evidence per sqrt(300 words) to reach 0.5.
    private const double HalfScoreEvidence = 6.0;
    private const double Threshold = 0.35;

    // Wildcard prefixes are grouped by this many first letters; shorter ones ("un*") are tried on every word.
    private const int PrefixKey = 4;

    // Per thread, reused from article to article: the words rules are matched against and where one opens a rule.
    [ThreadStatic]
    private static Word[]? t_words;

    [ThreadStatic]
    private static List<int>? t_openers;

    // Per thread too: the rules matched so far (a stack shared by the recursion of Found), the matches per rule (zeroed
    // again after each article) and the rules in the order they first matched. Several hundred bytes per article
    // otherwise, in the step that runs for every article of a bulk import.
    [ThreadStatic]
    private static List<Rule>? t_next;

    [ThreadStatic]
    private static int[]? t_counts;

    [ThreadStatic]
    private static List<Rule>? t_order;

    private readonly Rule _root = new();
    private readonly Dictionary<string, int> _indexByKey = new(StringComparer.Ordinal);
    private readonly List<TopicDefinition> _topics = [];
    private int _ruleCount;

    // Which lower-case ASCII letter pairs (and single letters) open some rule: most words of an article open none,
    // and this skips their dictionary lookups.
    private readonly bool[] _opensRule = new bool[128 * 128];

    /// <summary>Loads the taxonomy embedded with the app.</summary>
    public TopicTaxonomy()
        : this(DataFiles.Open("topics.json"))
    {
    }

    /// <summary>Loads a taxonomy in the topics.json format.</summary>
    public TopicTaxonomy(Stream json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var parents = new List<string?>();
        foreach (var topic in document.RootElement.GetProperty("topics").EnumerateArray())
        {
            var key = topic.GetProperty("key").GetString()!;
            var name = topic.GetProperty("name").GetString()!;
            var parent = topic.TryGetProperty("parent", out var p) ? p.GetString() : null;
            if (!_indexByKey.TryAdd(key, _topics.Count))
            {
                throw new InvalidDataException($"Topic key {key} appears twice in the taxonomy.");
            }
            _topics.Add(new TopicDefinition(key, name, parent));
            if (topic.TryGetProperty("rules", out var rules))
            {
                foreach (var rule in rules.EnumerateObject())
                {
                    AddRule(rule.Name, _topics.Count - 1, rule.Value.GetDouble());
                }
            }
        }
        foreach (var topic in _topics)
        {
            if (topic.Parent is not null && !_indexByKey.ContainsKey(topic.Parent))
            {
                throw new InvalidDataException($"Topic {topic.Key} has an unknown parent {topic.Parent}.");
            }
        }
    }

    /// <summary>Every topic, parents before or after their children as written in the file.</summary>
    public IReadOnlyList<TopicDefinition> Topics => _topics;

    /// <summary>Topics of an article from its title and text tokens, read as one sequence, best first.</summary>
    internal IReadOnlyList<ExtractedTopic> Score(ReadOnlySpan<Token> title, ReadOnlySpan<Token> text)
    {
        // Rules compare ignoring case, so token texts are used as they are, without lower-cased copies.
        var words = t_words ??= new Word[256];
        if (words.Length < title.Length + text.Length)
        {
            words = t_words = new Word[Math.Max(title.Length + text.Length, words.Length * 2)];
        }
        var openers = t_openers ??= [];
        openers.Clear();
        var count = 0;
        var wordCount = 0;
        Collect(title, words, openers, ref count, ref wordCount);
        Collect(text, words, openers, ref count, ref wordCount);
        if (t_counts is null || t_counts.Length < _ruleCount)
        {
            t_counts = new int[Math.Max(_ruleCount, 1)];
        }
        var counts = new Counts(t_counts, t_order ??= []);
        var evidence = new double[_topics.Count];
        try
        {
            foreach (var i in openers)
            {
                foreach (var rule in (Rule[])words[i].Topics!)
                {
                    Found(rule, words.AsSpan(0, count), i, counts);
                }
            }
            foreach (var rule in counts.Order)
            {
                // Repeating one phrase adds less and less: ten "war"s are not ten times the evidence.
                var weight = 1 + Math.Log(counts.Of(rule));
                foreach (var (topic, w) in rule.Topics!)
                {
                    evidence[topic] += w * weight;
                }
            }
        }
        finally
        {
            counts.Clear();
        }
        var scale = HalfScoreEvidence * Math.Sqrt(Math.Max(wordCount, 60) / 300.0);
        var scores = new double[_topics.Count];
        for (var t = 0; t < scores.Length; t++)
        {
            scores[t] = evidence[t] / (evidence[t] + scale);
        }
        // A child's score lifts its parent: an article about a ceasefire is about armed conflict.
        for (var t = 0; t < scores.Length; t++)
        {
            for (var parent = _topics[t].Parent; parent is not null; parent = _topics[_indexByKey[parent]].Parent)
            {
                var p = _indexByKey[parent];
                scores[p] = Math.Max(scores[p], scores[t]);
            }
        }
        var result = new List<ExtractedTopic>();
        for (var t = 0; t < scores.Length; t++)
        {
            if (scores[t] >= Threshold)
            {
                result.Add(new ExtractedTopic(_topics[t].Key, _topics[t].Name, Math.Round(scores[t], 3)));
            }
        }
        result.Sort((a, b) => b.Score.CompareTo(a.Score));
        return result;
    }

    /// <summary>Appends the words (and the hyphens and full stops inside phrases) that rules are matched against, noting
    /// where a word opens some rule.</summary>
    private void Collect(ReadOnlySpan<Token> tokens, Word[] words, List<int> openers, ref int count, ref int wordCount)
    {
        foreach (var token in tokens)
        {
            wordCount += token.IsWord ? 1 : 0;
            if (token.IsWord || token.Text is "-" or ".")
            {
                if (Openings(token.Word).Length > 0)
                {
                    openers.Add(count);
                }
                words[count++] = token.Word;
            }
        }
    }

    /// <summary>The rules a word opens, in the order Match finds them; worked out once per distinct word (see <see cref="Word"/>).</summary>
    private Rule[] Openings(Word word)
    {
        if (ReferenceEquals(word.TopicsOwner, this))
        {
            return (Rule[])word.Topics!;
        }
        Rule[] openings = [];
        if (MayOpenRule(word.Text))
        {
            var found = new List<Rule>();
            Match(_root, word.Text, found);
            openings = [.. found];
        }
        word.Topics = openings;
        word.TopicsOwner = this;
        return openings;
    }

    private bool MayOpenRule(string word)
    {
        var a = word[0];
        var b = word.Length > 1 ? word[1] : '\0';
        return a >= 0x80 || b >= 0x80 || _opensRule[PairIndex(a, b)];
    }

    private static int PairIndex(char a, char b) => (char.IsAsciiLetterUpper(a) ? a | 0x20 : a) * 128 + (char.IsAsciiLetterUpper(b) ? b | 0x20 : b);

    private void MarkOpening(string first)
    {
        var a = first[0];
        var b = first.Length > 1 ? first[1] : '\0';
        if (a >= 0x80 || b >= 0x80)
        {
            return;
        }
        _opensRule[PairIndex(a, b)] = true;
    }

    /// <summary>The children of <paramref name="node"/> that <paramref name="word"/> leads to: the exact word, then its prefixes.</summary>
    private static void Match(Rule node, string word, List<Rule> found)
    {
        if (node.Exact is not null && node.Exact.TryGetValue(word, out var exact))
        {
            found.Add(exact);
        }
        // Wildcard rules are grouped by their first letters so a word is checked against one or two, not all.
        if (node.Prefixes is not null && word.Length >= PrefixKey && node.Prefixes.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(word.AsSpan(0, PrefixKey), out var group))
        {
            MatchPrefixes(group, word, found);
        }
        if (node.ShortPrefixes is not null)
        {
            MatchPrefixes(node.ShortPrefixes, word, found);
        }
    }

    private static void MatchPrefixes(List<(string Prefix, Rule Next)> group, string word, List<Rule> found)
    {
        foreach (var (prefix, next) in group)
        {
            if (word.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(next);
            }
        }
    }

    /// <summary>Counts a rule reached at word <paramref name="i"/> and follows the longer phrases that continue it.</summary>
    private static void Found(Rule rule, ReadOnlySpan<Word> words, int i, Counts counts)
    {
        if (rule.Topics is not null)
        {
            counts.Add(rule);
        }
        if (i + 1 >= words.Length || !rule.HasChildren)
        {
            return;
        }
        // Phrases of two words and more are few: their later words are looked up as they come. The matches go on
        // the thread's stack of rules, above those of the callers, and come off it before returning.
        var next = t_next ??= [];
        var start = next.Count;
        try
        {
            Match(rule, words[i + 1].Text, next);
            var end = next.Count;
            for (var k = start; k < end; k++)
            {
                Found(next[k], words, i + 1, counts);
            }
        }
        finally
        {
            next.RemoveRange(start, next.Count - start);
        }
    }

    private void AddRule(string phrase, int topic, double weight)
    {
        var node = _root;
        foreach (var token in Tokenizer.Tokenize(phrase.ToLowerInvariant()))
        {
            if (token.Text == "*")
            {
                continue;
            }
            if (node == _root)
            {
                MarkOpening(token.Text);
            }
            var wildcard = token.End < phrase.Length && phrase[token.End] == '*';
            Rule? next;
            node.HasChildren = true;
            if (wildcard && token.Text.Length >= 2)
            {
                var group = token.Text.Length < PrefixKey ? node.ShortPrefixes ??= []
                    : (node.Prefixes ??= new(StringComparer.OrdinalIgnoreCase)).TryGetValue(token.Text[..PrefixKey], out var g) ? g
                    : node.Prefixes[token.Text[..PrefixKey]] = [];
                next = group.FirstOrDefault(p => p.Prefix == token.Text).Next;
                if (next is null)
                {
                    next = new Rule();
                    group.Add((token.Text, next));
                }
            }
            else
            {
                var map = node.Exact ??= new(StringComparer.OrdinalIgnoreCase);
                if (!map.TryGetValue(token.Text, out next))
                {
                    next = new Rule();
                    map.Add(token.Text, next);
                }
            }
            node = next;
        }
        if (node.Topics is null)
        {
            node.Topics = [];
            node.Index = _ruleCount++;
        }
        node.Topics.Add((topic, weight));
    }

    /// <summary>How often each rule matched in one article, and the order they first did (the order evidence is summed in).</summary>
    private readonly struct Counts(int[] counts, List<Rule> order)
    {
        public List<Rule> Order => order;

        public void Add(Rule rule)
        {
            if (counts[rule.Index]++ == 0)
            {
                order.Add(rule);
            }
        }

        public int Of(Rule rule) => counts[rule.Index];

        /// <summary>Zeroes what this article counted, so the thread's arrays are ready for the next one.</summary>
        public void Clear()
        {
            foreach (var rule in order)
            {
                counts[rule.Index] = 0;
            }
            order.Clear();
        }
    }

    private sealed class Rule
    {
        public Dictionary<string, Rule>? Exact;
        public Dictionary<string, List<(string Prefix, Rule Next)>>? Prefixes;
        public List<(string Prefix, Rule Next)>? ShortPrefixes;
        public List<(int Topic, double Weight)>? Topics;
        public bool HasChildren;

        /// <summary>Slot of a rule with topics in an article's counts.</summary>
        public int Index;
    }
}
