using System.Text;
using Dashboard.Web.Ingestion;

namespace Dashboard.Tests.Ingestion;

public class ArticleParserTests
{
    [Fact]
    public void Binary_junk_is_refused_with_the_file_name()
    {
        var junk = new byte[4096];
        new Random(7).NextBytes(junk);

        var error = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("junk.bin", junk));

        Assert.Contains("junk.bin", error.Message);
        Assert.Contains("binary", error.Message);
    }

    [Fact]
    public void Empty_and_blank_files_are_refused()
    {
        Assert.Contains("empty", Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("e.txt", [])).Message);
        Assert.Contains("whitespace", Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("w.txt", "  \n\n "u8.ToArray())).Message);
    }

    [Fact]
    public void Latin1_text_is_decoded_not_refused()
    {
        var bytes = Encoding.Latin1.GetBytes("date 1987-03-02 Caf\u00e9 owners in S\u00e3o Paulo protested.");

        var article = Assert.Single(ArticleParser.Parse("latin.txt", bytes));

        Assert.Contains("S\u00e3o Paulo", article.Text);
    }

    [Fact]
    public void A_utf8_byte_order_mark_does_not_hide_the_date_header()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(" date 2024-06-01 Body text here."u8.ToArray()).ToArray();

        var article = Assert.Single(ArticleParser.Parse("bom.txt", bytes));

        Assert.Equal(new DateOnly(2024, 6, 1), article.Date);
        Assert.Equal("Body text here.", article.Text);
    }

    [Fact]
    public void A_story_that_opens_like_a_mail_header_is_plain_text_and_a_header_block_is_an_email()
    {
        var story = Assert.Single(ArticleParser.Parse("story.txt", "Subject: the talks in Algiers\n\nThe ministers met on Friday."u8.ToArray()));
        Assert.Equal("Subject: the talks in Algiers", story.Title);

        // Bare LF line ends, as a mail saved on Linux has them.
        var mail = Assert.Single(ArticleParser.Parse("mail.txt", "From: desk@example.org\nSubject: Talks resumed\nDate: Sat, 01 Jun 2024 10:00:00 +0000\n\nThe ministers met.\n"u8.ToArray()));
        Assert.Equal("Talks resumed", mail.Title);
        Assert.Equal("The ministers met.", mail.Text);
    }

    [Fact]
    public void A_date_header_is_read_whatever_its_case_and_a_bad_one_is_named()
    {
        var article = Assert.Single(ArticleParser.Parse("caps.txt", "DATE\t2024-06-01  \r\nTalks went on."u8.ToArray()));
        Assert.Equal(new DateOnly(2024, 6, 1), article.Date);
        Assert.Equal("Talks went on.", article.Text);

        var error = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("bad.txt", "date 2024-02-30\n\nText."u8.ToArray()));
        Assert.Equal("bad.txt: the date header '2024-02-30' is not a real date (expected date YYYY-MM-DD)", error.Message);
    }

    [Fact]
    public void A_text_larger_than_the_pooled_buffers_is_read_whole()
    {
        // Past a million characters the decoder takes a buffer of its own rather than one from the shared pool.
        var paragraph = string.Join(' ', Enumerable.Repeat("Ministers from Iran and Algeria met again.", 40));
        var body = string.Join("\n\n", Enumerable.Repeat(paragraph, 800));
        var bytes = Encoding.UTF8.GetBytes("date 2024-06-01\n\n" + body);
        Assert.True(bytes.Length > 1 << 20);

        var article = Assert.Single(ArticleParser.Parse("long.txt", bytes));

        Assert.Equal(body, article.Text);
        Assert.Equal(new DateOnly(2024, 6, 1), article.Date);
    }

    [Fact]
    public void An_html_page_is_read_for_its_main_text_and_title()
    {
        var html = """
            <html><head><title>Talks in Algiers</title><meta property="og:site_name" content="Example News"></head>
            <body><nav>Home | World</nav><article><h1>Talks in Algiers</h1>
            <p>The foreign ministers of Iran and Algeria met on Friday to discuss the situation in Gaza and the crossing at Rafah, officials said.</p>
            <p>They agreed to call for an extraordinary meeting of the Organization of the Islamic Cooperation in the coming weeks.</p>
            <p>Humanitarian aid deliveries have been halted since the start of the operation, according to the United Nations.</p>
            </article><footer>Copyright</footer></body></html>
            """;

        var article = Assert.Single(ArticleParser.Parse("page.html", Encoding.UTF8.GetBytes(html)));

        Assert.Equal("Talks in Algiers", article.Title);
        Assert.Contains("Organization of the Islamic Cooperation", article.Text);
        Assert.DoesNotContain("Copyright", article.Text);
    }

    [Fact]
    public void Double_decoded_utf8_is_repaired_and_real_accents_are_kept()
    {
        const string text = "date 2024-03-01 The worldâ€™s biggest show cost Â£30 million, said officials in SÃ£o Paulo.\n\nIn São Paulo and Zürich, the mayors â€“ both new â€“ agreed.";

        var article = Assert.Single(ArticleParser.Parse("mojibake.txt", System.Text.Encoding.UTF8.GetBytes(text)));

        Assert.Equal("The world’s biggest show cost £30 million, said officials in São Paulo.\n\nIn São Paulo and Zürich, the mayors – both new – agreed.", article.Text);
        Assert.Equal("The world’s biggest show cost £30 million, said officials in São Paulo", article.Title);
    }

    [Fact]
    public void Latin_text_that_only_looks_suspicious_is_left_alone()
    {
        // "Â" and "Ã" followed by ordinary letters are not UTF-8 seen through Windows-1252; "Ã©" is, and becomes "é".
        const string text = "date 2024-03-01 Ãlvaro and Âge met ÃBC officials; Ã© alone at the end Ã";

        var article = Assert.Single(ArticleParser.Parse("latin.txt", System.Text.Encoding.UTF8.GetBytes(text)));

        Assert.Equal("Ãlvaro and Âge met ÃBC officials; é alone at the end Ã", article.Text);
    }
}
