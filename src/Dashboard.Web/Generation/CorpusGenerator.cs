using System.Globalization;
using System.Text;
using System.Text.Json;
using Dashboard.Web.Extraction;

namespace Dashboard.Web.Generation;

/// <summary>One synthetic article, in the JSON Lines shape the importers read.</summary>
public sealed record GeneratedArticle(string Id, string Title, string Text, DateOnly Date, string Source, string Url);

/// <summary>
/// Writes realistic synthetic news for load tests and benchmarks: the real country, actor and topic
/// vocabulary the extractor ships, popularity skewed like news (a few countries and people take most of
/// the attention), more articles on weekdays and in recent years, about 3 KB of text on average, and a
/// share of near-duplicates (wire copies with a new headline or an extra paragraph). The same seed always
/// gives the same corpus.
/// </summary>
public sealed class CorpusGenerator
{
    private static readonly string[] Sources =
    [
        "Global Wire", "Daily Courier", "Evening Post", "World Report", "Metro Herald", "Continental News",
        "Harbour Times", "Capital Observer", "Pacific Ledger", "Northern Gazette", "Desert Tribune", "River Journal",
    ];

    private static readonly string[] Verbs = ["said", "told reporters", "stressed", "warned", "announced", "noted", "argued", "insisted"];

    private static readonly string[] Openers =
    [
        "{Person} met {Person2} in {Capital} on {Weekday} to discuss {Phrase}.",
        "Officials in {Capital} {Verb} that {Phrase} would dominate talks with {Country2} this week.",
        "The {Demonym} government {Verb} it was ready to work with {Org} on {Phrase}.",
        "{Country} and {Country2} agreed on {Weekday} to step up cooperation on {Phrase}, according to {Org}.",
        "{Person}, speaking in {Capital}, {Verb} that {Phrase} remained the priority for {Country}.",
    ];

    private static readonly string[] Middles =
    [
        "\"We will not accept any delay on {Phrase},\" {Person} {Verb}, adding that {Country2} shared that view.",
        "Analysts in {Capital} said the {Demonym} position on {Phrase} had hardened since the last round of talks.",
        "A spokesperson for {Org} {Verb} that the organisation was monitoring {Phrase} closely.",
        "{Person2} is expected to travel to {Capital} next month for further talks on {Phrase} and {Phrase2}.",
        "The {Demonym} foreign ministry issued a statement on {Phrase}, calling on {Country2} to respond.",
        "Diplomats from {Country} and {Country2} held a second meeting late on {Weekday}, officials said.",
        "Critics of {Person} {Verb} that the government had moved too slowly on {Phrase}.",
        "According to figures published by {Org}, the situation around {Phrase} worsened over the past year.",
        "Residents of {Capital} described the mood as tense, with many following news of {Phrase2} closely.",
        "The talks also touched on {Phrase2}, a subject on which {Country} and {Country2} have long disagreed.",
    ];

    private static readonly HashSet<string> NotSubjects = new(StringComparer.Ordinal)
    {
        "over", "in", "on", "at", "to", "of", "for", "by", "with", "from", "into", "is", "was", "were", "are", "has", "have", "had", "be",
    };

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Vocabulary _vocabulary;

    public CorpusGenerator() => _vocabulary = Vocabulary.Load();

    /// <summary>The articles for a seed, lazily: a million of them never sit in memory at once.</summary>
    public IEnumerable<GeneratedArticle> Generate(int count, int seed, DateOnly? lastDay = null)
    {
        var random = new Random(seed);
        var end = lastDay ?? new DateOnly(2024, 12, 31);
        var start = end.AddYears(-4);
        var span = end.DayNumber - start.DayNumber;
        var recent = new Queue<GeneratedArticle>();
        for (var i = 0; i < count; i++)
        {
            GeneratedArticle article;
            if (recent.Count > 0 && random.NextDouble() < 0.06)
            {
                article = NearDuplicate(random, recent.ElementAt(random.Next(recent.Count)), i, seed);
            }
            else
            {
                article = Fresh(random, i, seed, Day(random, start, span));
            }
            recent.Enqueue(article);
            if (recent.Count > 50)
            {
                recent.Dequeue();
            }
            yield return article;
        }
    }

