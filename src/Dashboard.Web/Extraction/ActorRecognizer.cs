using System.Buffers;
using Dashboard.Web.Model;

namespace Dashboard.Web.Extraction;

/// <summary>Scans one field's tokens for gazetteer names, then reads the remaining capitalised runs as people or organisations.</summary>
internal sealed class ActorRecognizer(Gazetteer gazetteer, HashSet<string> firstNames, HashSet<string> nameWords, HashSet<string> commonNameWords, HashSet<string> commonGivenNames)
{
    private const int MaxPersonWords = 4;

    /// <summary>Stands for the token before the first or after the last: not a word, so every test on it is false.</summary>
    private static readonly Token NoToken = new(0, 0, new Word("", isWord: false), false);

    /// <summary>Whether the field names Georgia the country's surroundings (Tbilisi, Armenia, Russia, ...).</summary>
    private bool _georgiaCountryContext;

    // Whether the tokens being scanned are a headline's, where every word may be capitalised.
    private bool _scanningTitle;

    /// <summary>One-word place names this article uses as part of a person's or organisation's name ("Nigel Lawson",
    /// "Dome Petroleum", "Taft said"): their other occurrences in the article are that name too, not the place.</summary>
    public HashSet<string> NotPlaces { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Whether capitalised words the lexicons do not know are read as people and organisations by all the cues (titles,
    /// organisation words, speech verbs, lone surnames). Those cues are English: in a Spanish or German article they found
    /// "El Govern", "Els Reis" and "Das". Otherwise only a given name and a surname make a person; known names (the
    /// lexicons, the gazetteer) are found in any language.
    /// </summary>
    public bool ReadsUnknownNames { get; init; } = true;

    /// <summary>Names the article describes as companies ("Ford, the US car company"): every other mention of them is the company too.</summary>
    public HashSet<string> CompanyNames { get; } = new(StringComparer.Ordinal);

    public void Scan(ReadOnlySpan<Token> tokens, string source, string field, bool shouting, List<Candidate> output)
    {
        _georgiaCountryContext = false;
        _scanningTitle = field == "title";
        foreach (var t in tokens)
        {
            _georgiaCountryContext |= t.IsCapitalised && Is(t, Cue.GeorgiaCountryCue);
        }
        var shout = ShoutingLines(tokens, shouting);
        // Rented: a fresh array per field would be as large as the token list again.
        var rented = ArrayPool<(int Length, GazetteerEntry? Entry)>.Shared.Rent(tokens.Length);
        var hits = rented.AsSpan(0, tokens.Length);
        hits.Clear();
        for (var i = 0; i < tokens.Length;)
        {
            var (length, entries) = gazetteer.Longest(tokens, i, shout[i]);
            if (length == 0)
            {
                i++;
                continue;
            }
            hits[i] = (length, Pick(entries!));
            i += length;
        }

        // Acronyms the article defines in parentheses after a long form: "Islamic Development Bank (IsDB)".
        var acronyms = new Dictionary<string, Candidate>(StringComparer.Ordinal);
        // Where the last country hit ended, so "Iranian Foreign Ministry" keeps its demonym.
        var countryEnd = -1;
        var countryStart = -1;
        var countryCandidate = -1;
        for (var i = 0; i < tokens.Length;)
        {
            var (length, entry) = hits[i];
            if (entry is { Kind: EntityKind.Country, Via: "city" or "region" or "capital" } && NamesTeamInResults(tokens, i, length))
            {
                // "CHICAGO 71 64 .526", "BALTIMORE AT NEW YORK": a results table names the city's team.
                var team = Surface(tokens, i, i + length);
                output.Add(new Candidate(EntityKind.Organization, [Gazetteer.Slug(team)], team, tokens[i].Start, tokens[i + length - 1].End, "pattern", field, team));
                i += length;
                continue;
            }
            if (entry is not null && !(entry.Kind == EntityKind.Country
                && (OpensNameAfterTown(tokens, entry, i + length) || ReadsAsPerson(tokens, hits, i) || InsideOtherName(tokens, hits, i, entry, shout[i]) || SpeaksAsName(tokens, i, entry) || NamesSomethingElse(tokens, i + length)
                    || NamesContinent(tokens, i, entry))))
            {
                if (entry.Kind == EntityKind.Country && IsUsStateGeorgia(tokens, i, entry))
                {
                    // The US state names its country like Texas does.
                    output.Add(FromEntry(tokens, field, i, length, entry with { Keys = ["US"], Via = "region" }));
                    i += length;
                    continue;
                }
                if (entry.Kind == EntityKind.Country && entry.Via is "city" or "capital" && FollowedByUsState(tokens, source, i + length))
                {
                    // "GREENWICH, Conn.", "San Jose, Calif.": a US town of the same name as a foreign city.
                    output.Add(FromEntry(tokens, field, i, length, entry with { Keys = ["US"] }));
                    i += length;
                    continue;
                }
                if (entry.Kind == EntityKind.Person && (DescribedAsCompany(tokens, i + length) || NamedAsCompany(tokens, i)))
                {
                    // "Ford, the US car company": not Bill Ford.
                    AddCompany(tokens, field, i, i + length, output);
                    i += length;
                    continue;
                }
                output.Add(FromEntry(tokens, field, i, length, entry));
                if (entry.Kind == EntityKind.Country)
                {
                    countryCandidate = output.Count - 1;
                    countryStart = i;
                    countryEnd = i + length;
                    if (RoleDescriptor(tokens, i, length, entry) is { } role)
                    {
                        // Settled for the whole article later, against the people it names.
                        output.Add(new Candidate(EntityKind.Person, [], role.Role, tokens[i].Start, tokens[role.End - 1].End, "role", field, entry.Keys[0]));
                    }
                }
                i += length;
                continue;
            }
            if (!tokens[i].IsCapitalised || shout[i])
            {
                i++;
                continue;
            }
            if (acronyms.TryGetValue(tokens[i].Text, out var longForm))
            {
                output.Add(longForm with { Start = tokens[i].Start, End = tokens[i].End, Via = "acronym", Field = field, Surface = tokens[i].Text });
                i++;
                continue;
            }
            var end = RunEnd(tokens, hits, i);
            var found = output.Count;
            Classify(tokens, field, i, end, countryEnd == i ? countryStart : -1, output);
            // "American Express Co", "Swiss Bank Corporation", "Hong Kong Electric Holdings Ltd": a company's name, not a mention of
            // the country; nor is a town opening the name of a bank, an exchange or a paper ("Bangkok Bank", "Tokyo Stock
            // Exchange"). A government body ("Iranian Foreign Ministry", "Gaza Health Ministry") keeps it.
            if (countryEnd == i && output.Count > found && output[found] is { Kind: EntityKind.Organization } company
                && company.Start == tokens[countryStart].Start && NotPlaceInName(company, output[countryCandidate].Via))
            {
                output.RemoveAt(countryCandidate);
                found--;
            }
            // "Central Bank of Iran", "Ministry of Defence of Israel": the organisation is named, and so is its country; not so a
            // country word in a company's name ("Nippon Steel Corp", "Union Bank of Switzerland Securities Ltd") or a town
            // lending its name to a bank or a university ("Bank of Tokyo", "University of Chicago").
            for (var k = i; k < end; k++)
            {
                if (hits[k].Entry is { Kind: EntityKind.Country } inside && OrganizationAt(output, found, tokens[k]) is { } organization
                    && !NotPlaceInName(organization, inside.Via))
                {
                    output.Add(FromEntry(tokens, field, k, hits[k].Length, inside));
                }
            }
            if (output.Count > found && output[^1].Kind == EntityKind.Organization && output[^1].End == tokens[end - 1].End
                && end + 2 < tokens.Length && tokens[end].Text == "(" && IsAcronym(tokens[end + 1]) && tokens[end + 2].Text == ")")
            {
                acronyms[tokens[end + 1].Text] = output[^1];
                output.Add(output[^1] with { Start = tokens[end + 1].Start, End = tokens[end + 1].End, Via = "acronym", Surface = tokens[end + 1].Text });
                end += 3;
            }
            i = Math.Max(end, i + 1);
        }
        ArrayPool<(int Length, GazetteerEntry? Entry)>.Shared.Return(rented);
    }

    /// <summary>Whether the token's text is on any of the <paramref name="lists"/>; worked out once per distinct word.</summary>
    private bool Is(in Token token, Cue lists)
    {
        var word = token.Word;
        // The lists hold words only; marks (and NoToken, shared between threads) never need a memo.
        if (!word.IsWord)
        {
            return false;
        }
        if (!ReferenceEquals(word.CuesOwner, firstNames))
        {
            word.Cues = (int)ActorCues.Of(word.Text, firstNames, nameWords, commonNameWords, commonGivenNames);
            word.CuesOwner = firstNames;
        }
        return ((Cue)word.Cues & lists) != 0;
    }

    /// <summary>
    /// Whether token <paramref name="i"/> is a given name that a surname may follow: one from the lexicon, or one that is also an
    /// ordinary word ("Mark", "Will", "Ray") where its capital means a name (<see cref="CapitalMeansName"/>).
    /// </summary>
    private bool IsGivenName(ReadOnlySpan<Token> tokens, int i) =>
        Is(tokens[i], Cue.FirstName) || (Is(tokens[i], Cue.CommonGivenName) && CapitalMeansName(tokens, i));

    /// <summary>
    /// Whether the capital of token <paramref name="i"/> says it is a name: it does not open a sentence ("Will Trump win?") and
    /// is not one of a headline's capitalised words ("What Will Trump's Administration Do"), unless a title precedes it.
    /// </summary>
    private bool CapitalMeansName(ReadOnlySpan<Token> tokens, int i)
    {
        if (!tokens[i].IsCapitalised || OpensSentence(tokens, i))
        {
            return false;
        }
        var previous = tokens[i - 1];
        return !(previous.IsWord && previous.IsCapitalised) || Is(previous, Cue.Title);
    }

    private static Candidate? OrganizationAt(List<Candidate> output, int from, Token token)
    {
        for (var o = from; o < output.Count; o++)
        {
            if (output[o].Kind == EntityKind.Organization && output[o].Start <= token.Start && token.End <= output[o].End)
            {
                return output[o];
            }
        }
        return null;
    }

    /// <summary>Whether a place named (by <paramref name="via"/>) inside <paramref name="organization"/>'s name is only part of
    /// that name: any place in a company's name, a town in the name of a bank, an exchange, a university or a paper.</summary>
    private static bool NotPlaceInName(Candidate organization, string via)
    {
        var name = organization.Name.AsSpan();
        if (ActorCues.CompanySuffixes.Contains(LastWord(organization.Name)))
        {
            return true;
        }
        if (via is not ("city" or "capital" or "region"))
        {
            return false;
        }
        // The kind of organisation: the word before "of" ("Bank of Tokyo") or the last word ("Tokyo Stock Exchange").
        var of = name.IndexOf(" of ", StringComparison.Ordinal);
        var head = of > 0 ? name[..of] : name;
        head = head[(head.LastIndexOf(' ') + 1)..];
        return ActorCues.NamedAfterTown.Contains(head);
    }

    /// <summary>Per token: whether its line is written in capitals (a headline, a results table), where case says nothing about names.</summary>
    private bool[] ShoutingLines(ReadOnlySpan<Token> tokens, bool shouting)
    {
        var shout = new bool[tokens.Length];
        if (shouting)
        {
            Array.Fill(shout, true);
            return shout;
        }
        for (var start = 0; start < tokens.Length;)
        {
            var end = start + 1;
            while (end < tokens.Length && !tokens[end].StartsLine)
            {
                end++;
            }
            if (start > 0 || end < tokens.Length)
            {
                int upper = 0, words = 0;
                for (var k = start; k < end; k++)
                {
                    if (tokens[k].Word.ShowsCase)
                    {
                        words++;
                        upper += tokens[k].IsAllCaps ? 1 : 0;
                    }
                }
                var lineShouts = words >= 2 && upper * 10 >= words * 8;
                Array.Fill(shout, lineShouts, start, end - start);
            }
            start = end;
        }
        return shout;
    }

    /// <summary>Names in the lexicon beat cities; a country beats an organisation or person of the same name.</summary>
    private static GazetteerEntry Pick(IReadOnlyList<GazetteerEntry> entries)
    {
        GazetteerEntry best = entries[0];
        foreach (var e in entries)
        {
            if (Rank(e) < Rank(best))
            {
                best = e;
            }
        }
        return best;

        static int Rank(GazetteerEntry e) => e switch
        {
            { Kind: EntityKind.Country, Via: not "city" } => 0,
            { Kind: EntityKind.Organization } => 1,
            { Kind: EntityKind.Person, IsShortForm: false } => 2,
            { Kind: EntityKind.Person } => 3,
            _ => 4,
        };
    }

    private static Candidate FromEntry(ReadOnlySpan<Token> tokens, string field, int i, int length, GazetteerEntry entry) =>
        new(entry.Kind, entry.Keys, entry.Name, tokens[i].Start, tokens[i + length - 1].End, entry.Via, field, Surface(tokens, i, i + length))
        {
            DefaultKey = entry.DefaultKey,
        };

    /// <summary>"Jordan Peterson", "Michael Jordan": a country name that is also a given name, next to another name.</summary>
    private bool ReadsAsPerson(ReadOnlySpan<Token> tokens, ReadOnlySpan<(int Length, GazetteerEntry? Entry)> hits, int i)
    {
        if (hits[i].Length != 1 || !Is(tokens[i], Cue.CountryThatIsAName))
        {
            return false;
        }
        var nextIsName = i + 1 < tokens.Length && tokens[i + 1].IsCapitalised && hits[i + 1].Entry is null
            && !Is(tokens[i + 1], Cue.NotName | Cue.OrgSuffix | Cue.Title);
        var previousIsName = i > 0 && Is(tokens[i - 1], Cue.FirstName) && hits[i - 1].Entry is null;
        return nextIsName || previousIsName;
    }

    /// <summary>A one-word city next to another capitalised word is part of a longer name: "Delta Air Lines", "S.G. Warburg".</summary>
    /// <remarks>A country's other one-word names ("Suisse", "Nippon", "Holland", "Emirates") are read the same way: in English
    /// news they mostly open or close a company's name ("Credit Suisse", "Nippon Steel"). The usual name ("Japan") and
    /// abbreviations ("U.S. Treasury") are not, and neither is a line in capitals, where every word is capitalised.</remarks>
    private bool InsideOtherName(ReadOnlySpan<Token> tokens, ReadOnlySpan<(int Length, GazetteerEntry? Entry)> hits, int i, GazetteerEntry entry, bool shout)
    {
        if (hits[i].Length != 1 || !(entry.Via is "city" or "region" || IsOtherOneWordName(tokens[i], entry) && !shout))
        {
            return false;
        }
        var previous = i > 0 ? tokens[i - 1] : NoToken;
        var next = i + 1 < tokens.Length ? tokens[i + 1] : NoToken;
        // Another one-word town next to it makes a name too: "Dudley Taft".
        var previousJoins = previous.IsCapitalised && (hits[i - 1].Entry is null || IsOneWordTown(hits[i - 1])) && !Is(previous, Cue.NotName)
            && !Is(previous, Cue.Title);
        var nextJoins = next.IsCapitalised && (hits[i + 1].Entry is null || IsOneWordTown(hits[i + 1]))
            && (!Is(next, Cue.NotName) || Is(next, Cue.PlaceFeature));
        // "Punta del Este", "Hayes-Albion", "Kelsey-Hayes": joined by a particle or a hyphen to another capitalised word. Not
        // a hyphen between two places, which names a route or a pair ("the Paris-Berlin train", "a new Cork-Cornwall route").
        previousJoins |= i > 1 && previous.Text is "-" && previous.Start == tokens[i - 2].End && tokens[i - 2].IsCapitalised && !IsPlace(hits[i - 2])
            // Not a country's own name after "de": "el Gobierno de España", "Banco do Brasil" name the country too.
            || i > 1 && Is(previous, Cue.NameParticle) && tokens[i - 2].IsCapitalised && entry.Via != "name";
        nextJoins |= i + 2 < tokens.Length && next.Text is "-" && next.Start == tokens[i].End && tokens[i + 2].IsCapitalised && tokens[i + 2].Start == next.End
            && !IsPlace(hits[i + 2]);
        if (previousJoins || nextJoins)
        {
            NotPlaces.Add(tokens[i].Text);
            return true;
        }
        return false;
    }

    /// <summary>A hit on a country, a region or a town (not a demonym: "Anglo-French" is no pair of places).</summary>
    private static bool IsPlace((int Length, GazetteerEntry? Entry) hit) =>
        hit.Entry is { Kind: EntityKind.Country, Via: not "demonym" };

    private static bool IsOtherOneWordName(Token token, GazetteerEntry entry) =>
        entry.Via == "name" && token.IsCapitalised && !token.IsAllCaps && token.Text != entry.Name;

    /// <summary>"Denzel Washington", "Michael Jordan", "President Washington": a one-word place right after a given name, or a
    /// seat of power or city right after a title, is a surname. A country's own name after a title stays the country.</summary>
    private bool NameAfterGivenNameOrTitle(ReadOnlySpan<Token> tokens, ReadOnlySpan<(int Length, GazetteerEntry? Entry)> hits, int start, int end, GazetteerEntry entry)
    {
        if (entry.Kind != EntityKind.Country || hits[end].Length != 1 || entry.Via == "demonym")
        {
            return false;
        }
        if (end != start + 1)
        {
            // "Harvey T. Lyon", "J.C. Bradford": a one-word town after initials is a surname; so is one after a title and a
            // given name ("Chancellor Gerhard Schroeder": Schroeder is also a town in Brazil).
            return entry.Via is "city" or "region"
                && (tokens[end - 1].Text == "." && IsInitials(tokens, start, end) || IsGivenName(tokens, end - 1) && AllTitles(tokens, start, end - 1));
        }
        var previous = tokens[start];
        return (IsGivenName(tokens, start) && (entry.Via != "name" || Is(tokens[end], Cue.CountryThatIsAName)))
            || (entry.Via is "alias" or "capital" or "city" && Is(previous, Cue.StrongTitle) && previous.IsCapitalised);
    }

    /// <summary>
    /// Whether the one-word name at <paramref name="end"/>, right after a given name, is somebody else's surname. A famous
    /// surname after another given name is: "writer Joanne Harris", "Leonard Cohen". So is a company's one-word name after a
    /// given name that opens the run or follows titles ("Roy Disney", "singer Fiona Apple", "Michael Bloomberg"), but not after
    /// its founder's ("Walt Disney has settled"), nor after a surname opening a headline ("Blair Labour's longest-serving PM").
    /// </summary>
    private bool IsOtherBearer(ReadOnlySpan<Token> tokens, ReadOnlySpan<(int Length, GazetteerEntry? Entry)> hits, int start, int end, GazetteerEntry entry)
    {
        var given = end - 1;
        if (hits[end].Length != 1 || !tokens[given].IsCapitalised || !IsGivenName(tokens, given)
            || entry.Name.StartsWith(tokens[given].Text + " ", StringComparison.Ordinal))
        {
            return false;
        }
        if (entry is { Kind: EntityKind.Person, IsShortForm: true })
        {
            return true;
        }
        return entry.Kind == EntityKind.Organization && !tokens[end].IsAllCaps
            && (given == start && hits[start].Entry is null && !(_scanningTitle && OpensSentence(tokens, start)) || AllTitles(tokens, start, given));
    }

    /// <summary>Whether [start, end) holds only title words ("Foreign Minister", "Chancellor").</summary>
    private bool AllTitles(ReadOnlySpan<Token> tokens, int start, int end)
    {
        for (var k = start; k < end; k++)
        {
            if (!Is(tokens[k], Cue.Title))
            {
                return false;
            }
        }
        return end > start;
    }

    /// <summary>Whether [start, end) holds only initials ("J.C.", "T."), after a given name or not.</summary>
    private bool IsInitials(ReadOnlySpan<Token> tokens, int start, int end)
    {
        for (var k = start; k < end; k++)
        {
            var text = tokens[k].Text;
            var initial = text == "." || text.Length == 1 && char.IsUpper(text[0])
                || text.Length <= 3 && text.AsSpan().IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZ.") < 0 && text.Contains('.');
            if (!initial && !(k == start && Is(tokens[k], Cue.FirstName)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>"the Algerian foreign minister": a demonym after "the" and before a role, with no name after it.</summary>
    private (string Role, int End)? RoleDescriptor(ReadOnlySpan<Token> tokens, int i, int length, GazetteerEntry entry)
    {
        if (entry.Via != "demonym" || entry.Keys.Length != 1 || i == 0 || !tokens[i - 1].Text.Equals("the", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        for (var words = 2; words >= 1; words--)
        {
            var end = i + length + words;
            if (end > tokens.Length || (end < tokens.Length && tokens[end].IsCapitalised && !tokens[end].StartsLine))
            {
                continue;
            }
            var phrase = words == 1 ? tokens[end - 1].Text : tokens[end - 2].Text + " " + tokens[end - 1].Text;
            if (ActorCues.Roles.TryGetValue(phrase, out var role))
            {
                return (role, end);
            }
        }
        return null;
    }

    private static bool IsOneWordTown((int Length, GazetteerEntry? Entry) hit) => hit is { Length: 1, Entry.Via: "city" };

    /// <summary>
    /// "Lawson said", "Dome told": a one-word town that speaks is a person or a company of that name. Not after a preposition
    /// of place, where it is where the speakers are ("Officers in Kent warned drivers", "people across Norfolk said").
    /// </summary>
    private bool SpeaksAsName(ReadOnlySpan<Token> tokens, int i, GazetteerEntry entry)
    {
        if (entry.Via is not ("city" or "region") || i + 1 >= tokens.Length || !Is(tokens[i + 1], Cue.SpeechVerb) || tokens[i + 1].StartsLine
            || (i > 0 && !tokens[i].StartsLine && tokens[i - 1].Text is "in" or "across" or "throughout" or "around" or "near" or "outside"))
        {
            return false;
        }
        NotPlaces.Add(tokens[i].Text);
        return true;
    }

    /// <summary>"the Uruguay Round", "the Paris Club", "Stockholm syndrome": a place lending its name to an event, a group or a
    /// treaty is not the place itself.</summary>
    private bool NamesSomethingElse(ReadOnlySpan<Token> tokens, int next) =>
        next < tokens.Length && (Is(tokens[next], Cue.NamedAfterPlace) || tokens[next].Text == "round");

    /// <summary>A place in a line of a sports results table: only names, numbers and "at"/"v", with a score or standing after
    /// the place ("Atlanta 5 PITTSBURGH 1", "CHICAGO 71 64 .526 10") or a fixture around it ("CHICAGO AT TORONTO"). A date
    /// after it ("CHICAGO 1996-08-30") is a dateline.</summary>
    private static bool NamesTeamInResults(ReadOnlySpan<Token> tokens, int i, int length)
    {
        const int MaxLine = 16;
        var after = i + length;
        var score = after < tokens.Length && !tokens[after].StartsLine && IsNumber(tokens[after])
            && !(after + 1 < tokens.Length && !tokens[after + 1].StartsLine && tokens[after + 1].Text is "-" or "/" or ":");
        var fixture = after < tokens.Length && !tokens[after].StartsLine && IsFixtureWord(tokens[after])
            || i > 0 && !tokens[i].StartsLine && IsFixtureWord(tokens[i - 1]);
        if (!score && !fixture)
        {
            return false;
        }
        // Runs for every city in prose too: give up on a line longer than a table row rather than walk a paragraph.
        var lineStart = i;
        while (lineStart > 0 && !tokens[lineStart].StartsLine && i - lineStart <= MaxLine)
        {
            lineStart--;
        }
        var lineEnd = after;
        while (lineEnd < tokens.Length && !tokens[lineEnd].StartsLine && lineEnd - i <= MaxLine)
        {
            lineEnd++;
        }
        if (lineEnd - lineStart > MaxLine)
        {
            return false;
        }
        var numbers = 0;
        for (var k = lineStart; k < lineEnd; k++)
        {
            var t = tokens[k];
            if (IsNumber(t))
            {
                numbers++;
            }
            else if (t.IsWord && !t.IsCapitalised && !IsFixtureWord(t))
            {
                return false;
            }
        }
        return fixture || numbers >= 2;

        static bool IsNumber(Token t) => t.IsWord && char.IsAsciiDigit(t.Text[0]);

        static bool IsFixtureWord(Token t) => t.Text is "at" or "AT" or "v" or "vs" or "V" or "VS";
    }

    /// <summary>"South American", "North America", "Latin America": the continent, not the United States.</summary>
    private static bool NamesContinent(ReadOnlySpan<Token> tokens, int i, GazetteerEntry entry)
    {
        if (entry.Keys is not ["US"] || !tokens[i].Text.StartsWith("America", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // "S. American" as well as "South American".
        var previous = i > 1 && tokens[i - 1].Text == "." ? i - 2 : i - 1;
        return previous >= 0 && ActorCues.ContinentParts.Contains(tokens[previous].Text);
    }

    private static ReadOnlySpan<char> LastWord(string name) => name.AsSpan(name.LastIndexOf(' ') + 1);

    /// <summary>A city followed by ", Conn." or ", California": the US town of that name.</summary>
    private static bool FollowedByUsState(ReadOnlySpan<Token> tokens, string source, int next)
    {
        if (next + 1 >= tokens.Length || tokens[next].Text != ",")
        {
            return false;
        }
        var rest = source.AsSpan(tokens[next + 1].Start);
        foreach (var state in ActorCues.UsStates)
        {
            // Datelines drop the full stop as often as not: "Fla,", "Pa,".
            var form = rest.StartsWith(state, StringComparison.Ordinal) ? state.AsSpan() : state.AsSpan().TrimEnd('.');
            if (!rest.StartsWith(form, StringComparison.Ordinal) || (rest.Length > form.Length && char.IsLetter(rest[form.Length])))
            {
                continue;
            }
            // Without its full stop an abbreviation counts only where the name ends ("MALVERN, Pa, March 12", "Greenwich, Conn
            // said"): "Cordoba, La Pampa" is an Argentine province. So do "Washington" and "Georgia", also a capital and a
            // country: "Moscow, Washington and Beijing".
            var closed = CountryUsage.EndsName(rest[form.Length..]);
            if (closed || (form.Length == state.Length && state is not ("Washington" or "Georgia")))
            {
                return true;
            }
        }
        return false;
    }

    private bool IsUsStateGeorgia(ReadOnlySpan<Token> tokens, int i, GazetteerEntry entry)
    {
        if (entry.Keys[0] != "GE" || !tokens[i].Text.Equals("Georgia", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        // Without the country's surroundings in the text, Georgia is far more often the US state (Atlanta, Georgia-Pacific).
        if (!_georgiaCountryContext)
        {
            return true;
        }
        for (var j = Math.Max(0, i - 6); j < Math.Min(tokens.Length, i + 7); j++)
        {
            if (Is(tokens[j], Cue.UsStateCue))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>End (exclusive) of the capitalised run at <paramref name="start"/>: names, particles, hyphens, "of the" inside organisation names.</summary>
    /// <summary>Whether tokens [<paramref name="from"/>, <paramref name="to"/>) are titles only ("Former President"), or none.</summary>
    private bool TitlesOnly(ReadOnlySpan<Token> tokens, int from, int to)
    {
        for (var k = from; k < to; k++)
        {
            if (!Is(tokens[k], Cue.Title))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// A syllable of a romanised Korean or Chinese given name as news writes it after a hyphen: a few consonants, one to
    /// three vowels, and at most a final n, ng, m, k, l, p or t ("soo", "hye", "myung", "yeol", "wen", "shek"), in lower
    /// case. English words of that shape that follow a hyphenated name ("-run", "-in", "-up") are not.
    /// </summary>
    internal static bool IsGivenNameSyllable(string word)
    {
        if (word.Length is < 2 or > 6 || word is "run" or "in" or "on" or "up" or "at" or "to" or "so" or "go" or "one" or "two"
            or "ten" or "day" or "man" or "men" or "way" or "war" or "won" or "tie" or "old" or "due" or "out" or "off" or "pop" or "top")
        {
            return false;
        }
        var i = 0;
        while (i < word.Length && i < 3 && "bcdghjklmnprstwy".Contains(word[i]))
        {
            i++;
        }
        var vowels = i;
        while (i < word.Length && i - vowels < 3 && "aeiouy".Contains(word[i]))
        {
            i++;
        }
        if (i == vowels)
        {
            return false;
        }
        var rest = word.AsSpan(i);
        return rest is "" or "n" or "ng" or "m" or "k" or "l" or "p" or "t";
    }

    private int RunEnd(ReadOnlySpan<Token> tokens, ReadOnlySpan<(int Length, GazetteerEntry? Entry)> hits, int start)
    {
        var orgHead = Is(tokens[start], Cue.OrgHead)
            || (Is(tokens[start], Cue.NotName) && start + 1 < tokens.Length && Is(tokens[start + 1], Cue.OrgHead));
        // Whether the run has gone on through "of" after an organisation word: an organisation's name from then on.
        var named = false;
        var end = start + 1;
        while (end < tokens.Length && !tokens[end].StartsLine)
        {
            var t = tokens[end];
            var nextJoined = end + 1 < tokens.Length && tokens[end + 1].IsCapitalised && tokens[end + 1].Start == t.End && !tokens[end + 1].StartsLine;
            // An initial ("S. Waugh", "J.P. Morgan") or an Irish or French prefix ("O'Neill", "D'Alema") keeps the name going.
            if (t.Text == "." && tokens[end - 1].Text.Length == 1 && char.IsUpper(tokens[end - 1].Text[0]) && tokens[end - 1].End == t.Start
                && end + 1 < tokens.Length && tokens[end + 1].IsCapitalised && !tokens[end + 1].StartsLine)
            {
                end++;
                continue;
            }
            if (t.Text == "'" && tokens[end - 1].Text is "O" or "D" && tokens[end - 1].End == t.Start && nextJoined)
            {
                end += 2;
                continue;
            }
            if (hits[end].Entry is { } entry)
            {
                // A given-name country ("Michael Jordan") or a country inside "University of Tehran" joins the run.
                var surname = NameAfterGivenNameOrTitle(tokens, hits, start, end, entry);
                if (surname && entry.Via is "city" or "region")
                {
                    NotPlaces.Add(tokens[end].Text);
                }
                // A town or region inside a name that an organisation word ends: "New England Journal", "New York Times".
                var joins = surname || IsOtherBearer(tokens, hits, start, end, entry) || OpensNameAfterTown(tokens, entry, end + hits[end].Length)
                    || TownInsideCompanyName(tokens, hits, end, entry)
                    || (entry.Kind == EntityKind.Country && (orgHead && tokens[end - 1].Text is "of" or "the" || OfAfterOrganisationWord(tokens, start, end)));
                if (!joins)
                {
                    break;
                }
                end += hits[end].Length;
                continue;
            }
            if (t.IsCapitalised)
            {
                end++;
                continue;
            }
            var nextCapitalised = end + 1 < tokens.Length && tokens[end + 1].IsCapitalised;
            var afterNextCapitalised = end + 2 < tokens.Length && tokens[end + 2].IsCapitalised;
            if (t.Text == "-" && nextCapitalised && tokens[end - 1].End == t.Start)
            {
                end += 2;
                continue;
            }
            // A romanised Korean or Chinese given name's second syllable, after a hyphen and in lower case: "Han Duck-soo",
            // "Park Geun-hye", "Tsai Ing-wen". Only right after a surname and a first syllable, so that "Saudi-led" or
            // "Islamic State-run" (English words after the hyphen) stay as they were.
            if (t.Text == "-" && end >= start + 2 && !orgHead && TitlesOnly(tokens, start, end - 2) && tokens[end - 2].IsCapitalised
                && tokens[end - 1].End == t.Start && end + 1 < tokens.Length && tokens[end + 1].Start == t.End && IsGivenNameSyllable(tokens[end + 1].Text))
            {
                end += 2;
                continue;
            }
            if (Is(t, Cue.NameParticle) && (nextCapitalised || (end + 2 < tokens.Length && tokens[end + 1].Text == "-" && afterNextCapitalised)))
            {
                end++;
                continue;
            }
            // "of" after an organisation word carries its name on wherever that word stands in the run: "Bank of England",
            // and "European Court of Human Rights", "Motion Picture Association of America", "Royal Society of Edinburgh";
            // then "and" and "for" do too ("National Institute of Economic and Social Research").
            var ofOrganisation = orgHead || Is(tokens[end - 1], Cue.OrgHead) && tokens[end - 1].IsCapitalised;
            // A legal form closes a company's name: "Lloyds Bank Plc and Morgan Guaranty" are two.
            var closed = LegalForms.Contains(tokens[end - 1].Text);
            if (((orgHead || named) && t.Text is "of" or "for" || (orgHead || named || AndOpensCompanyTail(tokens, hits, end)) && !closed && t.Text is "and"
                    || ofOrganisation && t.Text is "of") && nextCapitalised)
            {
                named |= t.Text == "of";
                end++;
                continue;
            }
            if (ofOrganisation && t.Text is "of" && tokens[end + 1 < tokens.Length ? end + 1 : end].Text == "the" && afterNextCapitalised)
            {
                end += 2;
                continue;
            }
            break;
        }
        // A run that stopped at what "of the" or "and" led to does not end on them: "International Federation of the" + "Red
        // Cross" is "International Federation" and the Red Cross.
        while (end > start + 1 && tokens[end - 1].Text is "of" or "the" or "and" or "for")
        {
            end--;
        }
        return end;
    }

    /// <summary>
    /// "First Boston Corp", "Continental Illinois Corp": a one-word town or region inside a run that a company's last word
    /// closes within two more words is part of the company's name, not where the run stops.
    /// </summary>
    private static bool TownInsideCompanyName(ReadOnlySpan<Token> tokens, ReadOnlySpan<(int Length, GazetteerEntry? Entry)> hits, int at, GazetteerEntry entry)
    {
        // Right after a name's word, not after "and" or "of": "the Chicago Board of Trade and Texas Instruments Inc" are two.
        if (entry.Kind != EntityKind.Country || hits[at].Length != 1 || entry.Via is not ("city" or "region")
            || at == 0 || !tokens[at - 1].IsCapitalised || hits[at - 1].Entry is not null)
        {
            return false;
        }
        for (var k = at + 1; k < tokens.Length && k <= at + 3 && tokens[k].IsCapitalised && hits[k].Entry is null; k++)
        {
            if (ActorCues.CompanySuffixes.Contains(tokens[k].Text))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Whether the "and" at <paramref name="and"/> joins two halves of one company's name: a few capitalised words after it
    /// end in a legal form or an organisation word ("American Telephone and Telegraph Co", "Merck and Co Inc", "Savings and
    /// Loan Association"), so the tail alone is not taken for the company.
    /// </summary>
    private bool AndOpensCompanyTail(ReadOnlySpan<Token> tokens, ReadOnlySpan<(int Length, GazetteerEntry? Entry)> hits, int and)
    {
        for (var k = and + 1; k < tokens.Length && k <= and + 4 && tokens[k].IsCapitalised && hits[k].Entry is null; k++)
        {
            if (LegalForms.Contains(tokens[k].Text) || Is(tokens[k], Cue.OrgSuffix) && k > and + 1)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether the run up to <paramref name="end"/> closes on "of" or "of the" right after an organisation word
    /// ("Motion Picture Association of", "Royal Society of"): a place after it is part of the name.</summary>
    private bool OfAfterOrganisationWord(ReadOnlySpan<Token> tokens, int start, int end)
    {
        var of = tokens[end - 1].Text == "of" ? end - 1 : end - 2 > start && tokens[end - 1].Text == "the" && tokens[end - 2].Text == "of" ? end - 2 : -1;
        return of > start && Is(tokens[of - 1], Cue.OrgHead) && tokens[of - 1].IsCapitalised;
    }

    /// <summary>A company's legal form: a name's last words, never a name on their own.</summary>
    private static readonly HashSet<string> LegalForms = new(StringComparer.Ordinal)
    {
        "Co", "Corp", "Corporation", "Company", "Inc", "Ltd", "Plc", "PLC", "AG", "SA", "NV", "LLC", "GmbH", "SpA", "SRL", "Srl", "BV",
    };

    /// <summary>
    /// Whether every word of [start, end) is a legal form ("Co", "Inc", "Corp"), or an organisation word before one ("Bank
    /// Plc", "Fund Inc"): the tail of a name whose head was read apart, "Lloyds" (a known bank) in "Lloyds Bank Plc".
    /// </summary>
    private static bool OnlySuffixes(ReadOnlySpan<Token> tokens, int start, int end)
    {
        for (var k = start; k < end; k++)
        {
            if (tokens[k].IsWord && !LegalForms.Contains(tokens[k].Text) && !(ActorCues.OrgHeads.Contains(tokens[k].Text) && LegalForms.Contains(tokens[end - 1].Text)))
            {
                return false;
            }
        }
        return true;
    }

    private void Classify(ReadOnlySpan<Token> tokens, string field, int start, int end, int demonymStart, List<Candidate> output)
    {
        var opening = start;
        while (opening < end - 1 && Is(tokens[opening], Cue.NotName))
        {
            opening++;
        }
        // "Acme, the US retailer": a company whatever its name looks like; not a sentence's opening word ("However, the
        // company said", "Worryingly, the firm").
        if (ReadsUnknownNames && !(opening == end - 1 && (Is(tokens[opening], Cue.NotName) || tokens[opening].Text.EndsWith("ly", StringComparison.Ordinal)))
            && (DescribedAsCompany(tokens, end) || NamedAsCompany(tokens, opening)))
        {
            AddCompany(tokens, field, opening, end, output);
            return;
        }
        // Organisation: the run ends in an organisation word ("Foreign Ministry") or starts "Ministry of ...".
        var lastSuffix = -1;
        for (var k = end - 1; k >= start; k--)
        {
            if (Is(tokens[k], Cue.OrgSuffix))
            {
                lastSuffix = k;
                break;
            }
        }
        var orgStart = start;
        while (orgStart < end && Is(tokens[orgStart], Cue.NotName) && !Is(tokens[orgStart], Cue.OrgHead))
        {
            orgStart++;
        }
        var headed = orgStart + 2 < end && Is(tokens[orgStart], Cue.OrgHead) && tokens[orgStart + 1].Text == "of";
        // "Central Bank of Iran": the organisation word is followed by "of" and what it belongs to.
        headed |= lastSuffix > orgStart && lastSuffix + 2 < end && Is(tokens[lastSuffix], Cue.OrgHead) && tokens[lastSuffix + 1].Text == "of";
        // In another language an article or a preposition opens no organisation's name ("La Commission", "El Ayuntamiento de").
        if ((headed || lastSuffix > orgStart || (lastSuffix == orgStart && demonymStart >= 0))
            && (ReadsUnknownNames || !ActorCues.OtherFunctionWords.Contains(tokens[orgStart].Text)))
        {
            var orgEnd = headed ? end : lastSuffix + 1;
            var from = demonymStart >= 0 && orgStart == start ? demonymStart : orgStart;
            var name = Surface(tokens, from, orgEnd);
            // Suffixes alone name nothing: "Co Inc" is the tail of "Merck and Co Inc", whose "and" broke the run, and "Bank Plc"
            // that of "Lloyds Bank Plc", whose "Lloyds" is read as the bank.
            if (!OnlySuffixes(tokens, from, orgEnd))
            {
                output.Add(new Candidate(EntityKind.Organization, [Gazetteer.Slug(name)], name, tokens[from].Start, tokens[orgEnd - 1].End, "pattern", field, name));
            }
            if (orgEnd < end)
            {
                Classify(tokens, field, orgEnd, end, -1, output);
            }
            return;
        }

        // Person: strip titles ("Foreign Minister", "the late President") and read what is left.
        var nameStart = start;
        var titled = start > 0 && Is(tokens[start - 1], Cue.StrongTitle);
        while (nameStart < end && (Is(tokens[nameStart], Cue.Title) || tokens[nameStart].Text == "-" || Is(tokens[nameStart], Cue.NotName)))
        {
            titled |= Is(tokens[nameStart], Cue.StrongTitle);
            nameStart++;
        }
        // "Treasury Secretary James Baker", "Board Chairman Paul Volcker": what stands before a title and a given name
        // belongs to the title (the department, the board), not to the name.
        for (var k = end - 2; k > nameStart; k--)
        {
            if (Is(tokens[k], Cue.Title) && tokens[k + 1].IsCapitalised && Is(tokens[k + 1], Cue.FirstName))
            {
                titled |= Is(tokens[k], Cue.StrongTitle);
                nameStart = k + 1;
                break;
            }
        }
        var words = 0;
        for (var k = nameStart; k < end; k++)
        {
            words += tokens[k].IsWord ? 1 : 0;
        }
        if (words == 0 || words > MaxPersonWords || ActorCues.EventWords.Contains(tokens[end - 1].Text)
            || Currencies.Contains(tokens[end - 1].Text) || OnlyInitials(tokens, nameStart, end)
            || ActorCues.VenueAndFaithWords.Contains(tokens[end - 1].Text)
            || end < tokens.Length && !tokens[end].StartsLine && ActorCues.NamedAfterPersonNouns.Contains(tokens[end].Text))
        {
            // An event or a show ("Davis Cup", "The Leonard Cohen Story"), a venue or a faith ("Ellis Park", "Roman Catholic"),
            // or a thing named after someone ("Charles de Gaulle airport") is nobody.
            return;
        }
        var surface = Surface(tokens, nameStart, end);
        var speaker = end < tokens.Length && Is(tokens[end], Cue.SpeechVerb);
        var first = tokens[nameStart].Text;
        var initial = first.Length == 1 && char.IsUpper(first[0]) && nameStart + 1 < end && tokens[nameStart + 1].Text == ".";
        var firstName = initial || Is(tokens[nameStart], Cue.FirstName | Cue.NameWord | Cue.CountryThatIsAName);
        // A surname and a given name of two syllables joined by a hyphen, the second in lower case ("Park Chung-hee",
        // "Han Duck-soo"): the shape of a romanised Korean or Chinese name, which English gives nothing else.
        var romanised = end - nameStart == 4 && tokens[nameStart + 2].Text == "-" && !tokens[nameStart + 3].IsCapitalised
            && IsGivenNameSyllable(tokens[nameStart + 3].Text);
        var via = firstName && words >= 2 ? "first-name"
            : titled ? "title"
            : speaker && words >= 2 ? "speech"
            : romanised ? "name-shape"
            : null;
        if (!ReadsUnknownNames && (ActorCues.OtherFunctionWords.Contains(first) || (words > 1 && via != "first-name")
            || (nameStart > 0 && ActorCues.OtherArticles.Contains(tokens[nameStart - 1].Text))))
        {
            // Another language: only a given name and a surname, the one cue that holds across languages ("Ada Colau"),
            // and not an article or a preposition read as a given name ("El Govern", "Bei ArtNight"). A lone word counts
            // only as the surname of a person the article names in full ("Colau" after "Ada Colau").
            return;
        }
        if (words == 1)
        {
            // "Don't", "Won't": a contraction, not a name.
            if (end + 1 < tokens.Length && tokens[end].Text is "'" or "’" && tokens[end].Start == tokens[end - 1].End && tokens[end + 1].Text == "t")
            {
                return;
            }
            // A lone word is a person only if the article names them in full, or a title says so, or it is a name word
            // learnt from news. Not one that is also an ordinary word where its capital means nothing ("Cruise line
            // announces...", "Will it have...", "Bill targeting visas" open a headline or a sentence; "What Will Trump's
            // Administration Do" capitalises every word), nor one after an article or "new", which makes it a thing ("a new
            // Bill", "the Fox").
            var thing = !titled && nameStart > 0 && tokens[nameStart - 1].Text is "the" or "a" or "an" or "new" or "this" or "that" or "every" or "any";
            var known = ReadsUnknownNames && (titled || (Is(tokens[nameStart], Cue.NameWord) && !thing
                && !(Is(tokens[nameStart], Cue.CommonNameWord) && !CapitalMeansName(tokens, nameStart))));
            output.Add(new Candidate(EntityKind.Person, known ? [Gazetteer.Slug(surface)] : [], surface, tokens[nameStart].Start, tokens[end - 1].End, "surname", field, tokens[nameStart].Text));
            return;
        }
        if (via is not null)
        {
            output.Add(new Candidate(EntityKind.Person, [Gazetteer.Slug(surface)], surface, tokens[nameStart].Start, tokens[end - 1].End, via, field, surface));
        }
    }

    /// <summary>Currency words of wire copy: "N.Z. Dlrs", "H.K. Dlr" are amounts, not people.</summary>
    private static readonly HashSet<string> Currencies = new(StringComparer.Ordinal)
    {
        "Dlrs", "Dlr", "Dollars", "Dollar", "Cts", "Yen", "Marks", "Francs", "Pounds", "Pesos", "Lire", "Guilders", "Rupees",
    };

    /// <summary>Whether [start, end) holds initials alone ("U.S", "N.A", "S.A"): an abbreviation, not a person, whose surname would follow.</summary>
    private static bool OnlyInitials(ReadOnlySpan<Token> tokens, int start, int end)
    {
        for (var k = start; k < end; k++)
        {
            var text = tokens[k].Text;
            if (text != "." && !(text.Length % 2 == 1 && text.AsSpan().IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZ.") < 0
                && Enumerable.Range(0, text.Length).All(i => (text[i] == '.') == (i % 2 == 1))))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Whether token <paramref name="i"/> is the first word of a headline, a line or a sentence (opening quotes and
    /// brackets aside), where every word is capitalised. A colon or a headline's separator starts one too ("UK: ...").
    /// </summary>
    private static bool OpensSentence(ReadOnlySpan<Token> tokens, int i)
    {
        if (tokens[i].StartsLine)
        {
            return true;
        }
        var k = i - 1;
        while (k >= 0 && tokens[k].Text is "\"" or "“" or "‘" or "'" or "(" or "[")
        {
            k--;
        }
        return k < 0 || tokens[k].StartsLine && !tokens[k].IsWord || tokens[k].Text is "." or "!" or "?" or ":" or ";" or "…" or "›" or "|" or "–" or "—";
    }

    /// <summary>
    /// Whether a town or region is followed by the kind of organisation named after its town ("New York Times", "New England
    /// Journal", "Tehran Times"): then it opens that organisation's name, read as one run, and is no mention of its country.
    /// A government body ("Gaza Health Ministry", "Chicago Police") is not on that list, and keeps its place.
    /// </summary>
    private static bool OpensNameAfterTown(ReadOnlySpan<Token> tokens, GazetteerEntry entry, int next) =>
        entry is { Kind: EntityKind.Country, Via: "city" or "capital" or "region" } && next < tokens.Length && !tokens[next].StartsLine
        && tokens[next].IsCapitalised && ActorCues.NamedAfterTown.Contains(tokens[next].Text);

    /// <summary>A name the article calls a company: an organisation here, and wherever else the article names it (<see cref="CompanyNames"/>).</summary>
    private void AddCompany(ReadOnlySpan<Token> tokens, string field, int start, int end, List<Candidate> output)
    {
        var company = Surface(tokens, start, end);
        CompanyNames.Add(company);
        output.Add(new Candidate(EntityKind.Organization, [Gazetteer.Slug(company)], company, tokens[start].Start, tokens[end - 1].End, "pattern", field, company));
    }

    /// <summary>
    /// Whether the name ending before <paramref name="end"/> is followed by an apposition that calls it a company: ", the US car
    /// company", ", Britain's biggest retailer", ", a German carmaker". Looked for within the next seven tokens, up to a comma or full stop.
    /// </summary>
    private bool DescribedAsCompany(ReadOnlySpan<Token> tokens, int end)
    {
        if (end + 2 >= tokens.Length || tokens[end].Text != "," || tokens[end + 1].StartsLine)
        {
            return false;
        }
        for (var k = end + 1; k < Math.Min(tokens.Length, end + 8); k++)
        {
            var text = tokens[k].Text;
            // A preposition or a role before the noun makes another head: "an analyst at the bank", "chairman of the group".
            if (text is "," or "." or ";" or ":" or "(" or ")" or "at" or "of" or "for" or "in" or "with" or "from" or "on" or "by"
                || tokens[k].StartsLine || Is(tokens[k], Cue.Title))
            {
                return false;
            }
            // The noun must head the apposition, ending it: not "John Smith, the company's chairman".
            if (!tokens[k].IsCapitalised && ActorCues.CompanyNouns.Contains(text)
                && k + 1 < tokens.Length && tokens[k + 1].Text is "," or "." or ";" or "based" or "which" or "that" or "whose" or "said" or "owned")
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether the name starting at <paramref name="start"/> comes right after a lower-case company or team noun: "tyre giant
    /// Pirelli", "US insurer Marsh", "carmaker Ford", "division team Deportivo Coruna".</summary>
    private static bool NamedAsCompany(ReadOnlySpan<Token> tokens, int start) =>
        start > 0 && !tokens[start].StartsLine && !tokens[start - 1].IsCapitalised && ActorCues.CompanyOrTeamNouns.Contains(tokens[start - 1].Text);

    /// <summary>"OIC", "IsDB", "UNRWA": short, starts upper-case, at least two capitals.</summary>
    private static bool IsAcronym(Token token)
    {
        if (!token.IsCapitalised || token.Text.Length > 8)
        {
            return false;
        }
        var capitals = 0;
        foreach (var c in token.Text)
        {
            capitals += char.IsUpper(c) ? 1 : 0;
        }
        return capitals >= 2;
    }

    [ThreadStatic]
    private static System.Text.StringBuilder? t_surface;

    private static string Surface(ReadOnlySpan<Token> tokens, int start, int end)
    {
        if (end == start + 1)
        {
            return tokens[start].Text;
        }
        // One builder per thread, reused: this runs for every name of several words in every article.
        var builder = t_surface ??= new System.Text.StringBuilder();
        builder.Clear();
        for (var k = start; k < end; k++)
        {
            // Keep the spacing of the source: "Secretary-General" stays joined, "Ebrahim Raisi" keeps its space.
            if (k > start && tokens[k].Start > tokens[k - 1].End)
            {
                builder.Append(' ');
            }
            builder.Append(tokens[k].Text);
        }
        return builder.ToString();
    }
}
