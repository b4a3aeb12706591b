using System.Collections.Frozen;

namespace Dashboard.Web.Extraction;

/// <summary>
/// Where an article reports what someone said: <paramref name="QuoteStart"/>..<paramref name="QuoteEnd"/> is what the
/// speaker said (the words between quotation marks, or the clause of reported speech), within the sentence
/// <paramref name="SentenceStart"/>..<paramref name="SentenceEnd"/>; <paramref name="SpeakerStart"/>..<paramref name="SpeakerEnd"/>
/// is the speaker's name as written there.
/// </summary>
/// <param name="Verb">The verb that reports it ("said", "warned", "called for", "according to").</param>
/// <param name="Quoted">Whether the words are the speaker's own, between quotation marks.</param>
public sealed record FoundStatement(int SentenceStart, int SentenceEnd, int QuoteStart, int QuoteEnd, int SpeakerStart, int SpeakerEnd, string Verb, bool Quoted);

/// <summary>
/// Finds what a person or organisation is reported to have said, as Europe Media Monitor's quotation pages do: given
/// where an article names the speaker (its mention spans), the sentences where that name is the one speaking.
/// </summary>
/// <remarks>
/// Wire copy reports speech in a few fixed shapes, and the finder reads those and nothing looser:
/// <list type="bullet">
/// <item>the speaker, an optional apposition between commas, then a reporting verb: "Attaf said his country welcomes…",
/// "Bagheri, the acting foreign minister, warned that…", "“We will respond,” Raisi said";</item>
/// <item>the verb first: "“…,” said Bagheri", "…, said Foreign Minister Bagheri";</item>
/// <item>the attribution at the end of a sentence: "The attacks added to the crimes of the regime, Bagheri added.";</item>
/// <item>"according to": "According to the OIC, …" and "…, according to the OIC."</item>
/// </list>
/// A name after a preposition ("officials close to Bagheri said") or in the possessive ("Bagheri's aide said") is not the
/// speaker, and "he said" is not followed back to a name: a wrong attribution is worse than a missed one.
/// </remarks>
public static class StatementFinder
{
    /// <summary>Reporting verbs, as wire copy writes them; a statement's words follow or precede them.</summary>
    private static readonly string[] Verbs =
    [
        "said", "says", "told", "tells", "added", "adds", "stressed", "stresses", "warned", "warns", "urged", "urges",
        "noted", "notes", "insisted", "insists", "declared", "declares", "announced", "announces", "argued", "argues",
        "claimed", "claims", "denied", "denies", "confirmed", "confirms", "stated", "states", "explained", "explains",
        "emphasised", "emphasized", "emphasises", "emphasizes", "underlined", "underscored", "reiterated", "reiterates",
        "vowed", "vows", "pledged", "pledges", "promised", "promises", "accused", "accuses", "demanded", "demands",
        "called for", "calls for", "called on", "calls on", "asserted", "asserts", "acknowledged", "acknowledges",
        "admitted", "admits", "maintained", "wrote", "writes", "tweeted", "posted",
        "proposed", "proposes", "suggested", "suggests", "cautioned", "complained", "conceded", "predicted", "predicts",
        "condemned", "condemns", "welcomed", "welcomes", "rejected", "rejects", "threatened", "threatens",
        "was quoted as saying", "is quoted as saying", "quoted as saying",
    ];

    /// <summary>Words that may stand between a speaker and the verb: "Bagheri has also said", "Raisi on Friday warned".</summary>
    private static readonly FrozenSet<string> Between = FrozenSet.ToFrozenSet(
    [
        "has", "have", "had", "also", "further", "then", "later", "earlier", "again", "once", "previously", "repeatedly",
        "reportedly", "publicly", "separately", "recently", "himself", "herself", "itself", "themselves", "on", "last",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today", "this", "week",
        "in", "a", "an", "statement", "separate", "interview", "speech", "also", "however", "meanwhile", "too",
    ], StringComparer.OrdinalIgnoreCase);

