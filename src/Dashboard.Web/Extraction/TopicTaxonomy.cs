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

    private readonly Rule _root = new();
    private readonly Dictionary<string, int> _indexByKey = new(StringComparer.Ordinal);
    private readonly List<TopicDefinition> _topics = [];

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

    internal IReadOnlyList<ExtractedTopic> Score(IReadOnlyList<Token> tokens)
    {
        // Rules compare ignoring case, so token texts are used as they are, without lower-cased copies.
        var words = new List<string>(tokens.Count);
        foreach (var token in tokens)
        {
            if (token.IsWord || token.Text is "-" or ".")
            {
                words.Add(token.Text);
            }
        }
        var counts = new Dictionary<Rule, int>();
        for (var i = 0; i < words.Count; i++)
        {
            Match(_root, words, i, counts);
        }
        var evidence = new double[_topics.Count];
        foreach (var (rule, count) in counts)
        {
            // Repeating one phrase adds less and less: ten "war"s are not ten times the evidence.
            var weight = 1 + Math.Log(count);
            foreach (var (topic, w) in rule.Topics!)
            {
                evidence[topic] += w * weight;
            }
        }
        var wordCount = 0;
        foreach (var token in tokens)
        {
            wordCount += token.IsWord ? 1 : 0;
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

    private static void Match(Rule node, List<string> words, int i, Dictionary<Rule, int> counts)
    {
        if (i >= words.Count)
        {
            return;
        }
        var word = words[i];
        if (node.Exact is not null && node.Exact.TryGetValue(word, out var exact))
        {
            Found(exact, words, i, counts);
        }
        // Wildcard rules are grouped by their first two letters so a word is checked against a handful, not all.
        if (node.Prefixes is not null && word.Length >= 2 && node.Prefixes.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(word.AsSpan(0, 2), out var group))
        {
            foreach (var (prefix, next) in group)
            {
                if (word.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    Found(next, words, i, counts);
                }
            }
        }
    }

    private static void Found(Rule rule, List<string> words, int i, Dictionary<Rule, int> counts)
    {
        if (rule.Topics is not null)
        {
            counts[rule] = counts.GetValueOrDefault(rule) + 1;
        }
        Match(rule, words, i + 1, counts);
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
            var wildcard = token.End < phrase.Length && phrase[token.End] == '*';
            Rule? next;
            if (wildcard && token.Text.Length >= 2)
            {
                var group = (node.Prefixes ??= new(StringComparer.OrdinalIgnoreCase)).TryGetValue(token.Text[..2], out var g) ? g : node.Prefixes[token.Text[..2]] = [];
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
        (node.Topics ??= []).Add((topic, weight));
    }

    private sealed class Rule
    {
        public Dictionary<string, Rule>? Exact;
        public Dictionary<string, List<(string Prefix, Rule Next)>>? Prefixes;
        public List<(int Topic, double Weight)>? Topics;
    }
}
