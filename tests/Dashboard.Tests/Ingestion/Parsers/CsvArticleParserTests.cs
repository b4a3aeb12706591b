using System.IO.Compression;
using System.Text;
using Dashboard.Web.Api;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Ingestion.Parsers;

namespace Dashboard.Tests.Ingestion.Parsers;

/// <summary>Spreadsheets of articles saved as CSV or TSV by other tools: one article per row, detected from the content.</summary>
public class CsvArticleParserTests
{
    [Fact]
    public void A_spreadsheet_export_gives_one_article_per_row_with_quotes_line_breaks_bom_and_crlf()
    {
        var csv = "Headline,Body,Date,Link,Publisher\r\n"
            + "\"Talks, at last\",\"Ministers met in Algiers.\r\n\r\nThey spoke of \"\"fisheries\"\".\",2024-06-01T10:00:00+02:00,https://e.org/1,Wire\r\n"
            + "Second,<p>Shares <b>rose</b> &amp; fell.</p>,\"Sat, 01 Jun 2024 23:30:00 -0500\",https://e.org/2,\r\n";
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray();

        var result = ArticleParser.Read("sheet.txt", bytes);

        Assert.Empty(result.Skipped);
        Assert.Equal(2, result.Articles.Count);
        var first = result.Articles[0];
        Assert.Equal(("Talks, at last", "Ministers met in Algiers.\n\nThey spoke of \"fisheries\".", "https://e.org/1", "Wire"), (first.Title, first.Text, first.Url, first.Source));
        Assert.Equal(new DateOnly(2024, 6, 1), first.Date);
        Assert.Equal(TimeSpan.FromHours(2), first.PublishedAt!.Value.Offset);
        var second = result.Articles[1];
        Assert.Equal(("Second", "Shares rose & fell.", null), (second.Title, second.Text, second.Source));
        Assert.Equal(new DateOnly(2024, 6, 2), second.Date);
    }

    [Fact]
    public void Semicolon_and_tab_separated_files_read_authors_categories_and_the_title_from_the_text()
    {
        var semicolon = "title;text;author;tags;media_name;published_at\n;Peru and Chile signed a fisheries accord. It runs ten years.;Ann;politics, sea;Andina;1717236000\n";
        var tab = "headline\tstory\tbyline\tpermalink\nTab one\tFirst, with commas, in the text.\tBo\thttps://e.org/t\n";

        var fromSemicolon = Assert.Single(ArticleParser.Parse("a.csv", Encoding.UTF8.GetBytes(semicolon)));
        var fromTab = Assert.Single(ArticleParser.Parse("b.tsv", Encoding.UTF8.GetBytes(tab)));

        // The title is the text's first sentence, as for a JSON item without one.
        Assert.Equal("Peru and Chile signed a fisheries accord", fromSemicolon.Title);
        Assert.Equal(("Ann", "Andina"), (fromSemicolon.Author, fromSemicolon.Source));
        Assert.Equal(["politics", "sea"], fromSemicolon.Categories);
        // 1717236000 is 2024-06-01T10:00Z as Unix seconds, read as a JSON number would be.
        Assert.Equal(new DateOnly(2024, 6, 1), fromSemicolon.Date);
        Assert.Equal(("Tab one", "First, with commas, in the text.", "Bo", "https://e.org/t"), (fromTab.Title, fromTab.Text, fromTab.Author, fromTab.Url));
    }

