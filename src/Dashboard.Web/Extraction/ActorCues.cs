namespace Dashboard.Web.Extraction;

/// <summary>Which of the word lists a token text belongs to, worked out once per distinct word (see <see cref="Word"/>).</summary>
[Flags]
internal enum Cue
{
    None = 0,
    Title = 1 << 0,
    StrongTitle = 1 << 1,
    OrgSuffix = 1 << 2,
    OrgHead = 1 << 3,
    NameParticle = 1 << 4,
    SpeechVerb = 1 << 5,
    NotName = 1 << 6,
    CountryThatIsAName = 1 << 7,
    UsStateCue = 1 << 8,
    GeorgiaCountryCue = 1 << 9,
    NamedAfterPlace = 1 << 10,
    PlaceFeature = 1 << 11,
    FirstName = 1 << 12,
    NameWord = 1 << 13,

    /// <summary>A name word news also writes in lower case ("Will", "Bill", "Cruise"): a name only where its capital means something.</summary>
    CommonNameWord = 1 << 14,

    /// <summary>A given name that is also an ordinary word ("Mark", "Will", "Ray"): left out of the given-name lexicon, but a
    /// given name where a surname follows it mid-sentence ("singer Mark Morrison").</summary>
    CommonGivenName = 1 << 15,
}

/// <summary>The small closed word lists that tell people and organisations apart from other capitalised words.</summary>
internal static class ActorCues
{
    /// <summary>Every list <paramref name="text"/> is on, with the given-name lexicon and the name words learnt from news.</summary>
    public static Cue Of(string text, HashSet<string> firstNames, HashSet<string> nameWords, HashSet<string> commonNameWords, HashSet<string> commonGivenNames)
    {
        var cues = Cue.None;
        cues |= TitleWords.Contains(text) ? Cue.Title : 0;
        cues |= StrongTitles.Contains(text) ? Cue.StrongTitle : 0;
        cues |= OrgSuffixes.Contains(text) ? Cue.OrgSuffix : 0;
        cues |= OrgHeads.Contains(text) ? Cue.OrgHead : 0;
        cues |= NameParticles.Contains(text) ? Cue.NameParticle : 0;
        cues |= SpeechVerbs.Contains(text) ? Cue.SpeechVerb : 0;
        cues |= NotNames.Contains(text) ? Cue.NotName : 0;
        cues |= CountriesThatAreNames.Contains(text) ? Cue.CountryThatIsAName : 0;
        cues |= UsStateCues.Contains(text) ? Cue.UsStateCue : 0;
        cues |= GeorgiaCountryCues.Contains(text) ? Cue.GeorgiaCountryCue : 0;
        cues |= NamedAfterPlaces.Contains(text) ? Cue.NamedAfterPlace : 0;
        cues |= PlaceFeatures.Contains(text) ? Cue.PlaceFeature : 0;
        cues |= firstNames.Contains(text) ? Cue.FirstName : 0;
        cues |= nameWords.Contains(text) ? Cue.NameWord : 0;
        cues |= commonNameWords.Contains(text) ? Cue.CommonNameWord : 0;
        cues |= commonGivenNames.Contains(text) ? Cue.CommonGivenName : 0;
        return cues;
    }

