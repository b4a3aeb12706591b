using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Dashboard.Web.Ingestion;

namespace Dashboard.Tests.Ingestion;

/// <summary>
/// Files built to hurt, generated here: each is refused with a reason naming the file (and the archive entry),
/// quickly, and without being expanded.
/// </summary>
public class HostileFileTests
{
    [Fact]
    public void A_zip_bomb_is_refused_by_its_compression_ratio_without_being_unpacked()
    {
        // 200 MB of zeros deflates to about 200 KB: a 1000:1 ratio.
        var bomb = Zip(("big.txt", new byte[200 << 20]));
        var memoryBefore = GC.GetAllocatedBytesForCurrentThread();

        var error = Refused("bomb.zip", bomb);

        Assert.Contains("bomb.zip!big.txt", error);
        Assert.Contains("zip bomb", error);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - memoryBefore < 50 << 20, "the bomb was unpacked");
    }

    [Fact]
    public void An_archive_whose_entry_climbs_out_of_its_folder_is_refused()
    {
        var error = Refused("slip.zip", Zip(("ok.txt", Story), ("../../etc/cron.d/evil.txt", Story)));

        Assert.Contains("slip.zip!../../etc/cron.d/evil.txt", error);
        Assert.Contains("leaves the archive's folder", error);
        Assert.Contains("absolute path", Refused("abs.zip", Zip(("/etc/passwd", Story))));
    }

    [Fact]
    public void An_archive_with_too_many_entries_is_refused()
    {
        var entries = Enumerable.Range(0, 10_001).Select(i => ($"e{i}.txt", "x"u8.ToArray())).ToArray();

        var error = Refused("many.zip", Zip(entries));

        Assert.Contains("10,001 entries", error);
    }

    [Fact]
    public void A_gzip_bomb_is_refused_once_it_unpacks_past_the_compression_ratio()
    {
        // 300 MB of zeros gzips to about 300 KB; reading stops at 100 times that.
        var bomb = ArchiveFiles.Gzip(new byte[300 << 20]);
        var memoryBefore = GC.GetAllocatedBytesForCurrentThread();

        var error = Refused("bomb.txt.gz", bomb);

        Assert.Contains("gzip bomb", error);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - memoryBefore < 100 << 20, "the bomb was unpacked");
        Assert.Contains("gzip bomb", Refused("bomb.tar.gz", ArchiveFiles.Gzip(ArchiveFiles.Tar(("big.txt", new byte[300 << 20])))));
    }

    [Fact]
    public void A_tar_archive_whose_entry_or_link_climbs_out_of_its_folder_is_refused()
    {
        var error = Refused("slip.tar", ArchiveFiles.Tar(("ok.txt", Story), ("../../etc/cron.d/evil.txt", Story)));
        var link = Refused("link.tar.gz", ArchiveFiles.Gzip(ArchiveFiles.Tar([("ok.txt", Story)], ("evil", "../../etc/passwd"))));

        Assert.Contains("slip.tar!../../etc/cron.d/evil.txt", error);
        Assert.Contains("leaves the archive's folder", error);
        Assert.Contains("link.tar.gz!evil", link);
        Assert.Contains("absolute path", Refused("abs.tar", ArchiveFiles.Tar(("/etc/passwd", Story))));
    }

    [Fact]
    public void A_tar_archive_with_too_many_entries_is_refused()
    {
        // Varied content, so the archive is refused for its entries, not for compressing too well.
        var entries = Enumerable.Range(0, 10_001).Select(i => ($"e{i}.txt", Encoding.UTF8.GetBytes($"Report {i}: {Guid.NewGuid()}"))).ToArray();

        var error = Refused("many.tar.gz", ArchiveFiles.Gzip(ArchiveFiles.Tar(entries)));

        Assert.Contains("more than the 10,000 entries allowed", error);
    }

    [Fact]
    public void A_billion_laughs_document_is_refused_without_expanding_its_entities()
    {
        var lol = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
        lol.Append(" <!ENTITY lol1 \"").Append(string.Concat(Enumerable.Repeat("&lol;", 10))).Append("\">\n");
        for (var i = 2; i <= 9; i++)
        {
            lol.Append($" <!ENTITY lol{i} \"").Append(string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))).Append("\">\n");
        }
        lol.Append("]>\n<rss version=\"2.0\"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>");
        var watch = Stopwatch.StartNew();

        var error = Refused("lol.xml", Encoding.UTF8.GetBytes(lol.ToString()));

        Assert.Contains("DTD", error);
        Assert.DoesNotContain("lollollol", error);
        Assert.True(watch.ElapsedMilliseconds < 1000, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void An_external_entity_pointing_at_a_local_file_is_refused_unread()
    {
        var xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
            <rss version="2.0"><channel><title>Feed</title><item><title>Leak</title><description>&xxe;</description></item></channel></rss>
            """;

        var error = Refused("xxe.xml", Encoding.UTF8.GetBytes(xxe));

        Assert.Contains("DTD", error);
        Assert.DoesNotContain("root:", error);
    }

    [Fact]
    public void An_external_dtd_without_declarations_is_skipped_unread()
    {
        // RSS 0.91 feeds carry Netscape's DOCTYPE; nothing in it is fetched or expanded.
        var feed = """
            <?xml version="1.0"?>
            <!DOCTYPE rss SYSTEM "file:///etc/passwd">
            <rss version="0.91"><channel><title>Feed</title><item><title>Talks resume</title><description>Talks resumed in Algiers.</description></item></channel></rss>
            """;

        var article = Assert.Single(ArticleParser.Parse("rss091.xml", Encoding.UTF8.GetBytes(feed)));

        Assert.Equal("Talks resumed in Algiers.", article.Text);
    }

    [Fact]
    public void Binary_junk_empty_files_and_endless_lines_are_refused_with_their_reasons()
    {
        var junk = new byte[4096];
        new Random(11).NextBytes(junk);

        Assert.Contains("binary", Refused("junk.bin", junk));
        Assert.Contains("empty", Refused("empty.txt", []));
        var longLine = Refused("line.txt", Encoding.ASCII.GetBytes(new string('a', 2 << 20)));
        Assert.Contains("line 1", longLine);
        Assert.Contains("without a line break", longLine);
    }

    [Fact]
    public void A_bad_entry_does_not_fail_its_archive_but_is_reported_by_name()
    {
        var junk = new byte[512];
        new Random(3).NextBytes(junk);

        var result = ArticleParser.Read("news.zip", Zip(("folder/a.txt", Story), ("folder/b.txt", junk), ("folder/", [])));

        var article = Assert.Single(result.Articles);
        Assert.Equal("news.zip!folder/a.txt", article.FileName);
        var failed = Assert.Single(result.FailedEntries);
        Assert.Equal("news.zip!folder/b.txt", failed.Entry);
        Assert.StartsWith("news.zip!folder/b.txt: ", failed.Reason);
    }

    [Fact]
    public void An_archive_whose_entries_all_fail_is_refused_naming_them()
    {
        var error = Refused("bad.zip", Zip(("a.txt", []), ("b.txt", "   "u8.ToArray())));

        Assert.Contains("bad.zip!a.txt", error);
        Assert.Contains("bad.zip!b.txt", error);
    }

    [Fact]
    public void Archives_inside_archives_are_not_unpacked()
    {
        var result = ArticleParser.Read("outer.zip", Zip(("inner.zip", Zip(("a.txt", Story))), ("b.txt", Story)));

        Assert.Contains("outer.zip!inner.zip", Assert.Single(result.FailedEntries).Reason);
        var tar = ArticleParser.Read("outer.tar", ArchiveFiles.Tar(("inner.tar.gz", ArchiveFiles.Gzip(ArchiveFiles.Tar(("a.txt", Story)))), ("b.txt", Story)));
        Assert.Contains("outer.tar!inner.tar.gz: an archive inside an archive is not unpacked", Assert.Single(tar.FailedEntries).Reason);
    }

    [Fact]
    public void A_summary_nested_thousands_of_elements_deep_does_not_overflow_the_stack()
    {
        var nested = string.Concat(Enumerable.Repeat("&lt;div&gt;", 5_000)) + "Deep text." + string.Concat(Enumerable.Repeat("&lt;/div&gt;", 5_000));
        var feed = $"<rss version=\"2.0\"><channel><title>F</title><item><title>Deep</title><description>{nested}</description></item></channel></rss>";

        var article = Assert.Single(ArticleParser.Parse("deep.xml", Encoding.UTF8.GetBytes(feed)));

        Assert.Contains("Deep text.", article.Text);
    }

    [Fact]
    public void A_word_document_whose_body_is_a_zip_bomb_is_refused_without_being_unpacked()
    {
        // A real document whose word/document.xml is 200 MB of one letter: it deflates about 1000:1.
        var bomb = OfficeFiles.WithEntry(OfficeFiles.Docx(null, OfficeFiles.Paragraph("Talks resumed.")), "word/document.xml", stream =>
        {
            stream.Write("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>"u8);
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)'a');
            for (var i = 0; i < 200; i++)
            {
                stream.Write(chunk);
            }
            stream.Write("</w:t></w:r></w:p></w:body></w:document>"u8);
        });
        var memoryBefore = GC.GetAllocatedBytesForCurrentThread();

        var error = Refused("bomb.docx", bomb);

        Assert.Contains("bomb.docx!word/document.xml", error);
        Assert.Contains("zip bomb", error);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - memoryBefore < 50 << 20, "the bomb was unpacked");
    }

    [Fact]
    public void A_damaged_word_document_or_workbook_fails_with_its_name_and_what_it_is()
    {
        var docx = OfficeFiles.WithEntry(OfficeFiles.Docx(null, OfficeFiles.Paragraph("Talks resumed.")), "word/document.xml", stream => stream.Write("<w:document>half a document"u8));
        var xlsx = OfficeFiles.WithEntry(OfficeFiles.Xlsx(null, ("S", [["title", "text"], ["A", "Rates held."]])), "xl/worksheets/sheet1.xml", stream => stream.Write("<worksheet><sheetData><row><c>"u8));

        // Bytes scrambled inside the compressed body: the deflate stream (or its checksum) no longer holds.
        var scrambled = OfficeFiles.Docx(null, OfficeFiles.Paragraph(string.Join(" ", Enumerable.Range(0, 200).Select(i => $"word{i}"))));
        var body = scrambled.AsSpan().IndexOf("word/document.xml"u8) + "word/document.xml".Length;
        for (var i = body + 20; i < body + 60; i++)
        {
            scrambled[i] ^= 0x5A;
        }

        var wordError = Refused("broken.docx", docx);
        var excelError = Refused("broken.xlsx", xlsx);
        var scrambledError = Refused("scrambled.docx", scrambled);

        Assert.StartsWith("broken.docx: a Word document that is damaged or not really one (XmlException: ", wordError);
        Assert.StartsWith("broken.xlsx: an Excel workbook that is damaged or not really one (", excelError);
        Assert.StartsWith("scrambled.docx!word/document.xml: this part of a Word document cannot be unpacked (", scrambledError);
    }

    private static readonly byte[] Story = "date 2024-06-01\nThe foreign ministers of Iran and Algeria met on Friday."u8.ToArray();

    private static string Refused(string name, byte[] content)
    {
        var error = Assert.Throws<ArticleParseException>(() => ArticleParser.Parse(name, content));
        Assert.StartsWith(name, error.Message);
        return error.Message;
    }

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = archive.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                stream.Write(content);
            }
        }
        return buffer.ToArray();
    }
}