    /// <summary>Writes the corpus as JSON Lines: {id, title, text, date, source, url}.</summary>
    public void WriteJsonLines(TextWriter output, int count, int seed)
    {
        foreach (var article in Generate(count, seed))
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                id = article.Id,
                title = article.Title,
                text = article.Text,
                date = article.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                source = article.Source,
                url = article.Url,
            }, Json));
        }
    }

    /// <summary>Recent years weigh more (news archives grow), weekends less.</summary>
    private static DateOnly Day(Random random, DateOnly start, int span)
    {
        while (true)
        {
            var offset = (int)(span * Math.Sqrt(random.NextDouble()));
            var day = start.AddDays(offset);
            var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
            if (!weekend || random.NextDouble() < 0.45)
            {
                return day;
            }
        }
    }

    private GeneratedArticle Fresh(Random random, int index, int seed, DateOnly day)
    {
        var cast = _vocabulary.Cast(random);
        var paragraphs = new List<string>();
        var target = 2200 + (int)(random.NextDouble() * random.NextDouble() * 3600);
        var length = 0;
        paragraphs.Add(Fill(Openers[random.Next(Openers.Length)], cast, random, day));
        length += paragraphs[0].Length;
        while (length < target)
        {
            var sentences = 2 + random.Next(3);
            var paragraph = new StringBuilder();
            for (var s = 0; s < sentences; s++)
            {
                if (s > 0)
                {
                    paragraph.Append(' ');
                }
                paragraph.Append(Fill(Middles[random.Next(Middles.Length)], random.NextDouble() < 0.25 ? _vocabulary.Cast(random) : cast, random, day));
            }
            paragraphs.Add(paragraph.ToString());
            length += paragraph.Length + 2;
        }
        var title = $"{cast.Country.Name} and {cast.Country2.Name} discuss {cast.Phrase}";
        var source = Sources[Zipf(random, Sources.Length)];
        return new GeneratedArticle($"g{seed}-{index}", Capitalise(title), string.Join("\n\n", paragraphs), day, source,
            $"https://news.example/{Slug(source)}/{day:yyyy/MM/dd}/{index}");
    }

    private static GeneratedArticle NearDuplicate(Random random, GeneratedArticle original, int index, int seed)
    {
        var source = Sources[random.Next(Sources.Length)];
        var text = random.NextDouble() < 0.5
            ? original.Text + "\n\n(Reporting by the " + source + " newsroom; editing by the foreign desk.)"
            : original.Text;
        var title = random.NextDouble() < 0.5 || text == original.Text ? "UPDATE: " + original.Title : original.Title;
        return new GeneratedArticle($"g{seed}-{index}", title, text, original.Date.AddDays(random.Next(2)), source,
            $"https://news.example/{Slug(source)}/{original.Date:yyyy/MM/dd}/{index}");
    }

    private static string Fill(string template, Cast cast, Random random, DateOnly day)
    {
        var text = new StringBuilder(template)
            .Replace("{Person2}", cast.Person2)
            .Replace("{Person}", cast.Person)
            .Replace("{Country2}", cast.Country2.Name)
            .Replace("{Country}", cast.Country.Name)
            .Replace("{Capital}", cast.Country.Capital)
            .Replace("{Demonym}", cast.Country.Demonym)
            .Replace("{Org}", cast.Organization)
            .Replace("{Phrase2}", cast.Phrase2)
            .Replace("{Phrase}", cast.Phrase)
            .Replace("{Verb}", Verbs[random.Next(Verbs.Length)])
            .Replace("{Weekday}", day.DayOfWeek.ToString())
            .ToString();
        return Capitalise(text);
    }

    private static int Zipf(Random random, int n)
    {
        // Inverse-power sampling: rank 1 is picked about twice as often as rank 2, and so on.
        var x = Math.Pow(random.NextDouble(), 2.2);
        return Math.Min(n - 1, (int)(x * n));
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Slug(string text) => text.ToLowerInvariant().Replace(' ', '-');

    private sealed record CountryWords(string Name, string Capital, string Demonym);

    private sealed record Cast(CountryWords Country, CountryWords Country2, string Person, string Person2, string Organization, string Phrase, string Phrase2);

    /// <summary>The words articles are made of, read from the extractor's own data files.</summary>
    private sealed class Vocabulary
    {
        private readonly List<CountryWords> _countries = [];
        private readonly List<string> _people = [];
        private readonly List<string> _organizations = [];
        private readonly List<List<string>> _phrasesByTopic = [];

        public static Vocabulary Load()
        {
            var vocabulary = new Vocabulary();
            var byCode = new Dictionary<string, (string? Name, string? Capital, string? Demonym)>(StringComparer.Ordinal);
            foreach (var row in DataFiles.ReadTsv("countries.tsv"))
            {
                if (row.Length < 3)
                {
                    continue;
                }
                var entry = byCode.GetValueOrDefault(row[0]);
                entry = row[1] switch
                {
                    "canonical" => entry with { Name = row[2] },
                    "capital" when entry.Capital is null => entry with { Capital = row[2] },
                    "demonym" when entry.Demonym is null && !row[2].EndsWith('s') => entry with { Demonym = row[2] },
                    _ => entry,
                };
                byCode[row[0]] = entry;
            }
            // Ordered by code first so the fixed shuffle below gives the same order on every machine.
            vocabulary._countries.AddRange(byCode.OrderBy(c => c.Key, StringComparer.Ordinal)
                .Where(c => c.Value is { Name: not null, Capital: not null, Demonym: not null })
                .Select(c => new CountryWords(c.Value.Name!, c.Value.Capital!, c.Value.Demonym!)));
            vocabulary._people.AddRange(DataFiles.ReadTsv("people.tsv").Where(r => r[0].Length > 0).Select(r => r[0]));
            vocabulary._organizations.AddRange(DataFiles.ReadTsv("organizations.tsv").Where(r => r[0].Length > 0).Select(r => "the " + r[0]));
            using (var topics = JsonDocument.Parse(DataFiles.Open("topics.json")))
            {
                foreach (var topic in topics.RootElement.GetProperty("topics").EnumerateArray())
                {
                    if (topic.TryGetProperty("rules", out var rules))
                    {
                        // Multi-word rule phrases read as subjects ("humanitarian aid", "trade deficit").
                        var phrases = rules.EnumerateObject()
                            .Select(r => r.Name)
                            .Where(p => p.Contains(' ', StringComparison.Ordinal) && !p.Contains('*', StringComparison.Ordinal)
                                && !NotSubjects.Contains(p.Split(' ')[0]))
                            .ToList();
                        if (phrases.Count > 0)
                        {
                            vocabulary._phrasesByTopic.Add(phrases);
                        }
                    }
                }
            }
            // A fixed shuffle decides who is "famous": the power-law pick then favours the front of each list.
            var popularity = new Random(20240601);
            Shuffle(vocabulary._countries, popularity);
            Shuffle(vocabulary._people, popularity);
            Shuffle(vocabulary._organizations, popularity);
            if (vocabulary._countries.Count == 0 || vocabulary._people.Count == 0 || vocabulary._organizations.Count == 0 || vocabulary._phrasesByTopic.Count == 0)
            {
                throw new InvalidOperationException("The extraction data files lack countries, people, organisations or topic phrases.");
            }
            return vocabulary;
        }

        public Cast Cast(Random random)
        {
            var country = Pick(_countries, random);
            var other = Pick(_countries, random);
            // Mostly one topic per article, sometimes a second one, as real stories mix them.
            var topic = _phrasesByTopic[random.Next(_phrasesByTopic.Count)];
            var second = random.NextDouble() < 0.3 ? _phrasesByTopic[random.Next(_phrasesByTopic.Count)] : topic;
            return new Cast(country, other == country ? _countries[random.Next(_countries.Count)] : other,
                Pick(_people, random), Pick(_people, random), Pick(_organizations, random),
                topic[random.Next(topic.Count)], second[random.Next(second.Count)]);
        }

        private static T Pick<T>(List<T> items, Random random) => items[Zipf(random, items.Count)];

        private static void Shuffle<T>(List<T> items, Random random)
        {
            for (var i = items.Count - 1; i > 0; i--)
            {
                var j = random.Next(i + 1);
                (items[i], items[j]) = (items[j], items[i]);
            }
        }
    }
}