    /// <summary>Words of titles and roles, in any case: "Foreign Minister", "Secretary-General", "the late President".</summary>
    /// <remarks>Compared ignoring case rather than on lower-cased copies: this is asked for most capitalised words.</remarks>
    public static readonly HashSet<string> TitleWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "president", "vice", "prime", "minister", "ministers", "deputy", "foreign", "defence", "defense", "interior", "finance",
        "economy", "health", "energy", "oil", "trade", "justice", "education", "culture", "agriculture", "industry",
        "secretary", "general", "undersecretary", "state", "sheikh", "shaikh", "king", "queen", "prince", "princess", "crown", "emir",
        "amir", "sultan", "ayatollah", "chancellor", "governor", "senator", "sen", "rep", "representative", "mayor", "gen", "ambassador",
        "envoy", "special", "spokesman", "spokeswoman", "spokesperson", "chairman", "chairwoman", "chair", "chief", "director",
        "ceo", "executive", "pope", "imam", "cardinal", "bishop", "rabbi", "judge", "commander", "lieutenant", "lt", "colonel", "col",
        "major", "maj", "captain", "capt", "admiral", "adm", "sergeant", "dr", "mr", "mrs", "ms", "miss", "professor", "prof", "speaker",
        "leader", "supreme", "acting", "former", "late", "premier", "first", "lady", "head", "senior", "top", "spy", "army",
        "field", "marshal", "mp", "lawmaker", "coach", "striker", "manager", "presidential", "candidate", "adviser", "advisor",
        "national", "security", "deputy-", "sir", "dame", "lord", "baroness", "president-elect", "caliph", "mullah", "hojatoleslam",
        // Occupations that open a sentence before a name: "Writer Joanne Harris said...".
        "writer", "author", "novelist", "actor", "actress", "singer", "journalist", "economist", "analyst", "lawyer", "artist",
        "comedian", "presenter", "producer", "photographer", "historian", "scientist", "researcher", "designer", "chef",
    };

    /// <summary>Titles that alone make the next capitalised word a person ("President Raisi", "Sheikh Tamim").</summary>
    public static readonly HashSet<string> StrongTitles = new(StringComparer.OrdinalIgnoreCase)
    {
        "president", "minister", "secretary", "sheikh", "shaikh", "king", "queen", "prince", "princess", "emir", "sultan", "ayatollah",
        "chancellor", "governor", "senator", "sen", "rep", "mayor", "gen", "general", "ambassador", "envoy", "spokesman",
        "spokeswoman", "spokesperson", "chairman", "chairwoman", "pope", "imam", "cardinal", "bishop", "rabbi", "judge", "commander",
        "colonel", "col", "admiral", "dr", "mr", "mrs", "ms", "professor", "prof", "speaker", "premier", "lt", "capt", "captain",
        "sir", "dame", "lord", "baroness", "president-elect", "mullah", "hojatoleslam", "ceo", "director", "coach", "manager",
    };

    /// <summary>Last words of organisation names: "... Council", "... Party", "... Bank".</summary>
    public static readonly HashSet<string> OrgSuffixes = new(StringComparer.Ordinal)
    {
        "Ministry", "Council", "Party", "Bank", "Organization", "Organisation", "Agency", "Committee", "Commission", "Corporation", "Academy",
        "Corp", "Inc", "Ltd", "Co", "Plc", "PLC", "AG", "SA", "NV", "LLC", "Group", "Association", "Institute", "University",
        "Court", "Army", "Front", "Movement", "Federation", "Fund", "Foundation", "Authority", "Assembly", "Parliament", "Forces",
        "Guard", "Guards", "Service", "Services", "Airlines", "Airways", "Bureau", "Union", "Alliance", "Company", "Holdings",
        "Industries", "Motors", "Bancorp", "Exchange", "Office", "Department", "Board", "Network", "Brigades", "Brigade",
        "Society", "Club", "League", "Police", "Navy", "Tribunal", "Secretariat", "Cabinet", "Centre", "Center", "Church",
        "Congress", "Senate", "Command", "Coalition", "Trust", "Institution", "Times", "Post", "Journal", "Press", "News",
        "GmbH", "SpA", "SRL", "Srl", "BV", "Brothers", "Bros", "Airport",
    };

    /// <summary>Last words of company names: a country word opening one is part of the name ("British Airways", "Swiss Bank
    /// Corporation"), unlike one opening a government body ("Iranian Foreign Ministry"). Compared by span, so ordinal.</summary>
    public static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> CompanySuffixes = new HashSet<string>(StringComparer.Ordinal)
    {
        "Corp", "Corporation", "Inc", "Ltd", "Co", "Company", "Plc", "PLC", "AG", "SA", "NV", "LLC", "Holdings", "Industries",
        "Motors", "Bancorp", "Airlines", "Airways", "Group", "GmbH", "SpA", "SRL", "Srl", "BV", "Brothers", "Bros",
    }.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Kinds of organisation named after the town they are in: "Bank of Tokyo", "Tokyo Stock Exchange", "University of
    /// Chicago", "Tehran Times". The town is part of the name, not a mention of its country; a government body ("Gaza Health
    /// Ministry") is not on the list. Compared by span, so ordinal.</summary>
    public static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> NamedAfterTown = new HashSet<string>(StringComparer.Ordinal)
    {
        "Bank", "Banks", "Exchange", "Exchanges", "Bourse", "University", "College", "Securities", "Trust", "Fund", "Times", "Post",
        "Journal", "News", "Press", "Club", "Airport", "Port",
    }.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Function words of English, and of the other languages news feeds bring most in Latin letters (Spanish, Catalan,
    /// Portuguese, French, Italian, German), leaving out the ones they share or that English text also shows ("a", "in", "die", "on", "de", "per", "com"). A text
    /// is told by which of them it uses, not by the lack of English ones: a results table has few of either. Written as the
    /// tokenizer gives them, without accents ("fur", "mas").
    /// </summary>
    public static readonly HashSet<string> EnglishFunctionWords = new(StringComparer.Ordinal)
    {
        "the", "of", "and", "to", "is", "that", "for", "was", "with", "said", "he", "it", "as", "at", "by", "from", "his", "are",
        "be", "has", "have", "were", "this", "which", "their", "they", "but", "not", "been", "had", "who", "will", "would", "its",
        "after", "about", "more", "than", "also", "she", "her", "we", "our", "you", "or", "if", "there", "when", "what",
    };

    public static readonly HashSet<string> OtherFunctionWords = new(StringComparer.OrdinalIgnoreCase)
    {
        // Spanish, Catalan, Portuguese
        "el", "los", "las", "del", "que", "por", "con", "una", "para", "es", "se", "lo", "como", "pero", "su", "al", "mas", "amb",
        "els", "mes", "nao", "em", "os", "uma", "ao", "sao", "mais",
        // French
        "le", "les", "et", "des", "du", "une", "est", "pour", "dans", "qui", "sur", "pas", "au", "avec", "ce", "il", "sont", "aux",
        // Italian
        "il", "di", "che", "della", "non", "sono", "gli", "nel", "anche", "alla",
        // German
        "der", "und", "das", "ist", "nicht", "mit", "sich", "auf", "fur", "ein", "eine", "dem", "den", "von", "zu", "auch", "wird", "im",
    };

    /// <summary>Articles of those languages: a capitalised run after one names a thing, not a person ("la Zona Franca", "der Climate-KIC").</summary>
    public static readonly HashSet<string> OtherArticles = new(StringComparer.Ordinal)
    {
        "el", "la", "los", "las", "le", "les", "il", "lo", "gli", "der", "die", "das", "den", "dem", "des", "ein", "eine", "un",
        "una", "une", "els", "os", "del", "al", "du", "au",
    };

    /// <summary>What an apposition calls a company: "Ford, the US car company", "Tesco, Britain's biggest retailer".</summary>
    public static readonly HashSet<string> CompanyNouns = new(StringComparer.Ordinal)
    {
        // Not "maker" alone: "film-maker Theo Van Gogh", "documentary maker Michael Cockerell" are people.
        "company", "firm", "group", "giant", "carmaker", "automaker", "drugmaker", "bank", "retailer", "airline", "conglomerate",
        "chain", "insurer", "manufacturer", "brewer", "publisher", "broadcaster", "supermarket", "corporation", "operator",
    };

    /// <summary>What a name written right after names it as a company or a team: "tyre giant Pirelli", "US insurer Marsh", "first
    /// division team Deportivo Coruna". Not "side": "open-side Martyn Williams" is a rugby position.</summary>
    public static readonly HashSet<string> CompanyOrTeamNouns = new(CompanyNouns, StringComparer.Ordinal) { "team", "club" };

    /// <summary>Last words of competitions, events and shows, which no person's name ends in: "Davis Cup", "Australian Open",
    /// "The Leonard Cohen Story", "the General Election" (where "General" is no rank).</summary>
    public static readonly HashSet<string> EventWords = new(StringComparer.Ordinal)
    {
        "Cup", "Trophy", "Open", "Championship", "Championships", "Prix", "Games", "Awards", "Olympics", "Festival", "Marathon",
        "Story", "Show", "Election", "Elections", "Referendum", "Summit",
    };

    /// <summary>Last words of venues and of faiths, which no person's name ends in either: "Ellis Park", "Griffin Park", "Roman
    /// Catholic", "Sunni Muslims". Not "Hill", "Hall" or "Bridge", which are surnames too ("Wayne Bridge").</summary>
    public static readonly HashSet<string> VenueAndFaithWords = new(StringComparer.Ordinal)
    {
        "Park", "Stadium", "Arena", "Gardens", "Catholic", "Catholics", "Protestant", "Protestants", "Orthodox", "Muslim",
        "Muslims", "Jewish", "Islamic", "Sunni", "Sunnis", "Shia", "Shiite", "Shiites", "Hindu", "Hindus", "Buddhist", "Buddhists",
        "Anglican", "Anglicans", "Methodist", "Baptist", "Evangelical", "Evangelicals",
    };

    /// <summary>Things named after a person, written in lower case right after the name: "Charles de Gaulle airport", "Ben Gurion
    /// airport", "the Nobel prize": the name is part of the thing's, not a mention of the person.</summary>
    public static readonly HashSet<string> NamedAfterPersonNouns = new(StringComparer.Ordinal)
    {
        "airport", "stadium", "street", "avenue", "boulevard", "square", "bridge", "tunnel", "highway", "hospital", "prize", "trophy",
        "memorial",
    };

    /// <summary>Words before "America" or "American" that make it (part of) the continent: "South American", "Latin America".</summary>
    public static readonly HashSet<string> ContinentParts = new(StringComparer.OrdinalIgnoreCase)
    {
        "North", "South", "Central", "Latin", "Meso", "Pan", "S", "N",
    };

    /// <summary>First words of organisation names followed by "of": "Ministry of ...", "University of ...".</summary>
    public static readonly HashSet<string> OrgHeads = new(StringComparer.Ordinal)
    {
        "Ministry", "Department", "University", "Bank", "Council", "Court", "Commission", "Office", "Institute", "Federation",
        "Association", "League", "Organization", "Organisation", "Agency", "Committee", "Union", "Board", "Academy", "Church",
        "Chamber", "House", "Party", "Movement", "Front", "Army", "Fund", "Society", "Order", "Federal", "Supreme", "Central",
    };

    /// <summary>Lower-case words that join the parts of a person's name.</summary>
    public static readonly HashSet<string> NameParticles = new(StringComparer.Ordinal)
    {
        "al", "el", "bin", "ibn", "bint", "de", "da", "do", "dos", "das", "du", "van", "von", "der", "den", "la", "le", "di", "del", "ben",
    };

    /// <summary>Verbs after a name that mark a speaker: "X said".</summary>
    public static readonly HashSet<string> SpeechVerbs = new(StringComparer.Ordinal)
    {
        "said", "says", "told", "added", "stated", "announced", "noted", "stressed", "urged", "warned", "wrote", "argued",
        "explained", "insisted", "declared", "tweeted", "asked", "replied", "remarked", "underlined", "emphasised", "emphasized",
    };

    /// <summary>Capitalised words that start sentences or name things, never the first word of a person's name.</summary>
    public static readonly HashSet<string> NotNames = new(StringComparer.Ordinal)
    {
        "The", "A", "An", "In", "On", "At", "By", "For", "From", "With", "To", "Of", "And", "But", "Or", "If", "As", "So", "Then",
        "This", "That", "These", "Those", "It", "Its", "He", "She", "His", "Her", "They", "Their", "We", "Our", "You", "I",
        "During", "After", "Before", "Since", "While", "When", "Where", "What", "Who", "Why", "How", "About", "Under", "Over",
        "Pointing", "According", "Meanwhile", "However", "Also", "Earlier", "Later", "Last", "Next", "Both", "Many", "Some",
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April",
        "May", "June", "July", "August", "September", "October", "November", "December", "Mr", "Mrs", "Ms", "Dr",
        "Valley", "River", "Sea", "Gulf", "Strait", "Street", "Square", "Mountains", "Basin", "Times", "Daily", "Post", "News",
        "God",
    };

    /// <summary>Country names that are also given names: "Jordan Peterson", "Michael Jordan", "Chad Smith".</summary>
    public static readonly HashSet<string> CountriesThatAreNames = new(StringComparer.Ordinal)
    {
        "Jordan", "Georgia", "Chad", "India", "Israel", "Kenya", "Ireland", "China", "Cuba", "Niger",
    };

    /// <summary>Words near "Georgia" that mean the US state.</summary>
    public static readonly HashSet<string> UsStateCues = new(StringComparer.Ordinal)
    {
        "Atlanta", "Savannah", "Augusta", "Macon", "Athens", "Alabama", "Florida", "Carolina", "Tennessee", "Texas", "Ohio",
        "Arizona", "Michigan", "Pennsylvania", "Republican", "Republicans", "Democrat", "Democrats", "Democratic", "GOP",
        "county", "County", "state", "State", "governor", "Gov", "Sen", "senator", "Senate", "Trump", "Biden",
        "Kemp", "Warnock", "Ossoff", "Raffensperger", "Braves", "Bulldogs", "peach", "primary", "midterm", "midterms",
    };

    /// <summary>Words near "Georgia" that mean the country in the Caucasus rather than the US state.</summary>
    public static readonly HashSet<string> GeorgiaCountryCues = new(StringComparer.Ordinal)
    {
        "Tbilisi", "Georgian", "Georgians", "Caucasus", "Abkhazia", "Ossetia", "Batumi", "Kutaisi", "Saakashvili", "Armenia",
        "Azerbaijan", "Russia", "Russian", "Moscow", "Kremlin", "Ukraine", "Soviet", "Moldova", "NATO", "EU",
    };

    /// <summary>Names that follow a place named after it: "Uruguay Round", "Paris Club", "Kyoto Protocol", and the events named
    /// after the town that holds them: "Berlin Games", "London Marathon" ("Open" is left out: "Iran Open to Talks" in a headline).</summary>
    public static readonly HashSet<string> NamedAfterPlaces = new(StringComparer.Ordinal)
    {
        "Round", "Club", "Accord", "Accords", "Protocol", "Convention", "Consensus", "Syndrome", "Declaration", "Agreement", "Format",
        "Games", "Marathon",
    };

    /// <summary>US states as datelines write them after a town: "GREENWICH, Conn.", "SAN JOSE, Calif.", "Portland, Oregon".</summary>
    public static readonly string[] UsStates =
    [
        "Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.", "Fla.", "Ga.", "Ill.", "Ind.", "Kan.", "Ky.", "La.", "Md.", "Mass.",
        "Mich.", "Minn.", "Miss.", "Mo.", "Mont.", "Neb.", "Nev.", "N.H.", "N.J.", "N.M.", "N.Y.", "N.C.", "N.D.", "Okla.", "Ore.", "Pa.",
        "R.I.", "S.C.", "S.D.", "Tenn.", "Vt.", "Va.", "Wash.", "W.Va.", "Wis.", "Wyo.", "Alabama", "Alaska", "Arizona", "Arkansas",
        "California", "Colorado", "Connecticut", "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
        "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri",
        "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota",
        "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah",
        "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
    ];

    /// <summary>Words after a town's name that make it the name of a sea, river or street instead: "Beaufort Sea".</summary>
    public static readonly HashSet<string> PlaceFeatures = new(StringComparer.Ordinal)
    {
        "Sea", "River", "Valley", "Street", "Square", "Mountains", "Basin", "Strait", "Gulf", "Lake", "Bay", "Island", "Islands", "Avenue", "Road",
    };

    /// <summary>Role descriptors after "the &lt;demonym&gt;" that stand for one person: "the Algerian foreign minister".</summary>
    public static readonly Dictionary<string, string> Roles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["foreign minister"] = "foreign-minister",
        ["president"] = "president",
        ["prime minister"] = "prime-minister",
        ["premier"] = "prime-minister",
        ["defence minister"] = "defence-minister",
        ["defense minister"] = "defence-minister",
        ["supreme leader"] = "supreme-leader",
    };
}