    /// <summary>Whom a statement is made to, between the verb and "that": "told reporters at a news conference that".</summary>
    private static readonly FrozenSet<string> Audiences = FrozenSet.ToFrozenSet(
    [
        "reporters", "journalists", "the", "press", "media", "news", "conference", "briefing", "lawmakers", "parliament",
        "television", "state", "radio", "agency", "audience", "crowd", "supporters", "him", "her", "them", "us", "me", "at",
        "his", "its", "their", "counterpart", "told", "by", "phone", "telephone", "local", "time", "an", "interview", "with",
    ], StringComparer.OrdinalIgnoreCase);

    /// <summary>Whom something is told, when no "that" follows: the clause starts after them.</summary>
    private static readonly FrozenSet<string> Listeners = FrozenSet.ToFrozenSet(
        ["reporters", "journalists", "him", "her", "them", "us", "me", "lawmakers", "parliament", "supporters", "crowd", "audience", "conference", "briefing"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Lower-case words of a title before a name: "analyst Smith said", "said managing board chairman Klaus Giesel".</summary>
    private static readonly FrozenSet<string> RoleWords = FrozenSet.ToFrozenSet(
    [
        "analyst", "spokesman", "spokeswoman", "spokesperson", "chairman", "chairwoman", "president", "minister", "secretary",
        "economist", "official", "representative", "director", "chief", "executive", "managing", "board", "vice", "deputy",
        "senior", "general", "former", "acting", "foreign", "prime", "finance", "trade", "defence", "defense", "interior",
        "governor", "senator", "ambassador", "envoy", "leader", "head", "manager", "strategist", "trader", "dealer",
        "professor", "commissioner", "negotiator", "adviser", "advisor", "lawyer", "attorney", "officer", "commander",
    ], StringComparer.Ordinal);

    /// <summary>A word before a name that makes it the object of something, not the one speaking.</summary>
    private static readonly FrozenSet<string> Prepositions = FrozenSet.ToFrozenSet(
    [
        "to", "with", "of", "by", "for", "from", "about", "against", "on", "at", "in", "into", "over", "under", "than",
        "between", "among", "toward", "towards", "like", "near", "behind", "after", "before", "without", "via", "whom",
    ], StringComparer.OrdinalIgnoreCase);

    /// <summary>The reporting verbs by their first word: "called" leads to "called for" and "called on".</summary>
    private static readonly FrozenDictionary<string, string[][]> VerbsByFirstWord = Verbs
        .Select(v => v.Split(' '))
        .GroupBy(words => words[0], StringComparer.Ordinal)
        .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(words => words.Length).ToArray(), StringComparer.Ordinal);

    /// <summary>How many words may stand between a speaker and the verb ("has also said on Friday").</summary>
    private const int MaxWordsBetween = 4;

    /// <summary>How many words a verb may have before "that" ("told reporters on Friday that").</summary>
    private const int MaxWordsBeforeThat = 5;

    /// <summary>
    /// Longer than this, a "sentence" is a table, a list or a text without full stops, not something someone said; and
    /// reading each name in it back to its start would cost the square of its length.
    /// </summary>
    private const int MaxSentenceChars = 2_000;

    private const int MaxApposition = 90;
    private const int MaxTitleBeforeName = 60;
    private const int MaxTail = 50;

    /// <summary>The statements <paramref name="text"/> attributes to the speaker named at <paramref name="speaker"/> (spans into the text), in text order, one per sentence.</summary>
    public static List<FoundStatement> Find(string text, IReadOnlyList<(int Start, int End)> speaker) =>
        speaker.Count == 0 ? [] : Find(text, SentenceList(text), speaker);

    /// <summary>The text's sentences as <see cref="Sentences"/> gives them, kept to read every speaker of an article in them.</summary>
    public static List<(int Start, int End)> SentenceList(string text) => [.. Sentences(text)];

    /// <summary>As <see cref="Find(string, IReadOnlyList{ValueTuple{int, int}})"/>, in sentences split once for all of an article's speakers.</summary>
    public static List<FoundStatement> Find(string text, List<(int Start, int End)> sentences, IReadOnlyList<(int Start, int End)> speaker)
    {
        var found = new List<FoundStatement>();
        if (speaker.Count == 0 || text.Length == 0)
        {
            return found;
        }
        var spans = speaker.Where(s => s.Start >= 0 && s.End <= text.Length && s.End > s.Start).OrderBy(s => s.Start).ToList();
        var sentence = 0;
        var lastSentence = -1;
        foreach (var span in spans)
        {
            // The sentence holding the span: sentences and spans both run in text order.
            while (sentence < sentences.Count && sentences[sentence].End < span.End)
            {
                sentence++;
            }
            if (sentence == sentences.Count)
            {
                break;
            }
            var (start, end) = sentences[sentence];
            if (span.Start < start || sentence == lastSentence || end - start > MaxSentenceChars)
            {
                continue;
            }
            if (Attribute(text, start, end, span) is { } statement)
            {
                found.Add(statement);
                lastSentence = sentence;
            }
        }
        return found;
    }

    /// <summary>How many sentences without an attribution may stand between a person's statement and "he said" that goes on with it.</summary>
    private const int MaxSentencesBetweenContinuations = 1;

    /// <summary>
    /// What a person goes on to say after a statement <see cref="Find(string, List{ValueTuple{int, int}}, IReadOnlyList{ValueTuple{int, int}})"/>
    /// found (<paramref name="said"/>): wire copy names a speaker once and then writes "“…,” he said" or "She added that …".
    /// A pronoun is read as the speaker only in the sentences right after one of their statements, up to the first that
    /// names another person (<paramref name="others"/>: every other person's spans) outside a quotation, and with at
    /// most <see cref="MaxSentencesBetweenContinuations"/> sentence between two of their statements.
    /// </summary>
    public static List<FoundStatement> FindContinuations(string text, List<(int Start, int End)> sentences, IReadOnlyList<FoundStatement> said,
        IReadOnlyList<(int Start, int End)> others, bool organisation = false)
    {
        var found = new List<FoundStatement>();
        var taken = new HashSet<int>(said.Select(s => s.SentenceStart));
        foreach (var statement in said.OrderBy(s => s.SentenceStart))
        {
            var index = sentences.FindIndex(s => s.Start == statement.SentenceStart);
            var gap = 0;
            for (var next = index + 1; index >= 0 && next < sentences.Count && gap <= MaxSentencesBetweenContinuations; next++)
            {
                var (start, end) = sentences[next];
                if (taken.Contains(start) || end - start > MaxSentenceChars)
                {
                    // The speaker named again: the finder has that sentence, and the chain goes on from it.
                    break;
                }
                var quotes = Quotations(text, start, end);
                if (others.Any(o => o.Start >= start && o.End <= end && !quotes.Any(q => o.Start >= q.Start && o.End <= q.End)))
                {
                    break;
                }
                var more = (organisation ? OrganisationReferents(text, start, end) : Pronouns(text, start, end))
                    .Where(p => !quotes.Any(q => p.Start >= q.Start && p.End <= q.End))
                    .Select(p => Attribute(text, start, end, p)).FirstOrDefault(a => a is not null);
                if (more is not null)
                {
                    found.Add(more);
                    taken.Add(start);
                    gap = 0;
                }
                else
                {
                    gap++;
                }
            }
        }
        return found;
    }

    /// <summary>Every "he" and "she" of a sentence, as words, in text order.</summary>
    private static IEnumerable<(int Start, int End)> Pronouns(string text, int start, int end)
    {
        for (var at = start; at < end; at++)
        {
            if (text[at] is not ('h' or 'H' or 's' or 'S') || (at > 0 && char.IsLetter(text[at - 1])))
            {
                continue;
            }
            var length = text[at] is 'h' or 'H' ? 2 : 3;
            if (at + length < end && text[at + length] == ' '
                && text.AsSpan(at, length).Equals(length == 2 ? "he" : "she", StringComparison.OrdinalIgnoreCase))
            {
                yield return (at, at + length);
            }
        }
    }

    /// <summary>How wire copy refers back to an organisation it has named: "it said", "the company said".</summary>
    private static readonly string[] OrganisationNouns =
    [
        "company", "group", "bank", "firm", "agency", "ministry", "department", "organisation", "organization", "association",
        "union", "party", "corporation", "council", "commission", "committee", "board", "fund", "institute", "authority",
    ];

    /// <summary>Every "it" and "the company" (or another <see cref="OrganisationNouns"/>) of a sentence, as words, in text order.</summary>
    private static IEnumerable<(int Start, int End)> OrganisationReferents(string text, int start, int end)
    {
        for (var at = start; at < end; at++)
        {
            if (at > 0 && char.IsLetter(text[at - 1]))
            {
                continue;
            }
            if (text[at] is 'i' or 'I' && at + 2 < end && text[at + 2] == ' ' && text.AsSpan(at, 2).Equals("it", StringComparison.OrdinalIgnoreCase))
            {
                yield return (at, at + 2);
            }
            else if (text[at] is 't' or 'T' && at + 4 < end && text.AsSpan(at, 4).Equals("the ", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var noun in OrganisationNouns)
                {
                    var nounEnd = at + 4 + noun.Length;
                    if (nounEnd < end && text[nounEnd] is ' ' or ',' && text.AsSpan(at + 4, noun.Length).SequenceEqual(noun))
                    {
                        yield return (at, nounEnd);
                        break;
                    }
                }
            }
        }
    }

    /// <summary>The spans between quotation marks in a sentence.</summary>
    private static List<(int Start, int End)> Quotations(string text, int start, int end)
    {
        var quotes = new List<(int, int)>();
        int? open = null;
        for (var i = start; i < end; i++)
        {
            if (text[i] == '\u201C' || (text[i] == '"' && open is null))
            {
                open = i;
            }
            else if ((text[i] == '\u201D' || text[i] == '"') && open is { } from)
            {
                quotes.Add((from, i + 1));
                open = null;
            }
        }
        return quotes;
    }

    private static FoundStatement? Attribute(string text, int sentenceStart, int sentenceEnd, (int Start, int End) name)
    {
        if (!IsSubject(text, sentenceStart, name.Start) || IsPossessive(text, name.End))
        {
            return AccordingTo(text, sentenceStart, sentenceEnd, name);
        }
        var sentence = new Sentence(text, sentenceStart, sentenceEnd);
        // The verb after the name, past an apposition between commas or a parenthesis ("the OIC (Organisation…) said").
        var after = SkipApposition(text, name.End, sentenceEnd);
        if (VerbAfter(text, after, sentenceEnd) is var (verb, verbStart, verbEnd))
        {
            return sentence.Attributed(name, verb, verbStart, verbEnd);
        }
        // The verb before the name: "…,” said Bagheri" or "…, said Foreign Minister Bagheri".
        var titleStart = TitleStart(text, sentenceStart, name.Start);
        var (wordStart, wordEnd) = WordBefore(text, sentenceStart, titleStart);
        if (wordEnd > wordStart && VerbsByFirstWord.TryGetValue(text[wordStart..wordEnd], out var forms) && forms.Any(words => words.Length == 1))
        {
            var before = text[sentenceStart..wordStart].TrimEnd();
            if (before.EndsWith(',') || before.EndsWith('\u201D') || before.EndsWith('"'))
            {
                return sentence.Attributed(name, text[wordStart..wordEnd], wordStart, wordEnd);
            }
        }
        return AccordingTo(text, sentenceStart, sentenceEnd, name);
    }

    /// <summary>The reporting verb among the first words from <paramref name="from"/>, past words such as "has also" or "on Friday".</summary>
    private static (string Verb, int Start, int End)? VerbAfter(string text, int from, int end)
    {
        var at = from;
        for (var words = 0; words <= MaxWordsBetween; words++)
        {
            var (wordStart, wordEnd) = WordAfter(text, at, end);
            if (wordEnd == wordStart)
            {
                return null;
            }
            if (VerbsByFirstWord.TryGetValue(text[wordStart..wordEnd], out var forms))
            {
                foreach (var form in forms)
                {
                    if (Follows(text, wordStart, end, form) is { } formEnd)
                    {
                        return (string.Join(' ', form), wordStart, formEnd);
                    }
                }
            }
            if (!Between.Contains(text[wordStart..wordEnd]))
            {
                return null;
            }
            at = wordEnd;
        }
        return null;
    }

    /// <summary>Where the words of <paramref name="form"/> end when they are written from <paramref name="start"/>, one space apart.</summary>
    private static int? Follows(string text, int start, int end, string[] form)
    {
        var at = start;
        foreach (var word in form)
        {
            var (wordStart, wordEnd) = WordAfter(text, at, end);
            if (wordStart != (at == start ? start : at + 1) || !text.AsSpan(wordStart, wordEnd - wordStart).SequenceEqual(word))
            {
                return null;
            }
            at = wordEnd;
        }
        return at;
    }

    /// <summary>The next word of letters after <paramref name="from"/> past spaces; empty when something else comes first.</summary>
    private static (int Start, int End) WordAfter(string text, int from, int end)
    {
        var start = from;
        while (start < end && text[start] == ' ')
        {
            start++;
        }
        var stop = start;
        while (stop < end && char.IsLetter(text[stop]))
        {
            stop++;
        }
        return stop < end && (char.IsLetterOrDigit(text[stop]) || text[stop] is '-' or '\'' or '\u2019') ? (start, start) : (start, stop);
    }

    /// <summary>The word of letters that ends just before <paramref name="before"/> past spaces; empty when something else comes first.</summary>
    private static (int Start, int End) WordBefore(string text, int sentenceStart, int before)
    {
        var end = before;
        while (end > sentenceStart && text[end - 1] == ' ')
        {
            end--;
        }
        var start = end;
        while (start > sentenceStart && char.IsLetter(text[start - 1]))
        {
            start--;
        }
        return (start, end);
    }

    /// <summary>"According to X, …" and "…, according to X."</summary>
    private static FoundStatement? AccordingTo(string text, int sentenceStart, int sentenceEnd, (int Start, int End) name)
    {
        var titleStart = TitleStart(text, sentenceStart, name.Start);
        var lead = text[sentenceStart..titleStart];
        const string Phrase = "according to";
        if (!lead.TrimEnd().EndsWith(Phrase, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var phraseStart = sentenceStart + lead.TrimEnd().Length - Phrase.Length;
        var sentence = new Sentence(text, sentenceStart, sentenceEnd);
        if (phraseStart == sentenceStart)
        {
            // "According to the OIC, the meeting will be held in Jeddah."
            var comma = text.IndexOf(',', name.End, sentenceEnd - name.End);
            return comma < 0 || comma - name.End > MaxApposition ? null : sentence.Statement(comma + 1, sentenceEnd, name, "according to", quoted: false);
        }
        var beforePhrase = text[sentenceStart..phraseStart].TrimEnd();
        if (beforePhrase.EndsWith(',') && sentence.RestIsTail(name.End))
        {
            return sentence.Statement(sentenceStart, sentenceStart + beforePhrase.Length - 1, name, "according to", quoted: false);
        }
        return null;
    }

    /// <summary>Where a name's title starts: "said Foreign Minister Bagheri" reads the verb before "Foreign".</summary>
    private static int TitleStart(string text, int sentenceStart, int nameStart)
    {
        var start = nameStart;
        var i = nameStart;
        while (i > sentenceStart && nameStart - i < MaxTitleBeforeName)
        {
            var wordEnd = i;
            while (wordEnd > sentenceStart && text[wordEnd - 1] == ' ')
            {
                wordEnd--;
            }
            var wordStart = wordEnd;
            while (wordStart > sentenceStart && (char.IsLetter(text[wordStart - 1]) || text[wordStart - 1] is '-' or '.'))
            {
                wordStart--;
            }
            // "of" is no title word: "the Shipbuilders Association of Japan said" is the association speaking, not Japan.
            if (wordStart == wordEnd || !(char.IsUpper(text[wordStart]) || text[wordStart..wordEnd] == "the" || RoleWords.Contains(text[wordStart..wordEnd])))
            {
                break;
            }
            start = wordStart;
            i = wordStart;
        }
        return start;
    }

    /// <summary>Whether the name stands where a subject does: not right after a preposition ("talks with Raisi said…").</summary>
    private static bool IsSubject(string text, int sentenceStart, int nameStart)
    {
        var i = TitleStart(text, sentenceStart, nameStart);
        while (i > sentenceStart && char.IsWhiteSpace(text[i - 1]))
        {
            i--;
        }
        var wordEnd = i;
        while (i > sentenceStart && char.IsLetter(text[i - 1]))
        {
            i--;
        }
        var word = text[i..wordEnd];
        if (word == "the" && i > sentenceStart)
        {
            // "talks with the OIC said" and "the president of the OIC said": look one word further back.
            return IsSubject(text, sentenceStart, i);
        }
        return !Prepositions.Contains(word);
    }

    private static bool IsPossessive(string text, int nameEnd) =>
        nameEnd < text.Length && (text[nameEnd] is '\'' or '\u2019') && nameEnd + 1 < text.Length && text[nameEnd + 1] is 's' or 'S';

    /// <summary>Past ", the acting foreign minister," or " (OIC)" after a name; where the verb would start.</summary>
    private static int SkipApposition(string text, int nameEnd, int sentenceEnd)
    {
        var i = nameEnd;
        if (i < sentenceEnd - 1 && text[i] == ' ' && text[i + 1] == '(')
        {
            var close = text.IndexOf(')', i, sentenceEnd - i);
            if (close > 0 && close - i < MaxApposition)
            {
                i = close + 1;
            }
        }
        if (i < sentenceEnd && text[i] == ',')
        {
            var close = text.IndexOf(',', i + 1, Math.Min(MaxApposition, sentenceEnd - i - 1));
            if (close > 0 && text.AsSpan(i + 1, close - i - 1).IndexOfAny("\u201C\u201D\"") < 0)
            {
                return close + 1;
            }
        }
        return i;
    }

    /// <summary>One sentence being read, and how a statement in it is cut.</summary>
    private readonly record struct Sentence(string Text, int Start, int End)
    {
        /// <summary>A statement whose verb is at <paramref name="verbStart"/>..<paramref name="verbEnd"/>: its quotation, the clause after the verb, or the words before the attribution.</summary>
        public FoundStatement? Attributed((int Start, int End) name, string verb, int verbStart, int verbEnd)
        {
            var attribution = Math.Min(verbStart, TitleStart(Text, Start, name.Start));
            // A quotation ending just before the attribution: "“We will respond,” Raisi said."
            var before = Text[Start..attribution].TrimEnd();
            if ((before.EndsWith('\u201D') || before.EndsWith('"') || before.EndsWith(",\u201D") || before.EndsWith(",\""))
                && QuoteEndingAt(Start + before.Length) is var (quoteStart, quoteEnd))
            {
                return Statement(quoteStart, quoteEnd, name, verb, quoted: true);
            }
            // A quotation opening after the verb: "Raisi told reporters: “We will respond.”"
            var rest = Text[verbEnd..End];
            var open = rest.IndexOfAny(['\u201C', '"']);
            if (open >= 0 && open <= 40 && OpensQuotation(rest[..open].Trim()) && QuoteStartingAt(verbEnd + open) is var (qs, qe))
            {
                return Statement(qs, qe, name, verb, quoted: true);
            }
            // An attribution set between commas inside the words: "Commercial construction, he said, is suffering …" is all theirs.
            if (before.EndsWith(',') && verbEnd < End && Text[verbEnd] == ',' && attribution > Start)
            {
                return Statement(Start, End, name, verb, quoted: false);
            }
            // Words before the attribution: "The attacks added to the crimes of the regime, Bagheri added."
            if (before.EndsWith(',') && before.Length > 1 && RestIsTail(Math.Max(verbEnd, name.End)))
            {
                return Statement(Start, Start + before.Length - 1, name, verb, quoted: false);
            }
            if (attribution == verbStart)
            {
                // The verb came first but nothing before it is said: not a statement of this name.
                return null;
            }
            // Reported speech: the clause after the verb, past "that".
            return Statement(ClauseStart(verbEnd), End, name, verb, quoted: false);
        }

        /// <summary>Where the reported clause starts: past "that" when it comes within a few words ("told reporters on Friday that").</summary>
        private int ClauseStart(int verbEnd)
        {
            var at = verbEnd;
            for (var words = 0; words <= MaxWordsBeforeThat; words++)
            {
                var (wordStart, wordEnd) = WordAfter(Text, at, End);
                if (wordEnd == wordStart)
                {
                    break;
                }
                var word = Text[wordStart..wordEnd];
                if (word == "that")
                {
                    return wordEnd;
                }
                if (!Between.Contains(word) && !Audiences.Contains(word))
                {
                    break;
                }
                at = wordEnd;
            }
            // No "that": past whom it was told when that is a person or people ("told reporters Baker visited him").
            var start = verbEnd;
            at = verbEnd;
            for (var words = 0; words <= MaxWordsBeforeThat; words++)
            {
                var (wordStart, wordEnd) = WordAfter(Text, at, End);
                if (wordEnd == wordStart || !(Between.Contains(Text[wordStart..wordEnd]) || Audiences.Contains(Text[wordStart..wordEnd])))
                {
                    break;
                }
                if (Listeners.Contains(Text[wordStart..wordEnd]))
                {
                    start = wordEnd;
                }
                at = wordEnd;
            }
            return start;
        }

        /// <summary>What may stand between a verb and the quotation it opens: "said: “", "told reporters: “", "said that “".</summary>
        private static bool OpensQuotation(string lead) =>
            lead.Length == 0 || lead.EndsWith(':') || lead.EndsWith(',') || lead.EndsWith("that", StringComparison.Ordinal);

        /// <summary>Whether only a short tail ("on Friday", "in a statement", "told reporters") follows <paramref name="from"/> before the sentence ends.</summary>
        public bool RestIsTail(int from)
        {
            var rest = Text[from..End].Trim().TrimEnd('.', '!', '?', '\u201D', '"').Trim();
            if (rest.Length > MaxTail || rest.IndexOfAny([',', ';', ':', '\u201C', '"']) >= 0)
            {
                return false;
            }
            // Whom it was told, when and where: "told reporters on Friday", "in a statement", "told Al Jazeera".
            foreach (var word in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Between.Contains(word) && !Audiences.Contains(word) && !char.IsUpper(word[0]))
                {
                    return false;
                }
            }
            return true;
        }

        public FoundStatement? Statement(int start, int end, (int Start, int End) name, string verb, bool quoted)
        {
            while (start < end && (char.IsWhiteSpace(Text[start]) || Text[start] is ',' or ':' or '\u201C' or '"'))
            {
                start++;
            }
            while (end > start && (char.IsWhiteSpace(Text[end - 1]) || Text[end - 1] is ',' or '.' or ';' or ':' or '\u201D' or '"'))
            {
                end--;
            }
            // Three words at least ("he said so" says nothing worth listing), opening with a word: "said. (NRKX 2024) …"
            // is a sentence the splitter could not end, not words of the speaker.
            return Text.AsSpan(start, end - start).Count(' ') < 2 || !(char.IsLetterOrDigit(Text[start]) || Text[start] is '\u2018' or '\'')
                ? null
                : new FoundStatement(Start, End, start, end, name.Start, name.End, verb.Replace("was quoted as saying", "said").Replace("is quoted as saying", "said").Replace("quoted as saying", "said"), quoted);
        }

        /// <summary>The quotation whose closing mark is just before <paramref name="closeEnd"/>, when its opening mark is found.</summary>
        private (int Start, int End)? QuoteEndingAt(int closeEnd)
        {
            var close = Text[closeEnd - 1];
            var openMark = close == '\u201D' ? '\u201C' : '"';
            // The sentence holds the whole quotation: sentences are not split inside one ("“We will not stop. We will go on,” he said").
            var open = closeEnd - 1 > Start ? Text.LastIndexOf(openMark, closeEnd - 2, closeEnd - 1 - Start) : -1;
            return open < 0 ? null : (open + 1, closeEnd - 1);
        }

        private (int Start, int End)? QuoteStartingAt(int openAt)
        {
            var closeMark = Text[openAt] == '\u201C' ? '\u201D' : '"';
            var close = Text.IndexOf(closeMark, openAt + 1, Math.Min(Text.Length - openAt - 1, 1_500));
            return close < 0 ? null : (openAt + 1, close);
        }
    }

    /// <summary>
    /// The text's sentences: split at a full stop, question or exclamation mark followed by a capital or an opening quote,
    /// and at line breaks; not after an initial or a title ("Mr.", "U.S."), nor inside a quotation, whose sentences belong
    /// to the attribution after it.
    /// </summary>
    public static IEnumerable<(int Start, int End)> Sentences(string text)
    {
        var start = 0;
        var inQuote = false;
        // Where the line's last closing marks are: a quotation opened before them closes in its paragraph. Found once per
        // line, so a long line full of quotation marks is read once, not once per mark.
        var (lastCurlyClose, lastStraight) = LastMarks(text, 0);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                if (i > start)
                {
                    yield return (start, i);
                }
                start = i + 1;
                inQuote = false;
                (lastCurlyClose, lastStraight) = LastMarks(text, i + 1);
                continue;
            }
            if (c == '\u201C')
            {
                inQuote = lastCurlyClose > i;
            }
            else if (c == '\u201D')
            {
                inQuote = false;
            }
            else if (c == '"')
            {
                inQuote = !inQuote && lastStraight > i;
            }
            if (c is not ('.' or '!' or '?'))
            {
                continue;
            }
            if (inQuote)
            {
                // A quotation that ends with its sentence ("… in the period ahead." Miyazawa said …) ends the sentence too.
                if (i + 1 < text.Length && text[i + 1] is '\u201D' or '"')
                {
                    inQuote = false;
                }
                else
                {
                    continue;
                }
            }
            var end = i + 1;
            while (end < text.Length && text[end] is '\u201D' or '"' or '\u2019' or ')')
            {
                end++;
            }
            if (end >= text.Length || text[end] != ' ')
            {
                continue;
            }
            var nextStart = end;
            while (nextStart < text.Length && text[nextStart] == ' ')
            {
                nextStart++;
            }
            if (nextStart < text.Length && !(char.IsUpper(text[nextStart]) || text[nextStart] is '\u201C' or '"' or '\u2018'))
            {
                continue;
            }
            if (c == '.' && IsAbbreviation(text, start, i))
            {
                continue;
            }
            yield return (start, end);
            start = nextStart;
            inQuote = false;
        }
        if (start < text.Length && text.AsSpan(start).Trim().Length > 0)
        {
            yield return (start, text.Length);
        }
    }

