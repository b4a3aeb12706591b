using System.IO.Compression;
using Dashboard.Web.Ingestion;
using static Dashboard.Tests.Ingestion.OfficeFiles;

namespace Dashboard.Tests.Ingestion.Parsers;

/// <summary>
/// Word documents and Excel workbooks, built here with the Open XML SDK: read as documents (one article, or one per
/// row), not as the ZIP archives of XML they are underneath.
/// </summary>
public class OfficeDocumentTests
{
    private static readonly DateTime Written = new(2025, 2, 3, 23, 30, 0, DateTimeKind.Utc);

    private static string[] SeedParagraphs() =>
        [.. File.ReadAllText(TestPaths.SeedArticle).Split("\n\n").Select(p => p.Trim()).Where(p => p.Length > 0)];

    [Fact]
    public void A_word_document_gives_its_title_author_and_body_with_tables_but_not_headers_or_comments()
    {
        // The seed article's paragraphs without its date header: the date is then the day the file was written, marked as a fallback.
        var paragraphs = SeedParagraphs();
        paragraphs[0] = paragraphs[0]["date 2024-06-01 ".Length..];
        var docx = Docx(
            new Properties("Iran and Algeria discuss Gaza", "Tehran desk", Written),
            [.. paragraphs.Take(1).Select(p => Paragraph(p)), Table(["Country", "Minister"], ["Iran", "Bagheri"]), .. paragraphs.Skip(1).Select(p => Paragraph(p))]);

        var result = ArticleParser.Read("story.docx", docx);

        var article = Assert.Single(result.Articles);
        Assert.Equal("Iran and Algeria discuss Gaza", article.Title);
        Assert.Equal("Tehran desk", article.Author);
        Assert.StartsWith("The talks, which were held over the phone on Friday", article.Text);
        Assert.Contains("\n\nCountry | Minister\n\nIran | Bagheri\n\nDuring the talks, Bagheri thanked", article.Text);
        Assert.EndsWith(paragraphs[^1], article.Text);
        Assert.DoesNotContain("CONFIDENTIAL", article.Text);
        Assert.DoesNotContain("Editor's remark", article.Text);
        Assert.Equal((new DateOnly(2025, 2, 3), true, null), (article.Date, article.DateIsFallback, article.PublishedAt));
        Assert.Empty(result.FailedEntries);
    }

