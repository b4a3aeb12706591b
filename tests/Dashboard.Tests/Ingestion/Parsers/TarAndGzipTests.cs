using System.Text;
using Dashboard.Web.Ingestion;
using static Dashboard.Tests.Ingestion.ArchiveFiles;

namespace Dashboard.Tests.Ingestion.Parsers;

/// <summary>
/// Data dumps and exports arrive compressed: tar archives, gzipped files and both (<c>.tar.gz</c>). Each is read
/// like a ZIP archive or like the file inside it, detected from the bytes whatever the file is called.
/// </summary>
public class TarAndGzipTests
{
    private static readonly byte[] Seed = File.ReadAllBytes(TestPaths.SeedArticle);

    private static readonly byte[] Lines = Encoding.UTF8.GetBytes(
        "{\"title\": \"Chile and Peru sign a fisheries deal\", \"text\": \"The foreign ministers of Chile and Peru met in Lima.\", \"date\": \"2024-03-02\", \"url\": \"https://example.org/a\"}\n" +
        "{\"title\": \"Kenya hosts talks\", \"body\": \"Kenya hosted talks on Sudan in Nairobi on Monday.\", \"published\": \"2024-03-04T10:00:00+03:00\"}\n");

    [Fact]
    public void A_tar_archive_yields_every_file_in_its_folders_named_by_its_path()
    {
        var result = ArticleParser.Read("export.tar", Tar(("./news/seed.txt", Seed), ("./news/", []), ("./news/more/items.jsonl", Lines)));

        Assert.Equal(3, result.Articles.Count);
        Assert.Equal("export.tar!news/seed.txt", result.Articles[0].FileName);
        Assert.Equal(new DateOnly(2024, 6, 1), result.Articles[0].Date);
        Assert.Contains("Rafah", result.Articles[0].Text);
        Assert.Equal("Chile and Peru sign a fisheries deal", result.Articles[1].Title);
        Assert.Equal("export.tar!news/more/items.jsonl", result.Articles[2].FileName);
        Assert.Equal(new DateOnly(2024, 3, 4), result.Articles[2].Date);
        Assert.Empty(result.FailedEntries);
    }

    [Fact]
    public void A_gzipped_tar_archive_is_read_like_the_archive_whatever_its_name()
    {
        var result = ArticleParser.Read("dump.bin", Gzip(Tar(("seed.txt", Seed), ("items.jsonl", Lines))));

        Assert.Equal(["dump.bin!seed.txt", "dump.bin!items.jsonl", "dump.bin!items.jsonl"], result.Articles.Select(a => a.FileName));
    }

    [Fact]
    public void A_gzipped_file_is_read_as_the_file_inside_it()
    {
        var seed = Assert.Single(ArticleParser.Read("seed.txt.gz", Gzip(Seed)).Articles);
        var lines = ArticleParser.Read("items.jsonl.gz", Gzip(Lines)).Articles;

        Assert.Equal(Assert.Single(ArticleParser.Read("seed.txt", Seed).Articles), seed);
        Assert.Equal(["Chile and Peru sign a fisheries deal", "Kenya hosts talks"], lines.Select(a => a.Title));
        Assert.Equal("https://example.org/a", lines[0].Url);
    }

    [Fact]
    public void A_bad_file_in_a_tar_archive_fails_alone_and_links_and_system_files_are_passed_over()
    {
        var result = ArticleParser.Read("mixed.tar", Tar(
            [("good.txt", Seed), ("empty.txt", []), ("._good.txt", "resource fork"u8.ToArray()), ("inner.zip", "PK\u0003\u0004rest"u8.ToArray())],
            ("alias.txt", "good.txt")));

        Assert.Equal("mixed.tar!good.txt", Assert.Single(result.Articles).FileName);
        Assert.Equal(["mixed.tar!empty.txt", "mixed.tar!inner.zip"], result.FailedEntries.Select(f => f.Entry));
        Assert.Contains("the file is empty", result.FailedEntries[0].Reason);
        Assert.Contains("an archive inside an archive is not unpacked", result.FailedEntries[1].Reason);
        Assert.Contains("mixed.tar!alias.txt: skipped (a link to good.txt, not a file)", result.Skipped);
        Assert.Contains("mixed.tar!._good.txt: skipped (operating-system metadata, not an article)", result.Skipped);
    }

    [Fact]
    public void An_archive_with_nothing_readable_fails_naming_its_files()
    {
        var error = Assert.Throws<ArticleParseException>(() => ArticleParser.Read("bad.tar.gz", Gzip(Tar(("a.txt", []), ("b.txt", "   "u8.ToArray())))));

        Assert.StartsWith("bad.tar.gz: none of the archive's 2 files could be read", error.Message);
        Assert.Contains("bad.tar.gz!a.txt", error.Message);
        Assert.Contains("bad.tar.gz!b.txt", error.Message);
        Assert.StartsWith("folders.tar: the archive holds no files", Assert.Throws<ArticleParseException>(() => ArticleParser.Read("folders.tar", Tar(("a/", []), ("a/b/", [])))).Message);
    }

    [Fact]
    public void Damaged_compressed_data_fails_with_the_file_name()
    {
        var gzip = Gzip(Seed);
        gzip[gzip.Length / 2] ^= 0xFF;
        gzip[gzip.Length / 2 + 1] ^= 0xFF;

        var error = Assert.Throws<ArticleParseException>(() => ArticleParser.Read("seed.txt.gz", gzip));

        Assert.StartsWith("seed.txt.gz: ", error.Message);
    }

    [Fact]
    public void A_file_gzipped_twice_is_refused_with_what_to_do()
    {
        var error = Assert.Throws<ArticleParseException>(() => ArticleParser.Read("seed.txt.gz.gz", Gzip(Gzip(Seed))));

        Assert.Equal("seed.txt.gz.gz: the file is compressed twice; unpack it once and upload that", error.Message);
    }
}
