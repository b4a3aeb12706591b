using System.IO.Compression;
using System.Text;
using Dashboard.Web.Ingestion;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Dashboard.Tests.Ingestion.Parsers;

/// <summary>Each upload format, detected from the content whatever the file is called.</summary>
public class ArticleFormatTests
{
    [Fact]
    public void An_rss_item_decodes_and_sanitises_its_html_and_takes_dc_creator_as_author()
    {
        var feed = """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel><title>Example &amp;amp; Co News</title><pubDate>Mon, 03 Jun 2024 08:00:00 GMT</pubDate>
                <item>
                  <title>AT&amp;amp;T &lt;b&gt;wins&lt;/b&gt;</title>
                  <link>https://example.org/att</link>
                  <description>&lt;p&gt;The deal was &lt;em&gt;approved&lt;/em&gt;.&lt;/p&gt;&lt;script&gt;alert('x')&lt;/script&gt;&lt;p&gt;Shares rose.&lt;/p&gt;</description>
                  <dc:creator>Jane Doe</dc:creator>
                  <category>Business</category>
                  <pubDate>Sat, 01 Jun 2024 23:30:00 -0500</pubDate>
                </item>
                <item><title>No date here</title><description>Undated text.</description></item>
              </channel>
            </rss>
            """;

        var articles = ArticleParser.Parse("feed.txt", Encoding.UTF8.GetBytes(feed));

        Assert.Equal(2, articles.Count);
        var first = articles[0];
        Assert.Equal("AT&T wins", first.Title);
        Assert.Equal("The deal was approved.\n\nShares rose.", first.Text);
        Assert.Equal("Jane Doe", first.Author);
        Assert.Equal("Example & Co News", first.Source);
        Assert.Equal("https://example.org/att", first.Url);
        Assert.Equal(new DateOnly(2024, 6, 2), first.Date);
        Assert.Equal(TimeSpan.FromHours(-5), first.PublishedAt!.Value.Offset);
        Assert.Equal(["Business"], first.Categories);
        Assert.Equal(new DateOnly(2024, 6, 3), articles[1].Date);
    }

