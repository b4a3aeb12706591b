using Dashboard.Web.Benchmarks;

namespace Dashboard.Tests.Benchmarks;

/// <summary>
/// <c>bench archive</c> end to end on a small archive of each format: the generated articles go through the spool and
/// are stored. Memory is not asserted: the benchmark measures it, tests do not.
/// </summary>
public sealed class ArchiveBenchmarkTests
{
    [Fact]
    public async Task The_same_articles_archived_as_zip_or_as_tar_gz_are_stored_alike()
    {
        var zip = await ArchiveBenchmark.RunAsync(2, seed: 4, TextWriter.Null, tarGz: false);
        var tarGz = await ArchiveBenchmark.RunAsync(2, seed: 4, TextWriter.Null, tarGz: true);

        Assert.Equal(("zip", "tar.gz"), (zip.Format, tarGz.Format));
        Assert.Equal(zip.Entries, tarGz.Entries);
        Assert.True(zip.Entries >= 2, $"{zip.Entries} entries");
        // 400 articles an entry; the generator repeats a few stories word for word, and those are stored once.
        Assert.InRange(zip.Articles, zip.Entries * 400 * 95 / 100, zip.Entries * 400);
        Assert.Equal(zip.Articles, tarGz.Articles);
        Assert.True(tarGz.ArchiveBytes < zip.ArchiveBytes / 2, "the tar.gz is compressed");
        Assert.True(tarGz.PeakMb >= tarGz.BaselineMb);
    }
}
