namespace Dashboard.Web.Extraction;

/// <summary>A trie over token texts: finds the longest known phrase starting at a token.</summary>
internal sealed class PhraseIndex<T>
{
    private readonly Node _root = new();

    public void Add(string phrase, T value)
    {
        var node = _root;
        foreach (var token in Tokenizer.Tokenize(phrase))
        {
            node.Children ??= new Dictionary<string, Node>(StringComparer.Ordinal);
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
    /// <param name="key">Maps token text before lookup (upper-casing, for headlines written in capitals).</param>
    public (int Length, IReadOnlyList<T>? Values) Longest(IReadOnlyList<Token> tokens, int start, Func<string, string>? key = null)
    {
        var node = _root;
        var bestLength = 0;
        IReadOnlyList<T>? best = null;
        for (var i = start; i < tokens.Count; i++)
        {
            var text = key is null ? tokens[i].Text : key(tokens[i].Text);
            if (node.Children is null || !node.Children.TryGetValue(text, out var child))
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

    private sealed class Node
    {
        public Dictionary<string, Node>? Children;
        public List<T>? Values;
    }
}