    [Fact]
    public void Numeric_dates_are_read_in_the_order_of_day_and_month_the_whole_file_shows()
    {
        static DateOnly?[] Dates(string csv) => ArticleParser.Parse("dates.csv", Encoding.UTF8.GetBytes(csv)).Select(a => a.Date).ToArray();
        static string Sheet(char delimiter, params string[] dates) =>
            $"title{delimiter}text{delimiter}date\n" + string.Concat(dates.Select((d, i) => $"Story {i}{delimiter}Ministers of Chile and Peru met in Lima.{delimiter}{d}\n"));

        // A 13th settles the order for the whole file: the 1st of June is not read as the 6th of January.
        Assert.Equal([new DateOnly(2024, 6, 1), new DateOnly(2024, 6, 13)], Dates(Sheet(',', "01/06/2024", "13/06/2024 18:30")));
        Assert.Equal([new DateOnly(2024, 6, 1), new DateOnly(2024, 6, 13)], Dates(Sheet(',', "06/01/2024", "06/13/2024")));
        // Without a telling date: semicolons and dots are written where the day comes first, commas and slashes as in the US.
        Assert.Equal([new DateOnly(2024, 6, 1)], Dates(Sheet(';', "01/06/2024")));
        Assert.Equal([new DateOnly(2024, 6, 1)], Dates(Sheet(',', "1.6.2024")));
        Assert.Equal([new DateOnly(2024, 1, 6)], Dates(Sheet(',', "01/06/2024")));
    }

    [Fact]
    public void Rows_with_the_wrong_cell_count_or_no_text_are_skipped_by_row_number_and_the_rest_are_read()
    {
        var csv = "title,text,date\n"
            + "One,First story.,2024-06-01\n"
            + "Two,\"Second story\nover two lines.\",2024-06-02\n"
            + "Three,Too many,2024-06-03,extra\n"
            + "\n"
            + "Four,,2024-06-04\n"
            + "#hashtag,A title that starts like a comment.,2024-06-05\n"
            + "Five,Trailing empty cell.,2024-06-06,\n";

        var result = ArticleParser.Read("stories.csv", Encoding.UTF8.GetBytes(csv));

        Assert.Equal(["One", "Two", "#hashtag", "Five"], result.Articles.Select(a => a.Title));
        // Rows as a spreadsheet numbers them: the header is row 1, the two-line cell is one row, the blank line is row 5.
        Assert.Equal(
            ["stories.csv: row 4 has 4 cells where the header has 3", "stories.csv: row 6 (\"Four\") has no text (no text, body, content or description column)"],
            result.Skipped);
    }

    [Fact]
    public void A_media_cloud_story_list_has_no_text_and_fails_naming_its_rows_as_json_items_without_text_do()
    {
        var csv = "stories_id,publish_date,title,url,language,ap_syndicated,themes,media_id,media_name,media_url\n"
            + "1,2024-06-01 10:00:00,Talks resume,https://e.org/1,en,False,,7,Wire,https://e.org\n"
            + "2,2024-06-02 11:00:00.123456,Talks end,https://e.org/2,en,False,,7,Wire,https://e.org\n";

        var error = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("stories.csv", Encoding.UTF8.GetBytes(csv)));

