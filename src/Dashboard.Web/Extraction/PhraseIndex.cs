namespace Dashboard.Web.Extraction;

/// <summary>A trie over token texts: finds the longest known phrase starting at a token.</summary>
internal sealed class PhraseIndex<T>(StringComparer comparer)
{
    private readonly Node _root = new();
    private readonly bool _ignoreCase = !ReferenceEquals(comparer, StringComparer.Ordinal);

    /// <summary>An index comparing token texts exactly.</summary>
    public PhraseIndex()
        : this(StringComparer.Ordinal)
    {
    }

    public void Add(string phrase, T value)
    {
        var node = _root;
        foreach (var token in Tokenizer.Tokenize(phrase))
        {
            node.Children ??= new Dictionary<string, Node>(comparer);
            if (!node.Children.TryGetValue(token.Text, out var child))
            {
                child = new Node();
                node.Children.Add(token.Text, child);
            }
            node = child;
        }
        if (node != _root)
        {
            (node.Values ??= []).Add(value);
        }
    }

    /// <summary>The longest phrase at <paramref name="start"/>: its token count and values, or 0 and null.</summary>
    public (int Length, IReadOnlyList<T>? Values) Longest(ReadOnlySpan<Token> tokens, int start)
    {
        // Most words of a text open no phrase: each word remembers the node it leads to, so only the first
        // occurrence on a thread pays for the lookup.
        var node = First(tokens[start].Word);
        if (node is null)
        {
            return (0, null);
        }
        var bestLength = node.Values is null ? 0 : 1;
        IReadOnlyList<T>? best = node.Values;
        for (var i = start + 1; i < tokens.Length; i++)
        {
            if (node.Children is null || !node.Children.TryGetValue(tokens[i].Text, out var child))
            {
                break;
            }
            node = child;
            if (node.Values is not null)
            {
                bestLength = i - start + 1;
                best = node.Values;
            }
        }
        return (bestLength, best);
    }

    private Node? First(Word word)
    {
        if (_ignoreCase)
        {
            if (!ReferenceEquals(word.PhrasesIgnoringCaseOwner, this))
            {
                word.PhrasesIgnoringCase = _root.Children?.GetValueOrDefault(word.Text);
                word.PhrasesIgnoringCaseOwner = this;
            }
            return (Node?)word.PhrasesIgnoringCase;
        }
        if (!ReferenceEquals(word.PhrasesOwner, this))
        {
            word.Phrases = _root.Children?.GetValueOrDefault(word.Text);
            word.PhrasesOwner = this;
        }
        return (Node?)word.Phrases;
    }

    private sealed class Node
    {
        public Dictionary<string, Node>? Children;
        public List<T>? Values;
    }
}
