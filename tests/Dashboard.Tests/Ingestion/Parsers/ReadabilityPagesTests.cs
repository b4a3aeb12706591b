using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Ingestion.Parsers;
using Xunit.Abstractions;

namespace Dashboard.Tests.Ingestion.Parsers;

/// <summary>
/// Mozilla Readability's test pages: each saved page through the upload parser, against the expected title
/// (exact match), byline, site name, published day, and main text (token F1 against expected.html).
/// </summary>
public partial class ReadabilityPagesTests(ITestOutputHelper output)
{
    [Fact]
    public void Readability_pages_give_the_expected_title_and_main_text_above_the_pinned_floors()
    {
        var folder = Path.Combine(TestPaths.Shared, "data", "readability");
        var pages = Directory.GetDirectories(folder).Where(d => File.Exists(Path.Combine(d, "source.html"))).Order().ToList();
        Assert.True(pages.Count > 100, $"only {pages.Count} readability pages under {folder}");
        var tally = new Dictionary<string, (int Match, int Total)>();
        var failures = new List<string>();
        var misses = new List<string>();

        // SmartReader takes seconds on the largest page (wikipedia-2, 1 MB): the pages are read side by side.
        var results = new (ParsedArticle? Article, string? Failure, string ExpectedText)[pages.Count];
        Parallel.For(0, pages.Count, i =>
        {
            var name = Path.GetFileName(pages[i]);
            var expectedText = new HtmlParser().ParseDocument(File.ReadAllText(Path.Combine(pages[i], "expected.html"))).Body?.TextContent ?? "";
            try
            {
                results[i] = (ArticleParser.Parse(name + "/source.html", File.ReadAllBytes(Path.Combine(pages[i], "source.html")))[0], null, expectedText);
            }
            catch (ArticleParseException ex)
            {
                results[i] = (null, ex.Message, expectedText);
            }
        });

        double f1Sum = 0;
        for (var i = 0; i < pages.Count; i++)
        {
            var (article, failure, expectedText) = results[i];
            if (failure is not null)
            {
                failures.Add(failure);
            }
            using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(pages[i], "expected-metadata.json")));
            var name = Path.GetFileName(pages[i]);
            Count(name, "title", Expected(metadata, "title"), article?.Title, e => article?.Title == e);
            // Readability's byline is the raw text ("By Lucy Akins", "Last Updated: January 7, 2025"); the upload keeps the
            // author's name (Byline.Clean), so the expectation is read the same way.
            Count(name, "byline", Expected(metadata, "byline"), article?.Author, e => article?.Author == Byline.Clean(e));
            Count(name, "site name", Expected(metadata, "siteName"), article?.Source, e => article?.Source == e);
            Count(name, "published day", Expected(metadata, "publishedTime"), article?.Date?.ToString("yyyy-MM-dd"), e =>
                DateTimeOffset.TryParse(e, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var d)
                && article?.Date == DateOnly.FromDateTime(d.UtcDateTime));
            f1Sum += F1(Tokens(expectedText), Tokens(article?.Text ?? ""));
        }

        var meanF1 = f1Sum / pages.Count;
        foreach (var (field, (match, total)) in tally.OrderBy(t => t.Key))
        {
            output.WriteLine($"readability {field}: {match}/{total} = {100.0 * match / total:F1}%");
        }
        output.WriteLine($"readability main text token F1 (mean over {pages.Count} pages): {meanF1:F3}");
        foreach (var failure in failures)
        {
            output.WriteLine("  failed: " + failure);
        }
        foreach (var miss in misses)
        {
            output.WriteLine("  miss: " + miss);
        }
        // Measured here: title 94.0%, byline 97.0% (95.5% before a one-word byline in capitals gave way to a declared name,
        // 86.4% before the author a page declares was read where SmartReader finds no byline, 75.8% against the raw text
        // before bylines were cleaned), site name 100%, published day 96.6%, token F1 0.974.
        Assert.True(Share("title") >= 0.90, $"title exact-match rate {Share("title"):P1}");
        Assert.True(meanF1 >= 0.95, $"mean token F1 {meanF1:F3}");
        Assert.True(Share("byline") >= 0.95, $"byline match rate {Share("byline"):P1}");
        Assert.True(Share("site name") >= 0.95, $"site name match rate {Share("site name"):P1}");
        Assert.True(Share("published day") >= 0.90, $"published day match rate {Share("published day"):P1}");

        void Count(string page, string field, string? expected, string? actual, Func<string, bool> matches)
        {
            if (expected is null)
            {
                return;
            }
            var ok = matches(expected);
            var (match, total) = tally.GetValueOrDefault(field);
            tally[field] = (match + (ok ? 1 : 0), total + 1);
            if (!ok)
            {
                misses.Add($"{field} {page}: expected \"{expected}\", got \"{actual}\"");
            }
        }

        double Share(string field) => tally.TryGetValue(field, out var t) && t.Total > 0 ? (double)t.Match / t.Total : 1;
    }

    private static string? Expected(JsonDocument metadata, string name) =>
        metadata.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(value.GetString()) ? value.GetString()!.Trim() : null;

    private static List<string> Tokens(string text) =>
        Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToList();

    /// <summary>Bag-of-words F1: each token counts as often as it occurs in both texts.</summary>
    private static double F1(List<string> expected, List<string> actual)
    {
        if (expected.Count == 0 || actual.Count == 0)
        {
            return expected.Count == actual.Count ? 1 : 0;
        }
        var counts = expected.GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        var overlap = 0;
        foreach (var token in actual)
        {
            if (counts.TryGetValue(token, out var left) && left > 0)
            {
                counts[token] = left - 1;
                overlap++;
            }
        }
        var precision = (double)overlap / actual.Count;
        var recall = (double)overlap / expected.Count;
        return overlap == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
