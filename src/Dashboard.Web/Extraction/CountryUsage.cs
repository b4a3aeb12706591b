namespace Dashboard.Web.Extraction;

/// <summary>Country words used as part of another name: a currency ("U.S. dlrs", "Swiss francs") or a sea ("Persian Gulf", "Gulf of Mexico").</summary>
internal static class CountryUsage
{
    // Verbs that are also currencies ("Korea won", "Japan marks") are left out: the country reading is the safer one.
    private static readonly HashSet<string> Currencies = new(StringComparer.OrdinalIgnoreCase)
    {
        "dollar", "dollars", "dlr", "dlrs", "franc", "francs", "cent", "cents", "yen", "guilder", "guilders", "crown", "crowns",
        "krona", "kronor", "krone", "kroner", "peso", "pesos", "lira", "lire", "rupee", "rupees", "yuan", "riyal", "riyals",
        "rial", "rials", "dinar", "dinars", "escudo", "escudos", "peseta", "pesetas", "schilling", "schillings", "shilling",
        "shillings", "pound", "pounds", "sterling", "currency", "cruzado", "cruzados", "austral", "australs", "sucre", "sucres",
        "ringgit", "baht", "rupiah", "drachma", "drachmas", "forint", "zloty", "rand",
    };

    private static readonly HashSet<string> WatersAfter = new(StringComparer.OrdinalIgnoreCase) { "Gulf", "Sea", "Ocean" };

    private static readonly HashSet<string> WatersBefore = new(StringComparer.OrdinalIgnoreCase) { "Gulf", "Sea", "Bay" };

    // The wire-style abbreviations of US states that follow a city: "GREENWICH, Conn.", "Birmingham, Ala.".
    private static readonly HashSet<string> UsStates = new(StringComparer.Ordinal)
    {
        "Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.", "D.C.", "Fla.", "Ga.", "Ill.", "Ind.", "Kan.", "Kans.", "Ky.",
        "La.", "Md.", "Mass.", "Mich.", "Minn.", "Miss.", "Mo.", "Mont.", "Neb.", "Nev.", "N.H.", "N.J.", "N.M.", "N.Y.", "N.C.",
        "N.D.", "Okla.", "Ore.", "Pa.", "R.I.", "S.C.", "S.D.", "Tenn.", "Tex.", "Vt.", "Va.", "Wash.", "W.Va.", "Wis.", "Wyo.",
    };

    /// <summary>True when a US state abbreviation follows the city at [.., end): "HANOVER, N.H." is in the United States.</summary>
    public static bool IsFollowedByUsState(string text, int end)
    {
        var i = end;
        if (i + 1 >= text.Length || text[i] != ',')
        {
            return false;
        }
        i++;
        while (i < text.Length && text[i] == ' ')
        {
            i++;
        }
        var j = i;
        while (j < text.Length && text[j] != ',' && !char.IsWhiteSpace(text[j]))
        {
            j++;
        }
        return UsStates.GetAlternateLookup<ReadOnlySpan<char>>().Contains(text.AsSpan(i, j - i));
    }

    /// <summary>True when only a comma and spaces lie between <paramref name="end"/> and <paramref name="next"/>: "Milan, Italy".</summary>
    public static bool IsCommaBetween(string text, int end, int next) =>
        next > end && text.AsSpan(end, next - end).Trim(' ') is [','];

    /// <summary>True when the country word at [start, end) of <paramref name="text"/> names a currency or a body of water, not the country.</summary>
    public static bool IsPartOfOtherName(string text, int start, int end)
    {
        // Runs for every country candidate: spans and alternate lookups keep it free of allocations.
        var next = WordAfter(text, end);
        if (Currencies.GetAlternateLookup<ReadOnlySpan<char>>().Contains(next)
            || next.Length > 0 && char.IsUpper(next[0]) && WatersAfter.GetAlternateLookup<ReadOnlySpan<char>>().Contains(next))
        {
            return true;
        }
        // "Gulf of Mexico", "Bay of Bengal": the two words just before are "<water> of".
        var of = WordBefore(text, start);
        if (!of.Equals("of", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var water = WordBefore(text, start - SpanStart(text, start));
        return water.Length > 0 && char.IsUpper(water[0]) && WatersBefore.GetAlternateLookup<ReadOnlySpan<char>>().Contains(water);
    }

    private static ReadOnlySpan<char> WordAfter(string text, int end)
    {
        var i = end;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }
        var j = i;
        while (j < text.Length && char.IsLetter(text[j]))
        {
            j++;
        }
        return text.AsSpan(i, j - i);
    }

    private static ReadOnlySpan<char> WordBefore(string text, int start)
    {
        var j = start;
        while (j > 0 && char.IsWhiteSpace(text[j - 1]))
        {
            j--;
        }
        var i = j;
        while (i > 0 && char.IsLetter(text[i - 1]))
        {
            i--;
        }
        return text.AsSpan(i, j - i);
    }

    /// <summary>How far back from <paramref name="start"/> the word before it begins, spaces included.</summary>
    private static int SpanStart(string text, int start)
    {
        var j = start;
        while (j > 0 && char.IsWhiteSpace(text[j - 1]))
        {
            j--;
        }
        while (j > 0 && char.IsLetter(text[j - 1]))
        {
            j--;
        }
        return start - j;
    }
}
