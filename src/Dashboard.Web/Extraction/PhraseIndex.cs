namespace Dashboard.Web.Extraction;

/// <summary>A trie over token texts: finds the longest known phrase starting at a token.</summary>
internal sealed class PhraseIndex<T>(StringComparer comparer)
{
    private readonly Node _root = new();

    // Whether some phrase starts with a word of this shape (first and last ASCII char, length): most words of a
    // text open no phrase, and this skips their dictionary lookups without hashing them.
    private readonly bool[] _opens = new bool[128 * 128 * 16];

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
            if (node == _root)
            {
                Mark(token.Text);
            }
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
    public (int Length, IReadOnlyList<T>? Values) Longest(List<Token> tokens, int start)
    {
        var word = tokens[start].Text;
        if (word[0] < 0x80 && word[^1] < 0x80 && !_opens[Shape(word[0], word[^1], word.Length)])
        {
            return (0, null);
        }
        var node = _root;
        var bestLength = 0;
        IReadOnlyList<T>? best = null;
        for (var i = start; i < tokens.Count; i++)
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

    private static int Shape(char first, char last, int length) => ((first * 128) + last) * 16 + Math.Min(length, 15);

    private void Mark(string word)
    {
        var (first, last) = (word[0], word[^1]);
        if (first >= 0x80 || last >= 0x80)
        {
            return;
        }
        // A comparer that ignores case matches the other case of either char too.
        var ignoreCase = !ReferenceEquals(comparer, StringComparer.Ordinal);
        foreach (var f in ignoreCase && char.IsAsciiLetter(first) ? [first, (char)(first ^ 0x20)] : new[] { first })
        {
            foreach (var l in ignoreCase && char.IsAsciiLetter(last) ? [last, (char)(last ^ 0x20)] : new[] { last })
            {
                _opens[Shape(f, l, word.Length)] = true;
            }
        }
    }

    private sealed class Node
    {
        public Dictionary<string, Node>? Children;
        public List<T>? Values;
    }
}
