using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Dashboard.Web.Extraction;
using Dashboard.Web.Model;

namespace Dashboard.Web.Evaluation;

/// <summary>A Reuters-21578 story: title, dateline and body as an article would carry them, and its editors' places as ISO codes.</summary>
public sealed record ReutersStory(string Title, string Body, IReadOnlySet<string> Places);

/// <summary>Country precision and recall on Reuters-21578 stories against their &lt;PLACES&gt; labels.</summary>
public static partial class ReutersEvaluation
{
    // Reuters place slugs that are not a country's current name; the rest are read as names by the extractor.
    private static readonly Dictionary<string, string> SlugCodes = new(StringComparer.Ordinal)
    {
        ["usa"] = "US", ["uk"] = "GB", ["ussr"] = "RU", ["west-germany"] = "DE", ["east-germany"] = "DE", ["burma"] = "MM",
        ["zaire"] = "CD", ["czechoslovakia"] = "CZ", ["ivory-coast"] = "CI", ["uae"] = "AE", ["hong-kong"] = "HK",
        ["south-korea"] = "KR", ["north-korea"] = "KP", ["yemen-demo-republic"] = "YE", ["yemen-arab-republic"] = "YE",
        ["yugoslavia"] = "RS", ["cape-verde"] = "CV", ["netherlands-antilles"] = "CW", ["british-virgin-islands"] = "VG",
        ["us-virgin-islands"] = "VI", ["macau"] = "MO", ["taiwan"] = "TW", ["sri-lanka"] = "LK", ["vatican"] = "VA",
    };

    /// <summary>The stories of every reut2-*.sgm file in <paramref name="folder"/> that have a body and at least one known place.</summary>
    public static List<ReutersStory> Read(string folder, ArticleExtractor extractor, int? limitFiles = null)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        var codes = new Dictionary<string, string?>(StringComparer.Ordinal);
        var stories = new List<ReutersStory>();
        var files = Directory.EnumerateFiles(folder, "reut2-*.sgm").Order(StringComparer.Ordinal);
        foreach (var file in limitFiles is { } n ? files.Take(n) : files)
        {
            var sgml = File.ReadAllText(file, Encoding.Latin1);
            foreach (Match story in StoryPattern().Matches(sgml))
            {
                var body = BodyPattern().Match(story.Value);
                if (!body.Success)
                {
                    continue;
                }
                var places = new HashSet<string>(StringComparer.Ordinal);
                foreach (Match place in PlacePattern().Matches(PlacesPattern().Match(story.Value).Value))
                {
                    var slug = place.Groups[1].Value;
                    if (!codes.TryGetValue(slug, out var code))
                    {
                        codes[slug] = code = Code(slug, extractor);
                    }
                    if (code is not null)
                    {
                        places.Add(code);
                    }
                }
                if (places.Count == 0)
                {
                    continue;
                }
                var title = TitlePattern().Match(story.Value).Groups[1].Value;
                // The dateline ("LONDON, March 3 -") opens the story as it does in most wire copy.
                var dateline = DatelinePattern().Match(story.Value).Groups[1].Value.Trim();
                stories.Add(new ReutersStory(WebUtility.HtmlDecode(title), WebUtility.HtmlDecode(dateline + " " + body.Groups[1].Value), places));
            }
        }
        return stories;
    }

    /// <summary>Countries over all mentions and over focus, each once with every label and once without the US.</summary>
    /// <remarks>Reuters labels much US company news "usa" without the story naming the country, so the second reading
    /// drops the US from both the labels and the extractor's answers (and stories left without labels).</remarks>
    public static IReadOnlyList<Measure> Evaluate(ArticleExtractor extractor, IEnumerable<ReutersStory> stories)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        var tallies = new Tally[4];
        foreach (var story in stories)
        {
            var result = extractor.Extract(story.Title, story.Body);
            var mentioned = result.Mentions.Where(m => m.Kind == EntityKind.Country).Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
            var focus = result.Focus.ToHashSet(StringComparer.Ordinal);
            tallies[0].Add(mentioned, story.Places, null);
            tallies[1].Add(mentioned, story.Places, "US");
            tallies[2].Add(focus, story.Places, null);
            tallies[3].Add(focus, story.Places, "US");
        }
        return
        [
            tallies[0].Measure("countries, Reuters dev, all mentions"),
            tallies[1].Measure("countries, Reuters dev, all mentions, without usa"),
            tallies[2].Measure("countries, Reuters dev, focus"),
            tallies[3].Measure("countries, Reuters dev, focus, without usa"),
        ];
    }

    private static string? Code(string slug, ArticleExtractor extractor)
    {
        if (SlugCodes.TryGetValue(slug, out var code))
        {
            return code;
        }
        // Other slugs are the country's name: read it the way an article would name it.
        var name = string.Join(' ', slug.Split('-').Select(w => w is "and" or "of" or "the" ? w : char.ToUpperInvariant(w[0]) + w[1..]));
        return extractor.Extract(null, name).Mentions.FirstOrDefault(m => m.Kind == EntityKind.Country && m.End - m.Start == name.Length)?.Key;
    }

    private struct Tally
    {
        private int _tp, _fp, _fn, _stories;

        public void Add(IReadOnlySet<string> found, IReadOnlySet<string> gold, string? without)
        {
            var goldCount = 0;
            foreach (var g in gold)
            {
                if (g == without)
                {
                    continue;
                }
                goldCount++;
                _fn += found.Contains(g) ? 0 : 1;
            }
            if (goldCount == 0)
            {
                return;
            }
            _stories++;
            foreach (var f in found)
            {
                if (f == without)
                {
                    continue;
                }
                if (gold.Contains(f))
                {
                    _tp++;
                }
                else
                {
                    _fp++;
                }
            }
        }

        public readonly Measure Measure(string name) => Evaluation.Measure.FromCounts(name, _tp, _fp, _fn, _stories);
    }

    [GeneratedRegex("<REUTERS.*?</REUTERS>", RegexOptions.Singleline)]
    private static partial Regex StoryPattern();

    [GeneratedRegex("<BODY>(.*?)</BODY>", RegexOptions.Singleline)]
    private static partial Regex BodyPattern();

    [GeneratedRegex("<TITLE>(.*?)</TITLE>", RegexOptions.Singleline)]
    private static partial Regex TitlePattern();

    [GeneratedRegex("<DATELINE>(.*?)</DATELINE>", RegexOptions.Singleline)]
    private static partial Regex DatelinePattern();

    [GeneratedRegex("<PLACES>.*?</PLACES>", RegexOptions.Singleline)]
    private static partial Regex PlacesPattern();

    [GeneratedRegex("<D>(.*?)</D>")]
    private static partial Regex PlacePattern();
}