        Assert.StartsWith("stories.csv: none of the CSV rows is an article with text", error.Message);
        Assert.Contains("none holds the articles' text", error.Message);
        Assert.Contains("row 2 (\"Talks resume\") has no text", error.Message);
        Assert.Contains("row 3 (\"Talks end\") has no text", error.Message);
    }

    [Fact]
    public void Read_for_ingestion_a_media_cloud_story_list_gives_each_rows_link_with_its_title_date_and_outlet_as_pages_to_fetch()
    {
        var csv = "stories_id,publish_date,title,url,language,ap_syndicated,themes,media_id,media_name,media_url\n"
            + "1,2024-06-01 10:00:00,Talks resume,https://e.org/1,en,False,,7,Wire,https://e.org\n"
            + "2,2024-06-02 11:00:00.123456,Talks end,https://e.org/2?utm_source=x,en,False,,7,Wire,https://e.org\n"
            + "3,2024-06-03 09:00:00,No link at all,,en,False,,7,Wire,https://e.org\n"
            + "4,2024-06-03 09:30:00,A link that is not the web,ftp://e.org/4,en,False,,7,Wire,https://e.org\n";

        var result = ArticleParser.Read("stories.csv", Encoding.UTF8.GetBytes(csv), pagesToFetch: true);

        Assert.Empty(result.Articles);
        Assert.Equal(["https://e.org/1", "https://e.org/2?utm_source=x"], result.Pages.Select(p => p.Url));
        Assert.Equal(["Talks resume", "Talks end"], result.Pages.Select(p => p.Title));
        Assert.Equal([new DateOnly(2024, 6, 1), new DateOnly(2024, 6, 2)], result.Pages.Select(p => p.Date));
        Assert.All(result.Pages, p => Assert.Equal(("Wire", ""), (p.Source, p.Text)));
        // Rows with no web address to fetch are still left out with their reason.
        Assert.Equal(2, result.Skipped.Count);
        Assert.Contains("row 4 (\"No link at all\") has no text", result.Skipped[0]);
        Assert.Contains("row 5 (\"A link that is not the web\") has no text", result.Skipped[1]);
    }

    [Fact]
    public void Read_for_ingestion_json_items_without_text_give_their_links_and_items_with_text_stay_articles()
    {
        var json = """
            [{"title": "Talks resume", "url": "https://e.org/1", "publish_date": "2024-06-01T10:00:00Z", "media_name": "Wire", "tags": ["diplomacy"]},
             {"title": "Talks end", "text": "The foreign ministers of Chile and Peru ended their talks in Lima.", "url": "https://e.org/2"}]
            """;

        var result = ArticleParser.Read("stories.json", Encoding.UTF8.GetBytes(json), pagesToFetch: true);
        var plain = ArticleParser.Read("stories.json", Encoding.UTF8.GetBytes(json));

        var article = Assert.Single(result.Articles);
        Assert.Equal("Talks end", article.Title);
        var page = Assert.Single(result.Pages);
        Assert.Equal(("https://e.org/1", "Talks resume", new DateOnly(2024, 6, 1), "Wire"), (page.Url, page.Title, page.Date, page.Source));
        Assert.Equal(["diplomacy"], page.Categories);
        Assert.Empty(result.Skipped);
        // Read for anything else (parse, a feed), the item without text is left out with its reason, as before.
        Assert.Single(plain.Articles);
        Assert.Empty(plain.Pages);
        Assert.Contains("item 1 (\"Talks resume\") has no text", Assert.Single(plain.Skipped));
    }

    [Fact]
    public void Read_for_ingestion_a_gdelt_article_list_gives_its_links_with_the_day_gdelt_saw_them()
    {
        // The GDELT DOC API's "artlist" answer, as JSON: seendate in ISO 8601's basic format, the outlet as its domain.
        var json = """
            {"articles": [{"url": "https://www.e.org/world/talks", "url_mobile": "", "title": "Talks resume in Lima", "seendate": "20240601T101500Z",
              "socialimage": "", "domain": "e.org", "language": "English", "sourcecountry": "Peru"}]}
            """;

        var page = Assert.Single(ArticleParser.Read("artlist.json", Encoding.UTF8.GetBytes(json), pagesToFetch: true).Pages);

        Assert.Equal(("https://www.e.org/world/talks", "Talks resume in Lima", new DateOnly(2024, 6, 1), "e.org"), (page.Url, page.Title, page.Date, page.Source));
        Assert.Equal(new DateTimeOffset(2024, 6, 1, 10, 15, 0, TimeSpan.Zero), page.PublishedAt);
    }

    [Fact]
    public void Prose_with_commas_and_the_seed_article_stay_plain_text()
    {
        var seed = File.ReadAllBytes(TestPaths.SeedArticle);
        var prose = "Title, date and text were discussed, the minister said, and the source, a diplomat, agreed.\n\nThe talks, held in Lima, went on.";
        var list = "text, body, title\nare words this story uses, and nothing more.";

        Assert.Null(CsvArticleParser.Detect(Encoding.UTF8.GetString(seed)));
        Assert.Null(CsvArticleParser.Detect(prose));
        var fromSeed = Assert.Single(ArticleParser.Parse("seed.txt", seed));
        var fromProse = Assert.Single(ArticleParser.Parse("prose.txt", Encoding.UTF8.GetBytes(prose)));
        // A header-like first line whose next line does not split into as many cells is not a CSV either.
        var fromList = Assert.Single(ArticleParser.Parse("list.txt", Encoding.UTF8.GetBytes(list)));

        Assert.Equal(new DateOnly(2024, 6, 1), fromSeed.Date);
        Assert.StartsWith("The talks, which were held over the phone on Friday", fromSeed.Text);
        Assert.StartsWith("Title, date and text were discussed", fromProse.Title);
        Assert.StartsWith("text, body, title", fromList.Text);
    }

    [Fact]
    public void The_dashboards_own_export_is_seen_past_its_comment_lines_and_refused_for_having_no_text()
    {
        // The two lines ExportEndpoints writes before the header of GET /api/export/articles.csv.
        var export = "# News Monitor export articles.csv, made 2024-06-03 08:00:00Z\n# view: from=2024-06-01&q=talks, peru\n"
            + "id,date,title,source,url,author,countries,people,organizations,topics\n"
            + $"12,2024-06-01,{ExportEndpoints.Csv("Talks, resumed")},Wire,https://e.org/1,Ann,PE,,,\n";

        var layout = CsvArticleParser.Detect(export);
        var error = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("articles.csv", Encoding.UTF8.GetBytes(export)));

        Assert.Equal((',', 2), (layout!.Delimiter, layout.LinesBefore));
        Assert.Contains("row 4 (\"Talks, resumed\") has no text", error.Message);
    }

    [Fact]
    public void A_header_only_file_and_a_file_of_empty_rows_fail_naming_the_file()
    {
        var headerOnly = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("empty.csv", "title,text,url\r\n"u8.ToArray()));
        var noText = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("blank.csv", "title,text,url\n,,\n,,\n"u8.ToArray()));

        Assert.Equal("empty.csv: the CSV has a header (title, text, url) but no rows", headerOnly.Message);
        Assert.StartsWith("blank.csv: none of the CSV rows is an article with text: blank.csv: row 2 has no text", noText.Message);
    }

    [Fact]
    public void A_cell_longer_than_a_line_may_be_is_refused_for_its_row_only()
    {
        var huge = new string('a', ArticleParser.MaxLineLength + 1);
        var csv = $"title,text\nHuge,{huge}\nFine,A normal story.\n";

        var result = ArticleParser.Read("big.csv", Encoding.UTF8.GetBytes(csv));

        Assert.Equal("Fine", Assert.Single(result.Articles).Title);
        Assert.StartsWith("big.csv: row 2, column 2 holds 1,048,577 characters", Assert.Single(result.Skipped));
    }

    [Fact]
    public void An_unclosed_quote_stops_the_reading_at_its_row_and_keeps_the_rows_before()
    {
        var csv = "title,text\nOne,First story.\nTwo,\"Never closed " + new string('x', CsvArticleParserRowLimit()) + "\n";

        var result = ArticleParser.Read("cut.csv", Encoding.UTF8.GetBytes(csv));

        Assert.Equal("One", Assert.Single(result.Articles).Title);
        Assert.Equal("cut.csv: row 3 is longer than 4,194,304 characters (an unclosed quote?); the rest of the file is not read", Assert.Single(result.Skipped));

        static int CsvArticleParserRowLimit() => 4 * ArticleParser.MaxLineLength + 10;
    }

    [Fact]
    public void A_csv_inside_a_zip_gives_its_rows_with_the_entry_name()
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(archive.CreateEntry("exports/sheet.csv").Open());
            writer.Write("title,body\nA,Alpha.\nB,Beta.\n");
        }

        var articles = ArticleParser.Parse("news.zip", buffer.ToArray());

        Assert.Equal(["Alpha.", "Beta."], articles.Select(a => a.Text));
        Assert.All(articles, a => Assert.Equal("news.zip!exports/sheet.csv", a.FileName));
    }
}
