using Dashboard.Web.Ingestion;
using Dashboard.Web.Ingestion.Parsers;

namespace Dashboard.Tests.Ingestion;

public class PlainTextParserTests
{
    [Fact]
    public void Seed_article_has_its_date_its_paragraphs_and_a_title_from_the_first_sentence()
    {
        var content = File.ReadAllText(TestPaths.SeedArticle);

        var article = PlainTextParser.Parse("seed.txt", content);

        Assert.Equal(new DateOnly(2024, 6, 1), article.Date);
        Assert.StartsWith("The talks, which were held over the phone on Friday", article.Text);
        Assert.Equal(11, article.Text.Split("\n\n").Length);
        Assert.StartsWith("The talks, which were held over the phone", article.Title);
        Assert.True(article.Title.Length <= PlainTextParser.MaxTitleLength + 1, article.Title);
        Assert.EndsWith("\u2026", article.Title);
        Assert.DoesNotContain("  ", article.Title);
        // Cut at a word boundary: the word before the ellipsis is a whole word of the sentence.
        var lastWord = article.Title.TrimEnd('\u2026').Split(' ')[^1];
        Assert.Contains(" " + lastWord + " ", article.Text);
    }

    [Fact]
    public void Text_without_header_has_no_date_and_a_short_first_sentence_is_the_whole_title()
    {
        var article = PlainTextParser.Parse("a.txt", "Iran and Algeria held talks. They discussed Gaza.\n\nSecond paragraph.");

        Assert.Null(article.Date);
        Assert.Equal("Iran and Algeria held talks", article.Title);
        Assert.Equal("Iran and Algeria held talks. They discussed Gaza.\n\nSecond paragraph.", article.Text);
    }

    [Fact]
    public void Header_on_its_own_line_and_windows_line_endings_are_read()
    {
        var article = PlainTextParser.Parse("b.txt", "date 2023-12-31\r\nFirst line\r\nsame paragraph.\r\n\r\nNext one.");

        Assert.Equal(new DateOnly(2023, 12, 31), article.Date);
        Assert.Equal("First line same paragraph.\n\nNext one.", article.Text);
    }

    [Theory]
    [InlineData("date 2024-02-30 Text.", "2024-02-30")]
    [InlineData("date 2024-13-01 Text.", "2024-13-01")]
    [InlineData("date 2024/06/01 Text.", "2024/06/01")]
    [InlineData(" date 24-6-1 Text.", "24-6-1")]
    [InlineData("date 2024-6-1 Text.", "2024-6-1")]
    [InlineData("date 2023-02-29 Text.", "2023-02-29")]
    public void An_impossible_date_is_an_error_naming_the_file_never_today(string content, string date)
    {
        var error = Assert.Throws<ArticleParseException>(() => PlainTextParser.Parse("bad-date.txt", content));

        Assert.Contains("bad-date.txt", error.Message);
        Assert.Contains(date, error.Message);
    }

    [Fact]
    public void A_header_with_no_text_after_it_is_an_error()
    {
        var error = Assert.Throws<ArticleParseException>(() => PlainTextParser.Parse("empty.txt", "date 2024-06-01\n\n  \n"));

        Assert.Contains("empty.txt", error.Message);
        Assert.Contains("no article text", error.Message);
    }

    [Fact]
    public void A_sentence_that_starts_with_the_word_date_is_not_a_header()
    {
        var article = PlainTextParser.Parse("c.txt", "Date night in Paris was cancelled.");

        Assert.Null(article.Date);
        Assert.Equal("Date night in Paris was cancelled", article.Title);
    }

    [Fact]
    public void Lines_join_into_paragraphs_with_single_spaces_and_blank_lines_split_them()
    {
        var body = "  Iran's  foreign\tminister\r\n met his\u00A0Algerian counterpart.\r\n \t \r\nThey spoke of Gaza.\n\n\n\nAnd   Rafah.  \n";

        Assert.Equal(
            ["Iran's foreign minister met his Algerian counterpart.", "They spoke of Gaza.", "And Rafah."],
            PlainTextParser.Paragraphs(body));
        Assert.Empty(PlainTextParser.Paragraphs(" \r\n\t\n "));
        Assert.Equal(["x"], PlainTextParser.Paragraphs("x"));
    }

    /// <summary>
    /// The text of many random bodies against the definition written plainly: lines split at \r\n, \r or \n; a line's
    /// words split at any white space and joined by one space; non-blank lines joined into paragraphs by one space;
    /// paragraphs joined by a blank line. The random bodies mix clean lines (copied whole by the parser) with every
    /// kind of white space, doubled spaces and spaces at either end (read character by character).
    /// </summary>
    [Fact]
    public void Text_matches_the_plain_definition_on_random_bodies()
    {
        var random = new Random(26);
        string[] pieces = ["Gaza", "Rafah", "a", "Iran's", "é", " ", " ", " ", "  ", "\t", "\n", "\r", "\r\n", "\n\n", "\u00A0", "\u2028", "\u3000", "\u0085", "\v"];
        for (var round = 0; round < 2_000; round++)
        {
            var body = string.Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => pieces[random.Next(pieces.Length)]));
            Assert.True(Expected(body) == PlainTextParser.Text(body), $"body {System.Text.Json.JsonSerializer.Serialize(body)}");
        }

        static string Expected(string body)
        {
            var paragraphs = new List<string>();
            var current = new List<string>();
            foreach (var line in System.Text.RegularExpressions.Regex.Split(body, "\r\n|\r|\n"))
            {
                var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0)
                {
                    if (current.Count > 0)
                    {
                        paragraphs.Add(string.Join(' ', current));
                        current.Clear();
                    }
                    continue;
                }
                current.Add(string.Join(' ', words));
            }
            if (current.Count > 0)
            {
                paragraphs.Add(string.Join(' ', current));
            }
            return string.Join(PlainTextParser.ParagraphBreak, paragraphs);
        }
    }

    [Fact]
    public void The_title_is_the_first_sentence_of_the_first_paragraph_cut_at_a_word()
    {
        Assert.Equal("Talks in Tehran", PlainTextParser.TitleFrom("Talks in Tehran. More words follow.\n\nSecond paragraph."));
        Assert.Equal("No full stop here", PlainTextParser.TitleFrom("No full stop here\n\nSecond. Paragraph."));
        var title = PlainTextParser.TitleFrom(string.Join(" ", Enumerable.Repeat("word", 60)) + ".");
        Assert.EndsWith("word\u2026", title);
        Assert.True(title.Length <= PlainTextParser.MaxTitleLength + 1);
    }

    [Theory]
    [InlineData("date 2024-02-29\n\nLeap day text.", 2024, 2, 29)]
    [InlineData("date 1999-12-31\n\nLast day of the century.", 1999, 12, 31)]
    public void Dates_in_the_header_are_read(string content, int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), PlainTextParser.Parse("a.txt", content).Date);
}
