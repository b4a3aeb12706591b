using System.Globalization;
using System.Text;

namespace Dashboard.Web.Extraction;

/// <summary>One occurrence of a word, number or punctuation mark in an article: its UTF-16 span and its shared <see cref="Word"/>.</summary>
internal readonly struct Token
{
    // The end and the line-start flag share an int (a string is shorter than 2^31 chars): 16 bytes a token, not 24,
    // as an article's tokens are the largest thing extraction allocates.
    private readonly int _endAndLineStart;

    /// <param name="startsLine">Whether a line break separates it from the token before it: names never run across lines.</param>
    public Token(int start, int end, Word word, bool startsLine)
    {
        Start = start;
        _endAndLineStart = end | (startsLine ? int.MinValue : 0);
        Word = word;
    }

    public Word Word { get; }

    public int Start { get; }

    /// <summary>End of the span, exclusive.</summary>
    public int End => _endAndLineStart & int.MaxValue;

    /// <summary>Whether a line break separates it from the token before it.</summary>
    public bool StartsLine => _endAndLineStart < 0;

    /// <summary>The accent-folded text.</summary>
    public string Text => Word.Text;

    public bool IsWord => Word.IsWord;

    public bool IsCapitalised => Word.IsCapitalised;

    public bool IsAllCaps => Word.IsAllCaps;
}

/// <summary>
/// A distinct accent-folded token text, shared by all its occurrences tokenised on one thread, with what the extractor has
/// already learnt about it (its cue-list memberships, the gazetteer phrases and topic rules it opens).
/// </summary>
/// <remarks>
/// Extraction asks the same questions of "the", "said" and "Iran" in every article; answering them once per distinct word
/// instead of once per occurrence is most of its speed. Each thread has its own words, so the memos need no locks; each memo
/// records the object that filled it (a phrase index, a topic taxonomy, a name list) and is refilled when another asks.
/// </remarks>
internal sealed class Word
{
    public Word(string text, bool isWord)
    {
        Text = text;
        IsWord = isWord;
        if (isWord)
        {
            IsCapitalised = char.IsUpper(text[0]);
            IsAllCaps = !HasLower(text);
            ShowsCase = text.Length > 1 && char.IsLetter(text[0]);
            FunctionWordSide = (sbyte)FunctionWordSides.GetValueOrDefault(text);
        }
    }

    /// <summary>Each function word with the side it counts for: 1 English, -1 another language.</summary>
    private static readonly Dictionary<string, int> FunctionWordSides =
        ActorCues.EnglishFunctionWords.Select(w => (w, 1)).Concat(ActorCues.OtherFunctionWords.Select(w => (w, -1)))
            .ToDictionary(p => p.w, p => p.Item2, StringComparer.Ordinal);

    /// <summary>
    /// 1 for an English function word ("the", "of"), -1 for one of the other languages' ("der", "como"), 0 otherwise:
    /// looked up once per word a thread meets, not once per token (the language check reads 300 tokens per article).
    /// </summary>
    public sbyte FunctionWordSide { get; }

    public string Text { get; }

    public bool IsWord { get; }

    public bool IsCapitalised { get; }

    /// <summary>No lower-case letter in a word: "IRAN", "UN", "1987".</summary>
    public bool IsAllCaps { get; }

    /// <summary>A word of two chars or more starting with a letter: what tells a line written in capitals from a normal one.</summary>
    public bool ShowsCase { get; }

    // Memos, each with the object that filled it: see the remarks on the class.
    internal object? CuesOwner;
    internal int Cues;
    internal object? PhrasesOwner;
    internal object? Phrases;
    internal object? PhrasesIgnoringCaseOwner;
    internal object? PhrasesIgnoringCase;
    internal object? TopicsOwner;
    internal object? Topics;