    [Fact]
    public void A_feed_with_bare_ampersands_and_html_entities_is_read_as_lenient_readers_read_it_and_cdata_stays_literal()
    {
        var feed = """
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel><title>Fish & Chips &amp; more</title>
                <item>
                  <title>Caf&eacute; prices rise&nbsp;again</title>
                  <link>https://example.org/a?page=1&copy=2</link>
                  <description><![CDATA[<p>Fish &amp; chips cost more: &pound;9.</p>]]></description>
                  <media:content url="https://example.org/a.jpg" />
                </item>
              </channel>
            </rss>
            """;

        var article = Assert.Single(ArticleParser.Parse("feed.xml", Encoding.UTF8.GetBytes(feed)));

        Assert.Equal("Fish & Chips & more", article.Source);
        Assert.Equal("Café prices rise again", article.Title);
        Assert.Equal("https://example.org/a?page=1&copy=2", article.Url);
        Assert.Equal("Fish & chips cost more: £9.", article.Text);
        // A DTD is still refused unread, repaired or not.
        var bomb = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"aaaa\">]><rss><channel><title>A & B</title><item><title>&a;</title></item></channel></rss>";
        var refused = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("bomb.xml", Encoding.UTF8.GetBytes(bomb)));
        Assert.Contains("DTD", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_atom_entry_without_published_falls_back_to_updated_and_an_rdf_feed_reads_its_items()
    {
        var atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title type="html">Wire &amp;amp; Desk</title>
              <entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Ceasefire <b>talks</b></div></title>
                <link rel="self" href="https://example.org/self"/><link rel="alternate" type="text/html" href="https://example.org/a"/>
                <updated>2024-06-01T10:00:00+03:00</updated><author><name>Desk</name></author>
                <content type="html">&lt;p&gt;Talks resumed in Cairo.&lt;/p&gt;</content></entry>
            </feed>
            """;
        var rdf = """
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel rdf:about="https://example.org"><title>RDF News</title></channel>
              <item rdf:about="https://example.org/1"><title>One</title><link>https://example.org/1</link><description>First story.</description><dc:date>2024-06-01T08:00Z</dc:date><dc:creator>Ann</dc:creator></item>
            </rdf:RDF>
            """;

        var entry = Assert.Single(ArticleParser.Parse("a.xml", Encoding.UTF8.GetBytes(atom)));
        var item = Assert.Single(ArticleParser.Parse("r.xml", Encoding.UTF8.GetBytes(rdf)));

        Assert.Equal("Ceasefire talks", entry.Title);
        Assert.Equal("Wire & Desk", entry.Source);
        Assert.Equal("https://example.org/a", entry.Url);
        Assert.Equal(new DateOnly(2024, 6, 1), entry.Date);
        Assert.Equal("Talks resumed in Cairo.", entry.Text);
        Assert.Equal("Desk", entry.Author);
        Assert.Equal(("RDF News", "Ann", new DateOnly(2024, 6, 1)), (item.Source, item.Author, item.Date));
    }

    [Fact]
    public void A_news_sitemap_gives_one_headline_per_story_and_a_sitemap_of_pages_is_refused_with_what_to_use()
    {
        var sitemap = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
              <url>
                <loc>https://tehranwire.example/world/iran-algeria-gaza</loc>
                <news:news>
                  <news:publication><news:name>Tehran Wire</news:name><news:language>en</news:language></news:publication>
                  <news:publication_date>2024-06-01T09:30:00+03:30</news:publication_date>
                  <news:title>Iran and Algeria discuss Gaza &amp; Rafah</news:title>
                  <news:keywords>Gaza, diplomacy</news:keywords>
                </news:news>
              </url>
              <url><loc>https://tehranwire.example/about</loc></url>
            </urlset>
            """;
        var pages = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://tehranwire.example/</loc><lastmod>2024-06-01</lastmod></url></urlset>
            """;

        var article = Assert.Single(ArticleParser.Parse("news-sitemap.xml", Encoding.UTF8.GetBytes(sitemap)));
        var refused = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("sitemap.xml", Encoding.UTF8.GetBytes(pages)));

        Assert.Equal("Iran and Algeria discuss Gaza & Rafah", article.Title);
        // A headline is the only text a sitemap gives; the feed poller's "Fetch full article" gets the page.
        Assert.Equal(article.Title, article.Text);
        Assert.Equal("https://tehranwire.example/world/iran-algeria-gaza", article.Url);
        Assert.Equal("Tehran Wire", article.Source);
        Assert.Equal(new DateTimeOffset(2024, 6, 1, 9, 30, 0, TimeSpan.FromHours(3.5)), article.PublishedAt);
        Assert.Equal(["Gaza", "diplomacy"], article.Categories);
        Assert.Equal("sitemap.xml: this sitemap lists 1 pages but no news stories (no <news:news> entries): use the site's news sitemap or its feed", refused.Message);
    }

    [Theory]
    [InlineData("[InternetShortcut]\r\nURL=https://wire.example/story?id=7\r\n")]
    [InlineData("\uFEFF[InternetShortcut]\nIconIndex=0\nurl = https://wire.example/story?id=7\n")]
    [InlineData("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n<dict>\n\t<key>URL</key>\n\t<string>https://wire.example/story?id=7</string>\n</dict>\n</plist>\n")]
    [InlineData("[Desktop Entry]\nEncoding=UTF-8\nName=Story\nType=Link\nURL=https://wire.example/story?id=7\nIcon=text-html\n")]
    public void A_link_file_is_a_link_and_the_parser_says_what_to_do_with_it(string file)
    {
        var bytes = Encoding.UTF8.GetBytes(file);

        Assert.True(Dashboard.Web.Ingestion.Parsers.LinkFiles.TryRead(bytes, out var url));
        Assert.Equal("https://wire.example/story?id=7", url.AbsoluteUri);
        var error = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("story.url", bytes));
        Assert.StartsWith("story.url: a link to https://wire.example/story?id=7, not an article; its page is fetched when", error.Message);
    }

    [Theory]
    [InlineData("[InternetShortcut]\r\nURL=ftp://wire.example/story.txt\r\n")]
    [InlineData("[InternetShortcut] is how Windows names a link file. The foreign ministers of Chile and Peru met in Lima.")]
    [InlineData("[Desktop Entry]\nType=Application\nExec=firefox\nURL=https://wire.example/\n")]
    public void Text_that_only_looks_like_a_link_file_is_not_one(string file)
    {
        Assert.False(Dashboard.Web.Ingestion.Parsers.LinkFiles.TryRead(Encoding.UTF8.GetBytes(file), out _));
    }

    [Theory]
    [InlineData("https://wire.example/story?id=7\nhttps://other.example/news/chile-peru\n")]
    [InlineData("\uFEFFurl\r\nhttps://wire.example/story?id=7\r\n\r\nhttps://other.example/news/chile-peru\r\n")]
    [InlineData("# exported from the reading list, 2024-06-01\n\n  https://wire.example/story?id=7  \n# the Lima story\nHTTPS://other.example/news/chile-peru")]
    [InlineData("\"Links\"\nhttps://wire.example/story?id=7\nhttps://other.example/news/chile-peru\n")]
    public void A_list_of_links_is_read_address_by_address_and_the_parser_says_what_to_do_with_it(string file)
    {
        var bytes = Encoding.UTF8.GetBytes(file);

        Assert.True(Dashboard.Web.Ingestion.Parsers.LinkFiles.TryReadList(bytes, out var urls));
        Assert.Equal(["https://wire.example/story?id=7", "https://other.example/news/chile-peru"], urls.Select(u => u.AbsoluteUri));
        var error = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("reading-list.txt", bytes));
        Assert.StartsWith("reading-list.txt: a list of 2 web addresses, not an article; their pages are fetched when the list is dropped", error.Message);
    }

    [Theory]
    [InlineData("https://wire.example/story?id=7 is where the foreign ministers' statement was published.")]
    [InlineData("https://wire.example/story?id=7\nThe foreign ministers of Chile and Peru met in Lima on Monday.")]
    [InlineData("url\n")]
    [InlineData("# only a comment\n")]
    [InlineData("https://wire.example/story?id=7\nftp://wire.example/story.txt\n")]
    [InlineData("https://wire.example/story?id=7\nmailto:desk@wire.example\n")]
    [InlineData("date 2024-06-01\n\nhttps://wire.example/story?id=7\n")]
    [InlineData("url,title\nhttps://wire.example/story?id=7,Chile and Peru\n")]
    public void Text_that_only_holds_addresses_among_other_things_is_not_a_list_of_links(string file)
    {
        Assert.False(Dashboard.Web.Ingestion.Parsers.LinkFiles.TryReadList(Encoding.UTF8.GetBytes(file), out _));
    }

    [Fact]
    public void A_list_of_links_too_long_to_take_at_once_is_refused_with_what_to_do_not_read_as_an_article()
    {
        var list = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 100_000).Select(i => $"https://wire.example/world/story-number-{i:D6}\n")));
        Assert.True(list.Length > 4 * 1024 * 1024);

        Assert.False(Dashboard.Web.Ingestion.Parsers.LinkFiles.TryReadList(list, out _));
        var error = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("links.txt", list));
        Assert.Equal("links.txt: a list of web addresses over 4 MB, more than is taken at once: split it into lists of at most 40,000 addresses", error.Message);
    }

    [Fact]
    public void A_list_of_links_that_is_not_utf8_is_not_read_as_one()
    {
        var bytes = Encoding.UTF8.GetBytes("https://wire.example/caf\u00e9\n").ToList();
        bytes.InsertRange(bytes.Count - 1, [0xFF, 0xFE]);

        Assert.False(Dashboard.Web.Ingestion.Parsers.LinkFiles.TryReadList(bytes.ToArray(), out _));
    }

    [Fact]
    public void Json_objects_arrays_and_wrappers_are_read_with_lenient_field_names()
    {
        var json = """
            {"source": "Wire", "Articles": [
              {"Title": "One", "BODY": "<p>First &amp; foremost.</p>", "pubDate": "Sat, 01 Jun 2024 10:00:00 GMT", "Link": "https://e.org/1", "Author": {"name": "Ann"}, "tags": ["a", "b"], "extra": 1},
              {"headline": "Two", "content": "Second story.", "published_at": "2024-06-02T10:00:00+02:00", "authors": ["Bo", "Cy"]},
              {"title": "Empty"}
            ]}
            """;

        var result = ArticleParser.Read("export.dat", Encoding.UTF8.GetBytes(json));

        Assert.Equal(2, result.Articles.Count);
        Assert.Equal(("One", "First & foremost.", "https://e.org/1", "Wire", "Ann"), (result.Articles[0].Title, result.Articles[0].Text, result.Articles[0].Url, result.Articles[0].Source, result.Articles[0].Author));
        Assert.Equal(["a", "b"], result.Articles[0].Categories);
        Assert.Equal(new DateOnly(2024, 6, 2), result.Articles[1].Date);
        Assert.Equal("Bo, Cy", result.Articles[1].Author);
        Assert.Contains("item 3 (\"Empty\") has no text", Assert.Single(result.Skipped));
    }

    [Fact]
    public void Json_lines_give_one_article_per_line_and_invalid_json_names_the_position()
    {
        var lines = "{\"title\":\"A\",\"text\":\"Alpha.\",\"date\":\"2024-06-01\"}\n{\"title\":\"B\",\"text\":\"Beta.\"}\n";

        var articles = ArticleParser.Parse("a.jsonl", Encoding.UTF8.GetBytes(lines));
        var error = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("bad.json", "[{\"title\": \"x\",\n \"text\": }]"u8.ToArray()));

        Assert.Equal(["Alpha.", "Beta."], articles.Select(a => a.Text));
        Assert.Equal(new DateOnly(2024, 6, 1), articles[0].Date);
        Assert.Contains("bad.json: not valid JSON at line 2, position", error.Message);
    }

    [Fact]
    public void A_zip_of_mixed_formats_in_folders_gives_every_article_with_its_entry_name()
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(archive, "2024/june/a.txt", "date 2024-06-01\nIran and Algeria met on Friday.");
            Add(archive, "2024/feed.xml", "<rss version=\"2.0\"><channel><title>F</title><item><title>T1</title><description>Item one.</description></item><item><title>T2</title><description>Item two.</description></item></channel></rss>");
            Add(archive, "export.json", "[{\"title\":\"J\",\"text\":\"From JSON.\"}]");
        }

        var articles = ArticleParser.Parse("news.zip", buffer.ToArray());

        Assert.Equal(["news.zip!2024/june/a.txt", "news.zip!2024/feed.xml", "news.zip!2024/feed.xml", "news.zip!export.json"], articles.Select(a => a.FileName));

        static void Add(ZipArchive archive, string name, string text)
        {
            using var writer = new StreamWriter(archive.CreateEntry(name).Open());
            writer.Write(text);
        }
    }

    [Fact]
    public void An_email_gives_subject_body_date_and_sender()
    {
        var eml = "From: \"Wire Desk\" <desk@example.org>\r\nTo: me@example.org\r\nSubject: =?UTF-8?Q?Talks_in_S=C3=A3o_Paulo?=\r\nDate: Sat, 01 Jun 2024 23:30:00 -0500\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Talks <b>resumed</b>.</p>\r\n--b--\r\n";

        var article = Assert.Single(ArticleParser.Parse("story.eml", Encoding.UTF8.GetBytes(eml)));

        Assert.Equal("Talks in São Paulo", article.Title);
        Assert.Equal("Talks resumed.", article.Text);
        Assert.Equal("Wire Desk", article.Author);
        Assert.Equal(new DateOnly(2024, 6, 2), article.Date);
    }

    [Fact]
    public void A_pdf_gives_its_text_and_the_title_from_its_metadata()
    {
        var builder = new PdfDocumentBuilder();
        builder.DocumentInformation.Title = "Press release";
        builder.DocumentInformation.CreationDate = "D:20240603180411+02'00'";
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(595, 842);
        page.AddText("Ministers met in Algiers on Friday.", 12, new UglyToad.PdfPig.Core.PdfPoint(50, 700), font);
        page.AddText("They agreed to meet again.", 12, new UglyToad.PdfPig.Core.PdfPoint(50, 680), font);

        var article = Assert.Single(ArticleParser.Parse("release.bin", builder.Build()));

        Assert.Equal("Press release", article.Title);
        Assert.Contains("Ministers met in Algiers on Friday.", article.Text);
        Assert.Contains("They agreed to meet again.", article.Text);
        // When the PDF was made, not when the story was published: a fallback, said to be one.
        Assert.Equal(new DateOnly(2024, 6, 3), article.Date);
        Assert.True(article.DateIsFallback);
    }

    [Fact]
    public void A_broken_pdf_fails_with_the_file_name_not_a_crash()
    {
        var error = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse("broken.pdf", "%PDF-1.7\n1 0 obj << /Type /Catalog >>\n"u8.ToArray()));

        Assert.StartsWith("broken.pdf: ", error.Message);
    }
}