    [Fact]
    public void A_date_header_in_the_first_line_dates_the_document_as_in_plain_text()
    {
        var docx = Docx(new Properties(Created: Written), [.. SeedParagraphs().Select(p => Paragraph(p))]);

        var article = Assert.Single(ArticleParser.Parse("seed.docx", docx));

        Assert.Equal((new DateOnly(2024, 6, 1), false), (article.Date, article.DateIsFallback));
        Assert.StartsWith("The talks, which were held over the phone on Friday", article.Text);
        // No title in the properties and no heading: the first sentence, as for the seed as plain text.
        Assert.Equal(ArticleParser.Parse("seed.txt", File.ReadAllBytes(TestPaths.SeedArticle))[0].Title, article.Title);
        var badHeader = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("bad.docx", Docx(null, Paragraph("date 2024-02-30"), Paragraph("Text."))));
        Assert.Equal("bad.docx: the date header '2024-02-30' is not a real date (expected date YYYY-MM-DD)", badHeader.Message);
    }

    [Fact]
    public void Without_a_real_title_in_the_properties_the_first_heading_is_the_title_even_in_a_translated_style()
    {
        var german = Docx(
            new Properties("Document1", Modified: Written),
            Paragraph("Pressemitteilung"),
            Paragraph("Ministers of Chile and Peru meet in Lima", "berschrift1"),
            Paragraph("The foreign ministers met on Friday. They spoke of fisheries."));
        var converted = Docx(new Properties("Microsoft Word - notes.doc"), Paragraph("Talks resumed in Algiers. Both sides spoke."));

        var article = Assert.Single(ArticleParser.Parse("de.docx", german));

        Assert.Equal("Ministers of Chile and Peru meet in Lima", article.Title);
        Assert.Equal("Pressemitteilung\n\nMinisters of Chile and Peru meet in Lima\n\nThe foreign ministers met on Friday. They spoke of fisheries.", article.Text);
        Assert.Equal((new DateOnly(2025, 2, 3), true), (article.Date, article.DateIsFallback));
        Assert.Null(article.Author);
        Assert.Equal("Talks resumed in Algiers", Assert.Single(ArticleParser.Parse("c.docx", converted)).Title);
    }

    [Fact]
    public void An_empty_word_document_is_refused_by_name()
    {
        var error = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("empty.docx", Docx(null, Paragraph("  "))));

        Assert.Equal("empty.docx: the Word document has no text", error.Message);
    }

    private static readonly object?[] Header = ["Headline", "Body", "Published", "Link", "Publisher", "Byline", "Tags"];

    [Fact]
    public void An_excel_workbook_gives_one_article_per_row_of_its_sheet_of_articles()
    {
        var xlsx = Xlsx(null,
            ("Notes", [["Exported from the monitor"], ["nothing here"]]),
            ("Stories", [
                ["Export of 3 June"],
                Header,
                ["Talks in Algiers", "Ministers met in Algiers.\n\nThey spoke of fisheries.", new DateTime(2024, 6, 1), "https://e.org/1", "Wire", "ann lee", "politics; sea"],
                ["Late talks", "<p>Shares <b>rose</b>.</p>", new DateTime(2024, 6, 2, 18, 45, 0), "https://e.org/2", null, null, null],
                ["Only a title", null, "2024-06-03", "https://e.org/3"],
                [],
                ["Text date", "Rates held.", "13/06/2024", null, null, null, null],
                [null, "No headline here. The text gives the title.", "01/07/2024"],
            ]));

        var result = ArticleParser.Read("list.xlsx", xlsx);

        Assert.Equal(4, result.Articles.Count);
        var first = result.Articles[0];
        Assert.Equal(("Talks in Algiers", "Ministers met in Algiers.\n\nThey spoke of fisheries.", "https://e.org/1", "Wire", "ann lee"), (first.Title, first.Text, first.Url, first.Source, first.Author));
        Assert.Equal(["politics", "sea"], first.Categories);
        Assert.Equal((new DateOnly(2024, 6, 1), false), (first.Date, first.DateIsFallback));
        var second = result.Articles[1];
        Assert.Equal("Shares rose.", second.Text);
        Assert.Equal(new DateTimeOffset(2024, 6, 2, 18, 45, 0, TimeSpan.Zero), second.PublishedAt);
        // 13/06/2024 can only be day first, so 01/07/2024 in the same column is the 1st of July, as in a CSV.
        Assert.Equal(new DateOnly(2024, 6, 13), result.Articles[2].Date);
        Assert.Equal(("No headline here", new DateOnly(2024, 7, 1)), (result.Articles[3].Title, result.Articles[3].Date));
        Assert.Equal("list.xlsx: sheet Stories, row 5 (\"Only a title\") has no text (no text, body, content or description column)", Assert.Single(result.Skipped));
        Assert.Null(first.FileName);
    }

    [Fact]
    public void Every_sheet_of_articles_is_read_a_sheet_per_month_each_with_its_own_columns_and_order_of_dates()
    {
        var xlsx = Xlsx(null,
            ("May", [["title", "text", "date"], ["Talks open", "Ministers met in Algiers.", "05/13/2024"], ["Talks go on", "They spoke of fisheries.", "05/01/2024"]]),
            ("Notes", [["Exported from the monitor"], ["nothing here"]]),
            ("June", [["Headline", "Body", "Published", "Publisher"], ["Talks end", "Rates held.", "13/06/2024", "Wire"], ["After the talks", "Shares rose.", "01/06/2024", "Wire"]]));

        var result = ArticleParser.Read("months.xlsx", xlsx);

        Assert.Equal(["Talks open", "Talks go on", "Talks end", "After the talks"], result.Articles.Select(a => a.Title));
        // Each sheet's text dates in its own order: May's month first, June's day first.
        Assert.Equal([new DateOnly(2024, 5, 13), new DateOnly(2024, 5, 1), new DateOnly(2024, 6, 13), new DateOnly(2024, 6, 1)], result.Articles.Select(a => a.Date));
        Assert.Equal([null, null, "Wire", "Wire"], result.Articles.Select(a => a.Source));
        Assert.Empty(result.Skipped);
    }

    [Fact]
    public void A_large_workbook_resumes_in_its_second_sheet_of_articles_without_reading_the_first_again()
    {
        var xlsx = Xlsx(null,
            ("May", [["title", "text", "date"], ["Talks open", "Ministers met in Algiers.", "2024-05-13"], ["Talks go on", "They spoke of fisheries.", "2024-05-14"]]),
            ("June", [["title", "text", "date"], ["Talks end", "Rates held.", "2024-06-13"], ["After the talks", "Shares rose.", "2024-06-14"]]));
        var settings = Dashboard.Web.Ingestion.Parsers.OfficeDocuments.Settings(Dashboard.Web.Ingestion.Parsers.OfficeKind.Excel, 1L << 30);

        var all = Dashboard.Web.Ingestion.Parsers.ExcelArticleParser.Rows("months.xlsx", new MemoryStream(xlsx), settings, 0).ToList();
        var resumed = Dashboard.Web.Ingestion.Parsers.ExcelArticleParser.Rows("months.xlsx", new MemoryStream(xlsx), settings, all[2].Index + 1).ToList();

        Assert.Equal(4, all.Count);
        // The row index says the sheet too: June's first row comes after every row May could have.
        Assert.True(all[2].Index > 1_048_576);
        Assert.Equal(["After the talks"], resumed.Select(r => r.Article!.Title));
    }

    [Fact]
    public void Dates_written_as_text_month_first_are_read_month_first_as_in_a_csv()
    {
        var xlsx = Xlsx(null, ("Sheet1", [["title", "text", "date"], ["A", "First.", "06/13/2024"], ["B", "Second.", "07/01/2024"]]));

        var articles = ArticleParser.Parse("us.xlsx", xlsx);

        Assert.Equal([new DateOnly(2024, 6, 13), new DateOnly(2024, 7, 1)], articles.Select(a => a.Date));
    }

    [Fact]
    public void A_workbook_without_a_sheet_of_articles_is_refused_naming_its_sheets()
    {
        var budget = Xlsx(null, ("Budget", [["Item", "Cost"], ["Paper", 12.5]]), ("Staff", [["Name", "Desk"]]));
        var noText = Xlsx(null, ("Links", [["title", "url"], ["A", "https://e.org/a"]]));

        var error = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("budget.xlsx", budget));
        var noTextError = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("links.xlsx", noText));

        Assert.StartsWith("budget.xlsx: no sheet of the Excel workbook has a header row naming article columns", error.Message);
        Assert.EndsWith("its sheets: Budget, Staff", error.Message);
        Assert.StartsWith("links.xlsx: none of the rows of sheet Links is an article with text (its columns are title, url: none holds the articles' text)", noTextError.Message);
    }

    [Fact]
    public void Office_files_inside_an_archive_are_read_as_documents_and_plain_zips_stay_archives()
    {
        var docx = Docx(new Properties("Inside the archive"), Paragraph("Talks resumed in Algiers."));
        var xlsx = Xlsx(null, ("S", [["title", "text"], ["Row one", "Rates held."]]));
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in new[] { ("docs/story.docx", docx), ("docs/list.xlsx", xlsx), ("[Content_Types].xml", "<Types/>"u8.ToArray()) })
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(content);
            }
        }

        var result = ArticleParser.Read("news.zip", buffer.ToArray());

        Assert.Equal(["news.zip!docs/story.docx", "news.zip!docs/list.xlsx"], result.Articles.Select(a => a.FileName));
        Assert.Equal(["Inside the archive", "Row one"], result.Articles.Select(a => a.Title));
        // The stray listing is an entry like any other (and not an article); it did not make the archive a document.
        Assert.Equal("news.zip![Content_Types].xml", Assert.Single(result.FailedEntries).Entry);
    }
}
