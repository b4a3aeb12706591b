using Dashboard.Web.Model;

namespace Dashboard.Web.Extraction;

/// <summary>One way of naming a country, city, organisation or person in the gazetteer.</summary>
/// <param name="Keys">ISO codes for a country or city (a city name may belong to several), or the actor key.</param>
/// <param name="DefaultKey">For a city in several countries: the one to take when the article does not settle it.</param>
internal sealed record GazetteerEntry(EntityKind Kind, string[] Keys, string Name, string Via, string? DefaultKey = null)
{
    public bool IsShortForm => Via == "surname";
}

/// <summary>Countries (names, demonyms, capitals, aliases), cities, and well-known organisations and people.</summary>
internal sealed class Gazetteer
{
    private readonly PhraseIndex<GazetteerEntry> _index = new();
    // Headlines in capitals compare ignoring case, rather than upper-casing a copy of every token.
    private readonly PhraseIndex<GazetteerEntry> _upperIndex = new(StringComparer.OrdinalIgnoreCase);

    public Gazetteer()
    {
        foreach (var row in DataFiles.ReadTsv("countries.tsv"))
        {
            var (code, via, surface) = (row[0], row[1], row[2]);
            if (via == "canonical")
            {
                CountryNames[code] = surface;
                continue;
            }
            Add(surface, new GazetteerEntry(EntityKind.Country, [code], CountryNames[code], via), upper: surface.Length > 3 || surface == "US" || surface == "UK");
        }
        foreach (var row in DataFiles.ReadTsv("cities.tsv"))
        {
            var codes = row[1].Split(',');
            var fallback = row.Length > 2 && row[2].Length > 0 ? row[2] : codes.Length == 1 ? codes[0] : null;
            Add(row[0], new GazetteerEntry(EntityKind.Country, codes, row[0], "city", fallback), upper: true);
        }
        foreach (var row in DataFiles.ReadTsv("organizations.tsv"))
        {
            var name = row[0];
            var key = Slug(name);
            if (!ActorNames.TryAdd(key, name))
            {
                continue;
            }
            var entry = new GazetteerEntry(EntityKind.Organization, [key], name, "lexicon");
            Add(name, entry, upper: true);
            foreach (var alias in Aliases(row))
            {
                var acronym = alias.Length > 1 && alias.All(c => char.IsUpper(c) || c == '.' || char.IsDigit(c) || c == '-');
                Add(alias, entry with { Via = acronym ? "acronym" : "alias" }, upper: !acronym || alias.Length > 2);
            }
        }
        // Counted from labelled news: only names nearly always an organisation, so no headline casing.
        foreach (var row in DataFiles.ReadTsv("organizations-learned.txt"))
        {
            var name = row[0];
            var key = Slug(name);
            if (!IsGenericOfficeName(name) && ActorNames.TryAdd(key, name))
            {
                Add(name, new GazetteerEntry(EntityKind.Organization, [key], name, "lexicon"), upper: false);
            }
        }
        var shortForms = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var row in DataFiles.ReadTsv("people.tsv"))
        {
            var name = row[0];
            var key = Slug(name);
            if (!ActorNames.TryAdd(key, name))
            {
                continue;
            }
            if (row.Length > 2 && row[2].Length == 2)
            {
                ActorCountries[key] = row[2];
                if (row.Length > 3 && row[3].Length > 0)
                {
                    ActorRoles[key] = row[3];
                    (PeopleByRole.TryGetValue((row[2], row[3]), out var holders) ? holders : PeopleByRole[(row[2], row[3])] = []).Add(key);
                }
            }
            var entry = new GazetteerEntry(EntityKind.Person, [key], name, "lexicon");
            Add(name, entry, upper: false);
            var shorts = Aliases(row).ToList();
            if (shorts.Count == 0 && name.Contains(' ') && !(row.Length > 1 && row[1] == "-"))
            {
                shorts.Add(name[(name.LastIndexOf(' ') + 1)..]);
            }
            foreach (var alias in shorts)
            {
                // "May" (Theresa May) or "Friday" alone is far more often a date than a surname.
                if (ActorCues.NotNames.Contains(alias))
                {
                    continue;
                }
                // One-word forms are surnames: they may be shared, so they are settled per article.
                if (alias.Contains(' ') || alias.Contains('-') && !alias.StartsWith("al-", StringComparison.Ordinal) && !alias.StartsWith("el-", StringComparison.Ordinal))
                {
                    Add(alias, entry with { Via = "alias" }, upper: false);
                }
                else
                {
                    (shortForms.TryGetValue(alias, out var keys) ? keys : shortForms[alias] = []).Add(key);
                }
            }
        }
        foreach (var (alias, keys) in shortForms)
        {
            Add(alias, new GazetteerEntry(EntityKind.Person, [.. keys.Distinct()], alias, "surname"), upper: false);
        }
    }

    /// <summary>Canonical common name by ISO code.</summary>
    public Dictionary<string, string> CountryNames { get; } = new(StringComparer.Ordinal);

    /// <summary>Canonical name by key for the listed organisations and people.</summary>
    public Dictionary<string, string> ActorNames { get; } = new(StringComparer.Ordinal);

    /// <summary>The role each listed person holds or held (foreign-minister, president, ...), by actor key, where the list says.</summary>
    public Dictionary<string, string> ActorRoles { get; } = new(StringComparer.Ordinal);

    /// <summary>Listed people by the country they act for and their role: "the Algerian foreign minister" when only one fits.</summary>
    public Dictionary<(string Country, string Role), List<string>> PeopleByRole { get; } = [];

    /// <summary>The country each listed person acts for, by actor key, where the list says.</summary>
    public Dictionary<string, string> ActorCountries { get; } = new(StringComparer.Ordinal);

    public (int Length, IReadOnlyList<GazetteerEntry>? Entries) Longest(ReadOnlySpan<Token> tokens, int start, bool upperCase) =>
        upperCase ? _upperIndex.Longest(tokens, start) : _index.Longest(tokens, start);

    /// <summary>The actor key rule: lower-case ASCII slug of the canonical name, words joined by hyphens.</summary>
    public static string Slug(string name)
    {
        var folded = Tokenizer.Fold(name);
        // Called for every name candidate of every article: one buffer on the stack, one string out.
        Span<char> chars = folded.Length <= 256 ? stackalloc char[folded.Length] : new char[folded.Length];
        var length = 0;
        foreach (var c in folded)
        {
            if (char.IsLetterOrDigit(c))
            {
                chars[length++] = char.ToLowerInvariant(c);
            }
            else if (c != '\'' && c != '.' && length > 0 && chars[length - 1] != '-')
            {
                chars[length++] = '-';
            }
        }
        while (length > 0 && chars[length - 1] == '-')
        {
            length--;
        }
        return new string(chars[..length]);
    }

    /// <summary>"Foreign Ministry", "Central Bank": left to the patterns, which keep the country ("Algerian Foreign Ministry", "Central Bank of Iran").</summary>
    private static bool IsGenericOfficeName(string name)
    {
        var words = name.Split(' ');
        return words.Length > 1 && ActorCues.OrgSuffixes.Contains(words[^1])
            && words[..^1].All(w => ActorCues.TitleWords.Contains(w) || ActorCues.OrgHeads.Contains(w));
    }

    /// <summary>A row's other names; "-" (no short form, for a name whose family name comes first) gives none.</summary>
    private static IEnumerable<string> Aliases(string[] row) =>
        row.Length > 1 && row[1] != "-" ? row[1].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];

    private void Add(string surface, GazetteerEntry entry, bool upper)
    {
        _index.Add(surface, entry);
        if (upper)
        {
            _upperIndex.Add(surface, entry);
        }
    }
}
