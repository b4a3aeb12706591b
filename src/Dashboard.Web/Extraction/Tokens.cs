using System.Globalization;
using System.Text;

namespace Dashboard.Web.Extraction;

/// <summary>A word, number or punctuation mark of an article, with its UTF-16 span and accent-folded text.</summary>
internal readonly record struct Token(int Start, int End, string Text, bool IsWord)
{
    public bool IsCapitalised => IsWord && char.IsUpper(Text[0]);

    public bool IsAllCaps
    {
        get
        {
            if (!IsWord)
            {
                return false;
            }
            foreach (var c in Text)
            {
                if (char.IsLower(c))
                {
                    return false;
                }
            }
            return true;
        }
    }
}

/// <summary>Splits text into tokens and folds accents so "Rafaḩ" and "Rafah" compare equal.</summary>
internal static class Tokenizer
{
    // Folding table for the Latin blocks, built once: the folded form of each char, or null if unchanged.
    private static readonly string?[] Latin = BuildTable(0x0000, 0x0250);
    private static readonly string?[] LatinAdditional = BuildTable(0x1E00, 0x1F00);
    private static readonly string[] AsciiMarks = [.. Enumerable.Range(0, 0x80).Select(c => ((char)c).ToString())];

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>(text.Length / 5 + 4);
        var i = 0;
        StringBuilder? builder = null;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            var start = i;
            if (IsWordChar(c))
            {
                // Most words are plain ASCII: find the end first and copy the folded form only when a char folds.
                var changed = false;
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
                string word;
                if (changed)
                {
                    builder ??= new StringBuilder();
                    builder.Clear();
                    for (var k = start; k < i; k++)
                    {
                        if (FoldChar(text[k]) is { } folded)
                        {
                            builder.Append(folded);
                        }
                        else
                        {
                            builder.Append(text[k]);
                        }
                    }
                    // Combining marks fold to nothing; a run of only marks leaves nothing to match.
                    if (builder.Length == 0)
                    {
                        continue;
                    }
                    word = builder.ToString();
                }
                else
                {
                    word = text.Substring(start, i - start);
                }
                tokens.Add(new Token(start, i, word, true));
            }
            else
            {
                i++;
                var mark = c switch
                {
                    '\u2019' or '\u2018' or '\u02BC' or '`' => "'",
                    '\u2010' or '\u2011' or '\u2012' or '\u2013' => "-",
                    // One shared string per ASCII mark, rather than a new one for every comma.
                    < '\u0080' => AsciiMarks[c],
                    _ => c.ToString(),
                };
                tokens.Add(new Token(start, i, mark, false));
            }
        }
        return tokens;
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