    private static bool HasLower(string text)
    {
        foreach (var c in text)
        {
            if (char.IsLower(c))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>Splits text into tokens and folds accents so "Rafaḩ" and "Rafah" compare equal.</summary>
internal static class Tokenizer
{
    // Folding table for the Latin blocks, built once: the folded form of each char, or null if unchanged.
    private static readonly string?[] Latin = BuildTable(0x0000, 0x0250);
    private static readonly string?[] LatinAdditional = BuildTable(0x1E00, 0x1F00);

    // Each thread keeps its own words (see Word): no locks, and an article's tokens allocate no strings for words seen before.
    [ThreadStatic]
    private static Vocabulary? t_vocabulary;

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>(text.Length / 4 + 4);
        Tokenize(text, tokens);
        return tokens;
    }

    /// <summary>Appends the tokens of <paramref name="text"/> to <paramref name="tokens"/>, which a caller may reuse between texts.</summary>
    public static void Tokenize(string text, List<Token> tokens)
    {
        var vocabulary = t_vocabulary ??= new Vocabulary();
        var i = 0;
        var newLine = false;
        while (i < text.Length)
        {
            var c = text[i];
            var start = i;
            Word? word;
            if (char.IsAsciiLetterOrDigit(c))
            {
                // Most words are plain ASCII: hash them while finding their end, and look them up without a copy.
                var hash = Vocabulary.Seed;
                do
                {
                    hash = Vocabulary.Hash(hash, c);
                    i++;
                }
                while (i < text.Length && char.IsAsciiLetterOrDigit(c = text[i]));
                if (c >= 0x80 && i < text.Length && IsWordChar(c))
                {
                    (word, i) = OtherWord(vocabulary, text, start);
                }
                else
                {
                    word = vocabulary.Word(text.AsSpan(start, i - start), hash);
                }
            }
            else if (c < 0x80)
            {
                if (c is ' ' or '\n' or '\r' or '\t' or '\v' or '\f')
                {
                    newLine |= c is '\n' or '\r';
                    i++;
                    continue;
                }
                i++;
                word = vocabulary.Mark(c == '`' ? '\'' : c);
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            else if (IsWordChar(c))
            {
                (word, i) = OtherWord(vocabulary, text, start);
            }
            else
            {
                i++;
                word = vocabulary.Mark(c switch
                {
                    '\u2019' or '\u2018' or '\u02BC' => '\'',
                    '\u2010' or '\u2011' or '\u2012' or '\u2013' => '-',
                    _ => c,
                });
            }
            // Combining marks fold to nothing; a run of only marks leaves nothing to match.
            if (word is not null)
            {
                tokens.Add(new Token(start, i, word, newLine));
                newLine = false;
            }
        }
    }

    /// <summary>A word with a char outside ASCII, from <paramref name="start"/>: folded if a char folds, or null if nothing is
    /// left; and where it ends.</summary>
    /// <remarks>Returns the end rather than taking the tokeniser's position by reference, which would keep it out of a register.</remarks>
    private static (Word? Word, int End) OtherWord(Vocabulary vocabulary, string text, int start)
    {
        var changed = false;
        var i = start;
        while (i < text.Length)
        {
            var w = text[i];
            if (w < 0x80)
            {
                if (!char.IsAsciiLetterOrDigit(w))
                {
                    break;
                }
            }
            else if (!IsWordChar(w))
            {
                break;
            }
            else
            {
                changed |= FoldChar(w) is not null;
            }
            i++;
        }
        var word = changed ? vocabulary.Fold(text.AsSpan(start, i - start)) : text.AsSpan(start, i - start);
        return (word.IsEmpty ? null : vocabulary.Word(word, Vocabulary.Hash(word)), i);
    }

    /// <summary>Folds a phrase the same way a token is folded, for building indexes from data.</summary>
    public static string Fold(string s)
    {
        var k = 0;
        while (k < s.Length && FoldChar(s[k]) is null)
        {
            k++;
        }
        if (k == s.Length)
        {
            return s;
        }
        var builder = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            builder.Append(FoldChar(c) ?? c.ToString());
        }
        return builder.ToString();
    }

    private static bool IsWordChar(char c) =>
        c < 0x80 ? char.IsAsciiLetterOrDigit(c) : char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark;

    private static string? FoldChar(char c)
    {
        if (c < 0x0250)
        {
            return Latin[c];
        }
        if (c is >= '\u1E00' and < '\u1F00')
        {
            return LatinAdditional[c - 0x1E00];
        }
        return CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark ? string.Empty : null;
    }

    /// <summary>One thread's words and marks: an open-addressing table keyed by the chars of the text, so a word seen
    /// before is found from its span without copying it.</summary>
    private sealed class Vocabulary
    {
        public const uint Seed = 2166136261;

        // Enough for the working vocabulary of a large batch of news; past it the words start afresh rather than grow without bound.
        private const int Capacity = 100_000;

        private readonly Word?[] _asciiMarks = new Word?[0x80];
        private readonly Dictionary<char, Word> _otherMarks = [];
        // Slots hold an index into the entries plus one (0: empty); entries are dense in the order words were first seen, so
        // the common words, met first, share a few cache lines.
        private int[] _slots = new int[1 << 14];
        private Entry[] _entries = new Entry[1 << 13];
        private int _count;
        private char[] _buffer = new char[64];

        /// <summary>FNV-1a over UTF-16 units, one char at a time so the tokeniser can hash as it scans.</summary>
        public static uint Hash(uint hash, char c) => (hash ^ c) * 16777619;

        public static uint Hash(ReadOnlySpan<char> text)
        {
            var hash = Seed;
            foreach (var c in text)
            {
                hash = Hash(hash, c);
            }
            return hash;
        }

        public Word Word(ReadOnlySpan<char> text, uint hash)
        {
            if (_count >= Capacity)
            {
                _slots = new int[_slots.Length];
                _entries = new Entry[_entries.Length];
                _count = 0;
            }
            var mask = _slots.Length - 1;
            var slot = Slot(hash, mask);
            while (_slots[slot] is var index and > 0)
            {
                ref var entry = ref _entries[index - 1];
                if (entry.Hash == hash && entry.Text.AsSpan().SequenceEqual(text))
                {
                    return entry.Word;
                }
                slot = (slot + 1) & mask;
            }
            var word = new Word(text.ToString(), isWord: true);
            if (_count == _entries.Length)
            {
                Array.Resize(ref _entries, _entries.Length * 2);
            }
            _entries[_count] = new Entry(hash, word.Text, word);
            _slots[slot] = ++_count;
            if (_count * 2 > _slots.Length)
            {
                Grow();
            }
            return word;
        }

        public Word Mark(char c)
        {
            if (c < 0x80)
            {
                return _asciiMarks[c] ??= new Word(c.ToString(), isWord: false);
            }
            if (!_otherMarks.TryGetValue(c, out var mark))
            {
                mark = new Word(c.ToString(), isWord: false);
                _otherMarks.Add(c, mark);
            }
            return mark;
        }

        // FNV's low bits are its weakest: fold the high ones in before masking.
        private static int Slot(uint hash, int mask) => (int)(hash ^ (hash >> 15)) & mask;

        private void Grow()
        {
            _slots = new int[_slots.Length * 2];
            var mask = _slots.Length - 1;
            for (var index = 0; index < _count; index++)
            {
                var slot = Slot(_entries[index].Hash, mask);
                while (_slots[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }
                _slots[slot] = index + 1;
            }
        }

        /// <summary>A word with its hash and text alongside, so a probe reads one place, not the word too.</summary>
        private readonly record struct Entry(uint Hash, string Text, Word Word);

        /// <summary>The folded form of a word, in a buffer valid until the next call.</summary>
        public ReadOnlySpan<char> Fold(ReadOnlySpan<char> word)
        {
            var length = 0;
            foreach (var c in word)
            {
                var folded = FoldChar(c);
                var needed = length + (folded?.Length ?? 1);
                if (needed > _buffer.Length)
                {
                    Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
                }
                if (folded is null)
                {
                    _buffer[length++] = c;
                }
                else
                {
                    folded.CopyTo(_buffer.AsSpan(length));
                    length += folded.Length;
                }
            }
            return _buffer.AsSpan(0, length);
        }
    }

    private static string?[] BuildTable(int from, int to)
    {
        var table = new string?[to - from];
        for (var code = from; code < to; code++)
        {
            var c = (char)code;
            if (c < 0x80)
            {
                continue;
            }
            var folded = c switch
            {
                'ß' => "ss",
                'ø' => "o",
                'Ø' => "O",
                'ł' => "l",
                'Ł' => "L",
                'đ' => "d",
                'Đ' => "D",
                'ı' => "i",
                'æ' => "ae",
                'Æ' => "AE",
                'œ' => "oe",
                'Œ' => "OE",
                'þ' => "th",
                _ => StripMarks(c),
            };
            if (folded != c.ToString())
            {
                table[code - from] = folded;
            }
        }
        return table;
    }

    private static string StripMarks(char c)
    {
        var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var d in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(d);
            }
        }
        return builder.ToString();
    }
}