    /// <summary>The last closing curly quotation mark and the last straight one of the line starting at <paramref name="lineStart"/> (-1 for none).</summary>
    private static (int Curly, int Straight) LastMarks(string text, int lineStart)
    {
        var lineEnd = text.IndexOf('\n', lineStart);
        var line = text.AsSpan(lineStart, (lineEnd < 0 ? text.Length : lineEnd) - lineStart);
        var curly = line.LastIndexOf('\u201D');
        var straight = line.LastIndexOf('"');
        return (curly < 0 ? -1 : lineStart + curly, straight < 0 ? -1 : lineStart + straight);
    }

    private static readonly FrozenSet<string> Abbreviations = FrozenSet.ToFrozenSet(
    [
        "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Capt", "Sgt", "St", "Jr", "Sr", "No",
        "Co", "Corp", "Inc", "Ltd", "Bros", "Mt", "Ft", "Jan", "Feb", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec", "vs", "Rev", "Adm", "Maj", "Cmdr",
    ], StringComparer.Ordinal);

    /// <summary>Whether the full stop at <paramref name="dot"/> ends an initial ("J.", "U.S.") or a title ("Mr.").</summary>
    private static bool IsAbbreviation(string text, int sentenceStart, int dot)
    {
        var i = dot;
        while (i > sentenceStart && char.IsLetter(text[i - 1]))
        {
            i--;
        }
        var word = text[i..dot];
        return word.Length == 1 && char.IsUpper(word[0]) || Abbreviations.Contains(word);
    }
}
