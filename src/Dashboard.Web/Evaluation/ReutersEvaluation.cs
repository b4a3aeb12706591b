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
    // Every slug of the Reuters <PLACES> vocabulary (all-places-strings.lc.txt) and its ISO 3166-1 code, written out rather
    // than read through the extractor, so the labels never depend on what is being measured. States gone since 1987 map to
    // the successor that kept the name or the capital: ussr -> RU, west- and east-germany -> DE, czechoslovakia -> CZ,
    // yugoslavia -> RS, both Yemens -> YE, zaire -> CD, kampuchea -> KH, netherlands-antilles -> CW (Curacao, its seat).
    private static readonly Dictionary<string, string> SlugCodes = new(StringComparer.Ordinal)
    {
        ["afghanistan"] = "AF", ["albania"] = "AL", ["algeria"] = "DZ", ["american-samoa"] = "AS", ["andorra"] = "AD",
        ["angola"] = "AO", ["anguilla"] = "AI", ["antigua"] = "AG", ["argentina"] = "AR", ["aruba"] = "AW", ["australia"] = "AU",
        ["austria"] = "AT", ["bahamas"] = "BS", ["bahrain"] = "BH", ["bangladesh"] = "BD", ["barbados"] = "BB",
        ["belgium"] = "BE", ["belize"] = "BZ", ["benin"] = "BJ", ["bermuda"] = "BM", ["bhutan"] = "BT", ["bolivia"] = "BO",
        ["botswana"] = "BW", ["brazil"] = "BR", ["british-virgin-islands"] = "VG", ["brunei"] = "BN", ["bulgaria"] = "BG",
        ["burkina-faso"] = "BF", ["burma"] = "MM", ["burundi"] = "BI", ["cameroon"] = "CM", ["canada"] = "CA",
        ["cape-verde"] = "CV", ["cayman-islands"] = "KY", ["central-african-republic"] = "CF", ["chad"] = "TD", ["chile"] = "CL",
        ["china"] = "CN", ["colombia"] = "CO", ["congo"] = "CG", ["costa-rica"] = "CR", ["cuba"] = "CU", ["cyprus"] = "CY",
        ["czechoslovakia"] = "CZ", ["denmark"] = "DK", ["djibouti"] = "DJ", ["dominica"] = "DM", ["dominican-republic"] = "DO",
        ["east-germany"] = "DE", ["ecuador"] = "EC", ["egypt"] = "EG", ["el-salvador"] = "SV", ["equatorial-guinea"] = "GQ",
        ["ethiopia"] = "ET", ["fiji"] = "FJ", ["finland"] = "FI", ["france"] = "FR", ["french-guiana"] = "GF", ["gabon"] = "GA",
        ["gambia"] = "GM", ["ghana"] = "GH", ["gibraltar"] = "GI", ["greece"] = "GR", ["grenada"] = "GD", ["guadeloupe"] = "GP",
        ["guam"] = "GU", ["guatemala"] = "GT", ["guinea"] = "GN", ["guinea-bissau"] = "GW", ["guyana"] = "GY", ["haiti"] = "HT",
        ["honduras"] = "HN", ["hong-kong"] = "HK", ["hungary"] = "HU", ["iceland"] = "IS", ["india"] = "IN", ["indonesia"] = "ID",
        ["iran"] = "IR", ["iraq"] = "IQ", ["ireland"] = "IE", ["israel"] = "IL", ["italy"] = "IT", ["ivory-coast"] = "CI",
        ["jamaica"] = "JM", ["japan"] = "JP", ["jordan"] = "JO", ["kampuchea"] = "KH", ["kenya"] = "KE", ["kuwait"] = "KW",
        ["laos"] = "LA", ["lebanon"] = "LB", ["lesotho"] = "LS", ["liberia"] = "LR", ["libya"] = "LY", ["liechtenstein"] = "LI",
        ["luxembourg"] = "LU", ["macao"] = "MO", ["madagascar"] = "MG", ["malawi"] = "MW", ["malaysia"] = "MY", ["mali"] = "ML",
        ["malta"] = "MT", ["martinique"] = "MQ", ["mauritania"] = "MR", ["mauritius"] = "MU", ["mexico"] = "MX",
        ["monaco"] = "MC", ["morocco"] = "MA", ["mozambique"] = "MZ", ["namibia"] = "NA", ["nepal"] = "NP",
        ["netherlands"] = "NL", ["netherlands-antilles"] = "CW", ["new-caledonia"] = "NC", ["new-zealand"] = "NZ",
        ["nicaragua"] = "NI", ["niger"] = "NE", ["nigeria"] = "NG", ["north-korea"] = "KP", ["norway"] = "NO", ["oman"] = "OM",
        ["pakistan"] = "PK", ["panama"] = "PA", ["papua-new-guinea"] = "PG", ["paraguay"] = "PY", ["peru"] = "PE",
        ["philippines"] = "PH", ["poland"] = "PL", ["portugal"] = "PT", ["qatar"] = "QA", ["romania"] = "RO", ["rwanda"] = "RW",
        ["saudi-arabia"] = "SA", ["senegal"] = "SN", ["seychelles"] = "SC", ["sierra-leone"] = "SL", ["singapore"] = "SG",
        ["somalia"] = "SO", ["south-africa"] = "ZA", ["south-korea"] = "KR", ["spain"] = "ES", ["sri-lanka"] = "LK",
        ["sudan"] = "SD", ["suriname"] = "SR", ["swaziland"] = "SZ", ["sweden"] = "SE", ["switzerland"] = "CH", ["syria"] = "SY",
        ["taiwan"] = "TW", ["tanzania"] = "TZ", ["thailand"] = "TH", ["togo"] = "TG", ["tonga"] = "TO",
        ["trinidad-tobago"] = "TT", ["tunisia"] = "TN", ["turkey"] = "TR", ["uae"] = "AE", ["uganda"] = "UG", ["uk"] = "GB",
        ["uruguay"] = "UY", ["us-virgin-islands"] = "VI", ["usa"] = "US", ["ussr"] = "RU", ["vanuatu"] = "VU", ["vatican"] = "VA",
        ["venezuela"] = "VE", ["vietnam"] = "VN", ["west-germany"] = "DE", ["western-samoa"] = "WS",
        ["yemen-arab-republic"] = "YE", ["yemen-demo-republic"] = "YE", ["yugoslavia"] = "RS", ["zaire"] = "CD",
        ["zambia"] = "ZM", ["zimbabwe"] = "ZW",
    };

    /// <summary>The ISO 3166-1 alpha-2 code of a Reuters place slug, or null for a slug outside the vocabulary.</summary>
    public static string? IsoCode(string slug) => SlugCodes.GetValueOrDefault(slug);

    /// <summary>The stories of every reut2-*.sgm file in <paramref name="folder"/> that have a body and at least one place.</summary>
    public static List<ReutersStory> Read(string folder, int? limitFiles = null)
    {
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
                    // A slug outside the vocabulary would be a data error: fail loudly rather than drop a label.
                    var slug = place.Groups[1].Value;
                    places.Add(SlugCodes.TryGetValue(slug, out var code) ? code : throw new InvalidDataException($"Reuters place '{slug}' in {file} has no ISO code"));
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
