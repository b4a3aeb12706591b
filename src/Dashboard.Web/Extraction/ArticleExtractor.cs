using System.Runtime.InteropServices;
using Dashboard.Web.Model;

namespace Dashboard.Web.Extraction;

/// <summary>Finds countries, actors and topics in an article. Thread-safe; built once and shared.</summary>
public sealed class ArticleExtractor
{
    // The gazetteers take a few hundred milliseconds to build: every instance shares one copy.
    private static readonly Lazy<Resources> Shared = new(() => new Resources(), LazyThreadSafetyMode.ExecutionAndPublication);

    private const int MaxReusedTokens = 1 << 20;

    [ThreadStatic]
    private static List<Token>? t_titleTokens;

    [ThreadStatic]
    private static List<Token>? t_textTokens;

    private readonly Resources _resources;

    /// <summary>An extractor over the embedded gazetteers and the default topic taxonomy.</summary>
    public ArticleExtractor()
    {
        _resources = Shared.Value;
    }

    /// <summary>
    /// Keeps the countries an article only glimpses (see <see cref="DropIncidentalCountries"/>) as mentions. Off by
    /// default, which is what labelled news rewards; on for a reader who wants every "a Japanese firm" counted
    /// (setting <c>Extraction:KeepIncidentalCountries</c>; re-extraction applies it to stored articles).
    /// </summary>
    public bool KeepIncidentalCountries { get; init; }

    /// <summary>The topic taxonomy the extractor scores against (key, name, parent), for display.</summary>
    public TopicTaxonomy Taxonomy => _resources.Topics;

    /// <summary>Canonical common name of a country by ISO 3166-1 alpha-2 code, or null.</summary>
    public string? CountryName(string code) => _resources.Gazetteer.CountryNames.GetValueOrDefault(code);

    /// <summary>
    /// The people list (<c>people.tsv</c>) names who is in the news in our time: a lone surname ("Harris") or a role ("the US
    /// president") stands for one of them only in an article of this year or later, or of no known date. In an archive
    /// (Reuters in 1987) "Harris" is somebody else, and the president was Reagan.
    /// </summary>
    public static readonly DateOnly LexiconEra = new(2000, 1, 1);

