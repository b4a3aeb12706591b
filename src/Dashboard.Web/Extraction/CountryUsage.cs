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
        "ringgit", "baht", "rupiah", "drachma", "drachmas", "forint", "zloty", "rand", "ct", "cts", "ecu", "ecus",
    };

    // What a demonym names when it opens a currency's or a security's name rather than saying where: "the West German mark"
    // ("mark" is also a verb, "Japan marks the anniversary", so only after an adjective), "American Depositary Receipts"
    // (shares of a foreign company traded in New York).
    private static readonly HashSet<string> CurrenciesAfterDemonyms = new(StringComparer.OrdinalIgnoreCase) { "mark", "marks", "depositary", "depository" };

    // Words of a market's name between its city and "Exchange": "London Metal Exchange", "Tokyo stock exchange".
    private static readonly HashSet<string> MarketWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "stock", "stocks", "metal", "metals", "mercantile", "commodity", "commodities", "futures", "options", "grain", "cotton",
        "international", "financial", "monetary", "petroleum", "coffee", "sugar", "cocoa", "rubber", "gold", "foreign", "securities",
    };

    private static readonly HashSet<string> MarketHeads = new(StringComparer.OrdinalIgnoreCase) { "exchange", "exchanges", "bourse", "interbank" };

    // Agreements and meetings named after the town they were struck in: "the Paris accord", "the Louvre pact", "the Venice
    // summit" (capitalised, "Paris Club" and "Uruguay Round" are caught as names already).
    private static readonly HashSet<string> NamedAfterTown = new(StringComparer.Ordinal)
    {
        "accord", "accords", "agreement", "pact", "summit", "communique", "club", "round",
    };

    private static readonly HashSet<string> WatersAfter = new(StringComparer.OrdinalIgnoreCase) { "Gulf", "Sea", "Ocean" };

    private static readonly HashSet<string> WatersBefore = new(StringComparer.OrdinalIgnoreCase) { "Gulf", "Sea", "Bay" };

    // The wire-style abbreviations of US states that follow a city: "GREENWICH, Conn.", "Birmingham, Ala.". Datelines drop
    // the full stop as often as not ("MALVERN, Pa, March 12") and write it in capitals ("GREENWICH, CONN.").
    private static readonly HashSet<string> UsStates = new(StringComparer.OrdinalIgnoreCase)
    {
        "Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.", "D.C.", "Fla.", "Ga.", "Ill.", "Ind.", "Kan.", "Kans.", "Ky.",
        "La.", "Md.", "Mass.", "Mich.", "Minn.", "Miss.", "Mo.", "Mont.", "Neb.", "Nev.", "N.H.", "N.J.", "N.M.", "N.Y.", "N.C.",
        "N.D.", "Okla.", "Ore.", "Pa.", "Penn.", "R.I.", "S.C.", "S.D.", "Tenn.", "Tex.", "Vt.", "Va.", "Wash.", "W.Va.", "Wis.", "Wyo.",
    };

    // Full state names after a city ("WOODLANDS, Texas, March 11"), taken only when another comma closes them: "Moscow,
    // Washington and Beijing" lists capitals, and Washington and Georgia are left out as the names of a city and a country.
    private static readonly HashSet<string> UsStateNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida", "Hawaii",
        "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts",
        "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "Ohio", "Oklahoma", "Oregon",
        "Pennsylvania", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Wisconsin", "Wyoming",
    };

    /// <summary>True when a US state follows the city at [.., end): "HANOVER, N.H." is in the United States.</summary>
    /// <remarks>An abbreviation without its full stop counts only where the name ends: "Cordoba, La Pampa" names an
    /// Argentine province, not Louisiana.</remarks>
    public static bool IsFollowedByUsState(string text, int end) => UsStateAfter(text, end).Length > 0;

    /// <summary>Where the US state after the place ending at <paramref name="end"/> lies ("Ill." of "LOMBARD, Ill., March
    /// 3"), or an empty range.</summary>
    public static (int Start, int Length) UsStateAfter(string text, int end)
    {
        var i = end;
        if (i + 1 >= text.Length || text[i] != ',')
        {
            return default;
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
        var word = text.AsSpan(i, j - i);
        if (UsStates.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word))
        {
            return (i, j - i);
        }
        if (!EndsName(text.AsSpan(j)) || word.Length < 2)
        {
            return default;
        }
        Span<char> dotted = stackalloc char[word.Length + 1];
        word.CopyTo(dotted);
        dotted[^1] = '.';
        return UsStates.GetAlternateLookup<ReadOnlySpan<char>>().Contains(dotted) || UsStateNames.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word)
            ? (i, j - i)
            : default;
    }

    /// <summary>True when what follows a word ends the name it belongs to: the end of the line, a comma, or a space and a word
    /// in lower case ("Greenwich, Conn said"), not a capitalised word that would continue it ("La Pampa").</summary>
    public static bool EndsName(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty || rest[0] is ',' or '\n' or '\r' or ')')
        {
            return true;
        }
        if (rest[0] != ' ')
        {
            return false;
        }
        var next = rest.TrimStart(' ');
        return next.IsEmpty || char.IsLower(next[0]) || next[0] is '\n' or '\r';
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

    /// <summary>True when the place at [start, end) is part of a name rather than a reference to its country: inside a
    /// company name or ticker in angle brackets ("&lt;Air France&gt;", "Union Carbide Corp &lt;UK&gt;"), opening a market's
    /// name ("London Metal Exchange", "London Interbank Offered Rate", "Chicago Board of Trade"), the market a security is
    /// listed on ("will be listed in Luxembourg"), an agreement named after a town ("the Paris accord"), or a currency after
    /// an adjective ("the West German mark").</summary>
    /// <remarks>Runs for every country candidate, never per token: spans, no allocations.</remarks>
    public static bool IsNamePartOrVenue(string text, int start, int end, string via)
    {
        if (IsInsideAngleBrackets(text, start, end))
        {
            return true;
        }
        var next = WordAfter(text, end);
        if (via == "demonym" && CurrenciesAfterDemonyms.GetAlternateLookup<ReadOnlySpan<char>>().Contains(next))
        {
            return true;
        }
        if (via is "capital" or "city" or "region" && NamedAfterTown.GetAlternateLookup<ReadOnlySpan<char>>().Contains(next))
        {
            return true;
        }
        // A country's name before a market word in lower case is the country's own market ("U.S. foreign exchange reserves");
        // only a town names a market in lower case ("the Tokyo stock exchange").
        return OpensMarketName(text, end, properNameOnly: via is not ("capital" or "city" or "region")) || IsListingPlace(text, start);
    }

    /// <summary>"&lt;Saudi American Bank&gt;", "&lt;UK&gt;": wire copy marks company names and tickers with angle brackets.</summary>
    private static bool IsInsideAngleBrackets(string text, int start, int end)
    {
        const int MaxName = 80;
        var open = false;
        for (var i = start - 1; i >= 0 && start - i <= MaxName; i--)
        {
            var c = text[i];
            if (c is '>' or '\n')
            {
                return false;
            }
            if (c == '<')
            {
                open = true;
                break;
            }
        }
        if (!open)
        {
            return false;
        }
        for (var i = end; i < text.Length && i - end <= MaxName; i++)
        {
            var c = text[i];
            if (c is '<' or '\n')
            {
                return false;
            }
            if (c == '>')
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>"London Metal Exchange", "Tokyo stock exchange", "London Interbank Offered Rate", "Chicago Board of Trade".</summary>
    private static bool OpensMarketName(string text, int end, bool properNameOnly)
    {
        var at = end;
        for (var words = 0; words < 3; words++)
        {
            var i = at;
            // "New York-based" is a place; "Sydney Futures Exchange" and "London  Metal" (any spacing) are names.
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }
            if (i == at)
            {
                return false;
            }
            var word = WordAfter(text, at);
            if (word.IsEmpty)
            {
                return false;
            }
            if (properNameOnly && !char.IsUpper(word[0]))
            {
                return false;
            }
            if (MarketHeads.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word)
                || words == 0 && word is "Board" && text.AsSpan(i + word.Length).TrimStart(' ').StartsWith("of Trade", StringComparison.Ordinal))
            {
                return true;
            }
            if (!MarketWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word))
            {
                return false;
            }
            at = i + word.Length;
        }
        return false;
    }

    /// <summary>"will be listed in Luxembourg", "listing is in Luxembourg", "listed on the Luxembourg stock exchange": the
    /// market a security trades on, named after its town.</summary>
    private static bool IsListingPlace(string text, int start)
    {
        var at = start;
        var word = WordBefore(text, at);
        if (word is "the")
        {
            at -= SpanStart(text, at);
            word = WordBefore(text, at);
        }
        if (word is not ("in" or "on"))
        {
            return false;
        }
        at -= SpanStart(text, at);
        word = WordBefore(text, at);
        if (word is "be" or "is" or "are")
        {
            at -= SpanStart(text, at);
            word = WordBefore(text, at);
            if (word is "will")
            {
                at -= SpanStart(text, at);
                word = WordBefore(text, at);
            }
        }
        return word is "listed" or "listing" or "Listing" or "quoted";
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
