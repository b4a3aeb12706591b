using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Dashboard.Web.Extraction;
using Dashboard.Web.Model;
using Xunit.Abstractions;

namespace Dashboard.Tests.Extraction;

/// <summary>Quality floors on real labelled data: Reuters-21578 places for countries, BBC categories for topics.</summary>
public sealed partial class EvaluationTests(ITestOutputHelper log)
{
    private static readonly ArticleExtractor Extractor = new();

    // Reuters place slugs that are not a country's current name.
    private static readonly Dictionary<string, string> SlugCodes = new(StringComparer.Ordinal)
    {
        ["usa"] = "US", ["uk"] = "GB", ["ussr"] = "RU", ["west-germany"] = "DE", ["east-germany"] = "DE", ["burma"] = "MM",
        ["zaire"] = "CD", ["czechoslovakia"] = "CZ", ["ivory-coast"] = "CI", ["uae"] = "AE", ["hong-kong"] = "HK",
        ["south-korea"] = "KR", ["north-korea"] = "KP", ["yemen-demo-republic"] = "YE", ["yemen-arab-republic"] = "YE",
        ["yugoslavia"] = "RS", ["cape-verde"] = "CV", ["netherlands-antilles"] = "CW", ["british-virgin-islands"] = "VG",
        ["us-virgin-islands"] = "VI", ["macau"] = "MO", ["taiwan"] = "TW", ["sri-lanka"] = "LK", ["vatican"] = "VA",
    };

    [Fact]
    public void Countries_on_reuters_stories()
    {
        var stories = ReadReuters(Path.Combine(SharedData.Path_("data", "reuters21578-dev"), "reut2-000.sgm"))
            .Concat(ReadReuters(Path.Combine(SharedData.Path_("data", "reuters21578-dev"), "reut2-001.sgm")))
            .Where(s => s.Places.Count > 0)
            .Take(600)
            .ToList();
        int tp = 0, fp = 0, fn = 0, focusTp = 0, focusFp = 0;
        foreach (var story in stories)
        {
            var result = Extractor.Extract(story.Title, story.Body);
            var found = result.Mentions.Where(m => m.Kind == EntityKind.Country).Select(m => m.Key).ToHashSet();
            tp += found.Count(story.Places.Contains);
            fp += found.Count(k => !story.Places.Contains(k));
            fn += story.Places.Count(k => !found.Contains(k));
            focusTp += result.Focus.Count(story.Places.Contains);
            focusFp += result.Focus.Count(k => !story.Places.Contains(k));
        }
        var precision = tp / (double)(tp + fp);
        var recall = tp / (double)(tp + fn);
        var focusPrecision = focusTp / (double)(focusTp + focusFp);
        log.WriteLine($"{stories.Count} stories: precision {precision:F3}, recall {recall:F3}, focus precision {focusPrecision:F3}");

        // Reached 0.754 / 0.895 / 0.885. Reuters editors label the places a story is about, not every
        // country it names, so precision is understated; focus countries should mostly be labelled ones.
        Assert.True(precision >= 0.72, $"precision {precision:F3}");
        Assert.True(recall >= 0.86, $"recall {recall:F3}");
        Assert.True(focusPrecision >= 0.85, $"focus precision {focusPrecision:F3}");
    }

    [Fact]
    public void Topics_on_bbc_articles()
    {
        var expected = new Dictionary<string, string[]>
        {
            ["business"] = ["business", "economy-and-trade"],
            ["entertainment"] = ["culture-and-entertainment"],
            ["politics"] = ["politics", "elections"],
            ["sport"] = ["sport"],
            ["tech"] = ["science-and-technology"],
        };
        int right = 0, total = 0, sportWithConflict = 0, sport = 0;
        foreach (var (category, keys) in expected)
        {
            foreach (var file in Directory.EnumerateFiles(SharedData.Path_("data", "bbc-news-dev", category), "*.txt").Order().Take(60))
            {
                var lines = File.ReadAllText(file, Encoding.Latin1).Split('\n', 2);
                var topics = Extractor.Extract(lines[0], lines.Length > 1 ? lines[1] : "").Topics;
                total++;
                right += topics.Count > 0 && keys.Contains(topics[0].Key) ? 1 : 0;
                if (category == "sport")
                {
                    sport++;
                    sportWithConflict += topics.Any(t => t.Key == "armed-conflict") ? 1 : 0;
                }
            }
        }
        var accuracy = right / (double)total;
        log.WriteLine($"{total} articles: top topic right {accuracy:F3}; sport with armed conflict {sportWithConflict}/{sport}");
        // Reached 0.840 with no sport article tagged armed conflict.
        Assert.True(accuracy >= 0.80, $"accuracy {accuracy:F3}");
        Assert.True(sportWithConflict <= sport / 20, $"{sportWithConflict} of {sport} sport articles tagged armed conflict");
    }

    private static IEnumerable<(string Title, string Body, HashSet<string> Places)> ReadReuters(string path)
    {
        var sgml = File.ReadAllText(path, Encoding.Latin1);
        foreach (Match story in StoryPattern().Matches(sgml))
        {
            var body = BodyPattern().Match(story.Value);
            if (!body.Success)
            {
                continue;
            }
            var places = PlacePattern().Matches(PlacesPattern().Match(story.Value).Value)
                .Select(m => Code(m.Groups[1].Value)).OfType<string>().ToHashSet();
            var title = TitlePattern().Match(story.Value);
            // The dateline ("LONDON, March 3 -") opens the story as it does in most wire copy.
            var dateline = DatelinePattern().Match(story.Value).Groups[1].Value.Trim();
            yield return (WebUtility.HtmlDecode(title.Groups[1].Value), WebUtility.HtmlDecode(dateline + " " + body.Groups[1].Value), places);
        }
    }

    private static string? Code(string slug)
    {
        if (SlugCodes.TryGetValue(slug, out var code))
        {
            return code;
        }
        // Other slugs are the country's name: read it the way an article would name it.
        var name = string.Join(' ', slug.Split('-').Select(w => w is "and" or "of" or "the" ? w : char.ToUpperInvariant(w[0]) + w[1..]));
        return Extractor.Extract(null, name).Mentions.FirstOrDefault(m => m.Kind == EntityKind.Country && m.End - m.Start == name.Length)?.Key;
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