    /// <param name="published">The article's date, when known: before <see cref="LexiconEra"/>, lone surnames and roles name nobody from the people list.</param>
    public ExtractionResult Extract(string? title, string text, DateOnly? published = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var titleTokens = Tokenize(title, ref t_titleTokens);
        var textTokens = Tokenize(text, ref t_textTokens);
        var candidates = new List<Candidate>();
        var recognizer = new ActorRecognizer(_resources.Gazetteer, _resources.FirstNames, _resources.NameWords, _resources.CommonNameWords, _resources.CommonGivenNames)
        {
            ReadsUnknownNames = ReadsAsEnglish(textTokens),
        };
        if (titleTokens.Length > 0)
        {
            recognizer.Scan(titleTokens, title!, "title", IsShouting(titleTokens), candidates);
        }
        var dateline = DatelineLength(textTokens);
        var datelineEnd = dateline > 0 ? DatelineEnd(text, textTokens[dateline - 1].End) : 0;
        if (dateline > 0)
        {
            var before = candidates.Count;
            recognizer.Scan(textTokens[..dateline], text, "text", true, candidates);
            // "LOMBARD, Ill., March 3 -": a town the gazetteer does not know (or leaves out as mostly a company's or a rate's
            // name) is placed by its state, which names the United States as "Texas" does.
            if (candidates.Count == before && CountryUsage.UsStateAfter(text, textTokens[dateline - 1].End) is { Length: > 0 } state)
            {
                var surface = text.Substring(state.Start, state.Length);
                candidates.Add(new Candidate(EntityKind.Country, ["US"], "United States", state.Start, state.Start + state.Length, "region", "text", surface));
            }
        }
        recognizer.Scan(dateline > 0 ? textTokens[dateline..] : textTokens, text, "text", IsShouting(textTokens), candidates);
        // A country word inside a currency or sea name neither counts nor settles an ambiguous city; nor does a place that is
        // part of a company's or a market's name.
        candidates.RemoveAll(c => c.Kind == EntityKind.Country
            && (c.Via != "city" && CountryUsage.IsPartOfOtherName(c.Field == "title" ? title! : text, c.Start, c.End)
                || CountryUsage.IsNamePartOrVenue(c.Field == "title" ? title! : text, c.Start, c.End, c.Via)));
        if (!recognizer.ReadsUnknownNames)
        {
            // In another language its function words are no places, whatever the gazetteer says: Spanish sentences open with
            // "Como" and "Para" ("Como dijo el ministro"), which placed Italy's Como and Brazil's Pará in every other paragraph.
            candidates.RemoveAll(c => c.Kind == EntityKind.Country && ActorCues.OtherFunctionWords.Contains(c.Surface));
        }
        AirlinesNamedAfterPlaces(candidates, title, text);
        var topics = _resources.Topics.Score(titleTokens, textTokens);
        if (topics is [{ Key: "sport" }, ..])
        {
            CountyClubsInSport(candidates);
        }
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            if (c.Kind != EntityKind.Country || c.Via is not ("city" or "capital"))
            {
                continue;
            }
            var source = c.Field == "title" ? title! : text;
            // A city placed in a US state by the text is the American one, whatever larger namesake the gazetteer prefers
            // ("SAN JOSE, Calif."); one placed in a country is that country's ("HANOVER, West Germany", "Lugano, Switzerland").
            if (CountryUsage.IsFollowedByUsState(source, c.End))
            {
                candidates[i] = c with { Keys = ["US"], DefaultKey = "US" };
            }
            else if (i + 1 < candidates.Count && candidates[i + 1] is { Kind: EntityKind.Country, Via: "name", Keys: [var country] } next
                && next.Field == c.Field && CountryUsage.IsCommaBetween(source, c.End, next.Start) && c.Keys.Contains(country))
            {
                candidates[i] = c with { Keys = [country], DefaultKey = country };
            }
        }
        var mentions = Resolve(candidates, recognizer.NotPlaces, recognizer.CompanyNames, datelineEnd, published is not { } day || day >= LexiconEra);
        if (!KeepIncidentalCountries)
        {
            DropIncidentalCountries(mentions, datelineEnd);
        }
        var focus = Focus(mentions, text.Length, _resources.Gazetteer.ActorCountries);
        return new ExtractionResult(mentions, focus, topics);
    }

    /// <summary>
    /// The first-class cricket counties of England and Wales (tools/gazetteer/generate.py keeps the same list): places of
    /// the United Kingdom in news ("flooding in Gloucestershire"), the county's club in a sports article ("Surrey captain
    /// Chris Lewis", "Essex reached 372", "Kent v Sussex").
    /// </summary>
    internal static readonly HashSet<string> CountyClubs = new(StringComparer.Ordinal)
    {
        "Derbyshire", "Durham", "Essex", "Glamorgan", "Gloucestershire", "Hampshire", "Kent", "Lancashire", "Leicestershire",
        "Middlesex", "Northamptonshire", "Nottinghamshire", "Somerset", "Surrey", "Sussex", "Warwickshire", "Worcestershire", "Yorkshire",
    };

    /// <summary>In an article whose main topic is sport, a county that has a cricket club is the club, not a mention of the United Kingdom.</summary>
    private static void CountyClubsInSport(List<Candidate> candidates)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            if (c.Kind == EntityKind.Country && c.Via is "city" or "region" && CountyClubs.Contains(c.Surface))
            {
                candidates[i] = new Candidate(EntityKind.Organization, [Gazetteer.Slug(c.Surface)], c.Surface, c.Start, c.End, "sport", c.Field, c.Surface);
            }
        }
    }

    /// <summary>
    /// "Air France", "Air India", "Air New Zealand", "Air Berlin": an airline named after its country or its town is the airline,
    /// not a mention of the place ("Air France unions protest" is no news about France).
    /// </summary>
    private static void AirlinesNamedAfterPlaces(List<Candidate> candidates, string? title, string text)
    {
        const string Air = "Air ";
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i];
            var source = c.Field == "title" ? title! : text;
            var start = c.Start - Air.Length;
            if (c.Kind != EntityKind.Country || c.Via is not ("name" or "city" or "capital") || start < 0
                || !source.AsSpan(start, Air.Length).SequenceEqual(Air) || (start > 0 && char.IsLetterOrDigit(source[start - 1])))
            {
                continue;
            }
            var name = source[start..c.End];
            candidates[i] = new Candidate(EntityKind.Organization, [Gazetteer.Slug(name)], name, start, c.End, "pattern", c.Field, name);
        }
    }

    /// <summary>Lower-case words read to tell the language: plenty to decide, and the check stays a few microseconds per article.</summary>
    private const int LanguageSampleWords = 300;

    /// <summary>
    /// Whether a text reads as English: unless at least ten of its first 300 lower-case words are function words of the other
    /// languages, and more than twice as many as its English ones, it does (a short text, a table, a mixed text included).
    /// </summary>
    internal static bool ReadsAsEnglish(ReadOnlySpan<Token> tokens)
    {
        int english = 0, other = 0, words = 0;
        foreach (var token in tokens)
        {
            if (token.IsWord && !token.IsCapitalised)
            {
                var side = token.Word.FunctionWordSide;
                english += side > 0 ? 1 : 0;
                other += side < 0 ? 1 : 0;
                if (++words == LanguageSampleWords)
                {
                    break;
                }
            }
        }
        return other < 10 || other <= 2 * english;
    }

    /// <summary>The tokens of a field, in a list the thread reuses: an article's tokens are most of what extraction would allocate.</summary>
    private static ReadOnlySpan<Token> Tokenize(string? field, ref List<Token>? reused)
    {
        // A list grown by a very long text is let go rather than held by the thread for good.
        if (reused is null || reused.Capacity > MaxReusedTokens)
        {
            reused = new List<Token>(256);
        }
        reused.Clear();
        if (!string.IsNullOrEmpty(field))
        {
            Tokenizer.Tokenize(field, reused);
        }
        return CollectionsMarshal.AsSpan(reused);
    }

    private List<ExtractedMention> Resolve(List<Candidate> candidates, HashSet<string> notPlaces, HashSet<string> companies, int datelineEnd, bool ourTime)
    {
        // Countries named unambiguously settle which country an ambiguous city name belongs to.
        var countryCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in candidates)
        {
            if (c.Kind == EntityKind.Country && c.Keys.Length == 1)
            {
                countryCounts[c.Keys[0]] = countryCounts.GetValueOrDefault(c.Keys[0]) + 1;
            }
        }
        // People named in full settle surnames: "Raisi" after "Ebrahim Raisi".
        var bySurname = new Dictionary<string, (string Key, string Name)>(StringComparer.Ordinal);
        var fullNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in candidates)
        {
            if (c.Kind == EntityKind.Person && c.Keys.Length == 1 && c.Via != "surname" && CompanyNamed(c.Surface, companies) is null)
            {
                fullNames.Add(c.Keys[0]);
                AddNameParts(c, bySurname);
            }
        }
        // The bearer named last before a surname is the one it stands for: "Joanne Harris ... Vice President Kamala Harris
        // ... Harris said" is the Vice President. A surname before any full name takes the article's first bearer.
        var lastBearer = new Dictionary<string, (string Key, string Name)>(StringComparer.Ordinal);
        var mentions = new List<ExtractedMention>(candidates.Count);
        var roles = new List<Candidate>();
        foreach (var c in candidates)
        {
            if (c.Kind == EntityKind.Person && CompanyNamed(c.Surface, companies) is { } company)
            {
                // "Ford reported a profit" after "Ford, the US car company", "Disney" after "Walt Disney, the media company": the
                // company, wherever the article names it (and so never a bearer whose surname a later lone word could stand for).
                mentions.Add(new ExtractedMention(EntityKind.Organization, Gazetteer.Slug(company), company, c.Start, c.End, "pattern", c.Field));
                continue;
            }
            if (c.Kind == EntityKind.Person && c.Keys.Length == 1 && c.Via != "surname")
            {
                AddNameParts(c, lastBearer, replace: true);
            }
            // "Lawson" after "Nigel Lawson", "Dome" after "Dome Petroleum": the article's name, not the town. The dateline names
            // the town whatever the article calls after it: "CHICAGO, March 6 - The Chicago Board of Trade ...".
            if (c.Kind == EntityKind.Country && c.Via is "city" or "region" && notPlaces.Contains(c.Surface)
                && !(c.Field == "text" && c.Start < datelineEnd))
            {
                continue;
            }
            string? key;
            var name = c.Name;
            switch (c.Kind)
            {
                case EntityKind.Country when c.Keys.Length == 1:
                    key = c.Keys[0];
                    break;
                case EntityKind.Country:
                    key = MostNamed(c.Keys, c.DefaultKey, countryCounts) ?? c.DefaultKey;
                    break;
                case EntityKind.Person when c.Via == "surname":
                    key = null;
                    if (lastBearer.TryGetValue(c.Surface, out var person) || bySurname.TryGetValue(c.Surface, out person))
                    {
                        (key, name) = person;
                    }
                    else if (c.Keys.Length == 1 && (ourTime || !_resources.Gazetteer.ActorNames.ContainsKey(c.Keys[0])))
                    {
                        key = c.Keys[0];
                        name = _resources.Gazetteer.ActorNames.GetValueOrDefault(key, c.Name);
                    }
                    else if (FirstOf(c.Keys, fullNames) is { } named)
                    {
                        key = named;
                        name = _resources.Gazetteer.ActorNames[named];
                    }
                    break;
                default:
                    key = c.Keys.Length == 1 ? c.Keys[0] : null;
                    break;
            }
            if (c.Via == "role")
            {
                roles.Add(c);
                continue;
            }
            if (key is null)
            {
                continue;
            }
            if (c.Kind == EntityKind.Country)
            {
                name = _resources.Gazetteer.CountryNames.GetValueOrDefault(key, key);
            }
            mentions.Add(new ExtractedMention(c.Kind, key, name, c.Start, c.End, c.Via, c.Field));
        }
        if (ourTime)
        {
            ResolveRoles(roles, mentions);
        }
        mentions.Sort((a, b) => a.Field == b.Field ? a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End) : a.Field == "title" ? -1 : 1);
        return mentions;
    }

    /// <summary>Of an ambiguous city's countries, the one the article names most (the first listed on a tie), or null.</summary>
    /// <remarks>The United States has a namesake of nearly every European city ("Geneva", "Venice", "Hanover") and is named in
    /// much of the news, so naming it does not make the city American: a US state after the city does (see Extract), or the
    /// gazetteer's default.</remarks>
    private static string? MostNamed(string[] keys, string? defaultKey, Dictionary<string, int> countryCounts)
    {
        string? best = null;
        var bestCount = 0;
        foreach (var key in keys)
        {
            if (key == "US" && defaultKey != "US")
            {
                continue;
            }
            if (countryCounts.TryGetValue(key, out var count) && (best is null || count > bestCount))
            {
                (best, bestCount) = (key, count);
            }
        }
        return best;
    }

    private static string? FirstOf(string[] keys, HashSet<string> set)
    {
        foreach (var key in keys)
        {
            if (set.Contains(key))
            {
                return key;
            }
        }
        return null;
    }

    /// <summary>The company a person-like name stands for: the whole name, or one word of a company's name ("Disney" of "Walt Disney").</summary>
    private static string? CompanyNamed(string surface, HashSet<string> companies)
    {
        if (companies.Count == 0)
        {
            return null;
        }
        if (companies.Contains(surface))
        {
            return surface;
        }
        foreach (var company in companies)
        {
            if (company.Length > surface.Length && company.Split(' ').Contains(surface, StringComparer.Ordinal))
            {
                return company;
            }
        }
        return null;
    }

    /// <summary>Words of a person's name that may stand for it alone later: every capitalised word of three letters or more
    /// after the first ("Raisi" of "Ebrahim Raisi", both "Bagheri" and "Kani" of "Ali Bagheri Kani").</summary>
    private static void AddNameParts(Candidate person, Dictionary<string, (string Key, string Name)> bySurname, bool replace = false)
    {
        var lookup = bySurname.GetAlternateLookup<ReadOnlySpan<char>>();
        var name = Tokenizer.Fold(person.Name).AsSpan();
        var first = true;
        foreach (var range in name.SplitAny(' ', '-'))
        {
            var part = name[range];
            if (part.Length <= 2 || !char.IsUpper(part[0]))
            {
                continue;
            }
            if (first)
            {
                first = false;
                continue;
            }
            if (replace)
            {
                lookup[part] = (person.Keys[0], person.Name);
            }
            else
            {
                lookup.TryAdd(part, (person.Keys[0], person.Name));
            }
        }
    }

    /// <summary>"the Algerian foreign minister": the person the article names with that country and role, else the only one listed.</summary>
    private void ResolveRoles(List<Candidate> roles, List<ExtractedMention> mentions)
    {
        if (roles.Count == 0)
        {
            return;
        }
        var gazetteer = _resources.Gazetteer;
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in mentions)
        {
            if (m.Kind == EntityKind.Person)
            {
                named.Add(m.Key);
            }
        }
        foreach (var c in roles)
        {
            // The candidate carries the role as its name and the country as its surface.
            var (role, country) = (c.Name, c.Surface);
            if (!gazetteer.PeopleByRole.TryGetValue((country, role), out var holders))
            {
                continue;
            }
            string? key = null;
            foreach (var holder in holders)
            {
                if (named.Contains(holder))
                {
                    key = key is null ? holder : "";
                }
            }
            key ??= holders.Count == 1 ? holders[0] : null;
            if (!string.IsNullOrEmpty(key))
            {
                mentions.Add(new ExtractedMention(EntityKind.Person, key, gazetteer.ActorNames[key], c.Start, c.End, "role", c.Field));
            }
        }
    }

    private static List<string> Focus(List<ExtractedMention> mentions, int textLength, Dictionary<string, string> actorCountries)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in mentions)
        {
            if (m.Kind == EntityKind.Country)
            {
                named.Add(m.Key);
            }
        }
        foreach (var m in mentions)
        {
            // A country's leaders and ministers acting in the story make it about that country, as long as the text names it too.
            var country = m.Kind == EntityKind.Country ? m.Key
                : m.Kind == EntityKind.Person && actorCountries.TryGetValue(m.Key, out var acting) && named.Contains(acting) ? acting
                : null;
            if (country is null)
            {
                continue;
            }
            // A country in the headline or the first lines is what the article is about; later ones are context.
            var weight = m.Kind != EntityKind.Country ? 0.6 : m.Via switch { "name" => 1.0, "city" => 0.7, _ => 0.85 };
            if (m.Field == "title")
            {
                weight *= 3;
            }
            else if (textLength > 0)
            {
                weight *= 1 + (1 - (double)m.Start / textLength);
            }
            scores[country] = scores.GetValueOrDefault(country) + weight;
        }
        if (scores.Count == 0)
        {
            return [];
        }
        var ranked = new List<KeyValuePair<string, double>>(scores);
        ranked.Sort((a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key, b.Key));
        var top = ranked[0].Value;
        var focus = new List<string>(3);
        for (var k = 0; k < ranked.Count && focus.Count < 3 && ranked[k].Value >= top * 0.35; k++)
        {
            focus.Add(ranked[k].Key);
        }
        return focus;
    }

    /// <summary>At most this many mentions of a country the article never names, only glimpses through a demonym or a town,
    /// make it incidental (see <see cref="DropIncidentalCountries"/>).</summary>
    private const int MaxIncidentalMentions = 2;

    /// <summary>Drops the countries an article only glimpses while it is about others: never named (no name, alias or
    /// government seat), only a demonym or a town once or twice ("a Japanese firm", "talks in Geneva", "the Dutch
    /// border"), outside the headline and the dateline, and not inside an organisation's or a role's name ("Iranian
    /// Foreign Ministry", "the Algerian foreign minister"), in an article that names another country in its headline or
    /// dateline or more than once.</summary>
    /// <remarks>Labelled wire news shows what these are: of the countries Reuters-21578 reached this way, one in eight is
    /// among the places the editors gave the story; of the countries named, or met in the headline or the dateline, two
    /// in three are. A short text that names no other country keeps its one town: "Strikes hit Rafah overnight."</remarks>
    private static void DropIncidentalCountries(List<ExtractedMention> mentions, int datelineEnd)
    {
        Dictionary<string, (int Count, bool Direct, bool Anchored)>? countries = null;
        foreach (var m in mentions)
        {
            if (m.Kind != EntityKind.Country)
            {
                continue;
            }
            countries ??= new(StringComparer.Ordinal);
            var (count, direct, anchored) = countries.GetValueOrDefault(m.Key);
            direct |= m.Via is not ("demonym" or "city" or "capital" or "region");
            anchored |= m.Field == "title" || m.Start < datelineEnd;
            countries[m.Key] = (count + 1, direct, anchored);
        }
        if (countries is null || countries.Count < 2)
        {
            return;
        }
        var prominent = 0;
        HashSet<string>? incidental = null;
        foreach (var (key, (count, direct, anchored)) in countries)
        {
            prominent += anchored || count > 1 ? 1 : 0;
            if (!direct && !anchored && count <= MaxIncidentalMentions)
            {
                (incidental ??= new(StringComparer.Ordinal)).Add(key);
            }
        }
        if (incidental is null)
        {
            return;
        }
        // A country inside an organisation's or a role's name is named after all; each incidental country needs another,
        // prominent one to be incidental to. At most MaxIncidentalMentions mentions each are looked at here, so this stays
        // linear in the article's mentions.
        foreach (var m in mentions)
        {
            if (m.Kind == EntityKind.Country && incidental.Contains(m.Key) && InsideActor(mentions, m))
            {
                incidental.Remove(m.Key);
            }
        }
        incidental.RemoveWhere(key => prominent - (countries[key].Count > 1 ? 1 : 0) == 0);
        if (incidental.Count > 0)
        {
            mentions.RemoveAll(m => m.Kind == EntityKind.Country && incidental.Contains(m.Key));
        }
    }

    private static bool InsideActor(List<ExtractedMention> mentions, ExtractedMention country)
    {
        foreach (var m in mentions)
        {
            if (m.Kind != EntityKind.Country && m.Field == country.Field && m.Start <= country.Start && country.End <= m.End
                && (m.Start, m.End) != (country.Start, country.End))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Where the dateline ends: at the dash after the place ("LONDON, March 3 -", "LOMBARD, Ill., March 3 -"), or the
    /// place itself when no dash follows soon.</summary>
    private static int DatelineEnd(string text, int placeEnd)
    {
        const int MaxDateline = 60;
        var limit = Math.Min(text.Length - 1, placeEnd + MaxDateline);
        for (var i = placeEnd; i < limit; i++)
        {
            if (text[i] == '\n')
            {
                break;
            }
            if (text[i] == '-' && (text[i + 1] == ' ' || text[i - 1] == ' '))
            {
                return i;
            }
        }
        return placeEnd;
    }

    /// <summary>Tokens of a capitalised dateline opening the text ("GAZA CITY, June 1 -", "WASHINGTON (Reuters) -"), or 0.</summary>
    private static int DatelineLength(ReadOnlySpan<Token> tokens)
    {
        var k = 0;
        while (k < tokens.Length && k < 6 && (tokens[k].IsAllCaps && tokens[k].Word.ShowsCase || (k > 0 && tokens[k].Text is "." or "-")))
        {
            k++;
        }
        return k > 0 && k < tokens.Length && tokens[k].Text is "," or "(" ? k : 0;
    }

    internal static bool IsShouting(ReadOnlySpan<Token> tokens)
    {
        int upper = 0, words = 0;
        foreach (var t in tokens)
        {
            if (t.Word.ShowsCase)
            {
                words++;
                upper += t.IsAllCaps ? 1 : 0;
            }
        }
        return words >= 2 && upper * 10 >= words * 8;
    }

    private sealed class Resources
    {
        public Gazetteer Gazetteer { get; } = new();
        public TopicTaxonomy Topics { get; } = new();
        public HashSet<string> FirstNames { get; } = LoadWords("first-names.txt");
        public HashSet<string> NameWords { get; } = LoadWords("name-words.txt");
        public HashSet<string> CommonNameWords { get; } = LoadWords("name-words-common.txt");
        public HashSet<string> CommonGivenNames { get; } = LoadWords("given-names-common.txt");

        private static HashSet<string> LoadWords(string file)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in DataFiles.ReadTsv(file))
            {
                names.Add(row[0]);
            }
            return names;
        }
    }
}

/// <summary>A span found while scanning, before surnames and ambiguous cities are settled for the whole article.</summary>
internal sealed record Candidate(EntityKind Kind, string[] Keys, string Name, int Start, int End, string Via, string Field, string Surface)
{
    public string? DefaultKey { get; init; }
}
