using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Data;

/// <summary>The bytes of uploads live in their own table: kept while queued or failed, gone once stored, and moved over on upgrade.</summary>
public sealed class UploadContentsTests
{
    [Fact]
    public async Task Upgrading_a_store_moves_the_bytes_of_queued_and_failed_uploads_and_nothing_queued_is_lost()
    {
        await using var store = new TestStore();
        var seed = await File.ReadAllBytesAsync(TestPaths.SeedArticle);
        var options = new DbContextOptionsBuilder<DashboardDb>().UseDashboardSqlite($"Data Source={store.DatabasePath}").Options;
        await using (var old = new DashboardDb(options))
        {
            // The store as the previous version left it: bytes in the Uploads table itself.
            await old.GetService<IMigrator>().MigrateAsync("20261127002212_CoMentionIndex");
            await old.Database.ExecuteSqlRawAsync(
                "INSERT INTO Uploads (Id, FileName, Content, Status, Reason, ReceivedAt) VALUES (1, 'seed.txt', {0}, 0, NULL, '2026-11-26 10:00:00'), " +
                "(2, 'broken.txt', {1}, 3, 'broken.txt: the file has no text', '2026-11-26 10:00:00'), (3, 'done.txt', NULL, 1, NULL, '2026-11-26 09:00:00')",
                seed, new byte[] { 1, 2, 3 });
        }

        var services = await store.StartAsync();
        await using (var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync())
        {
            var contents = await db.UploadContents.OrderBy(c => c.UploadId).ToListAsync();
            Assert.Equal([1L, 2L], contents.Select(c => c.UploadId));
            Assert.Equal(seed, contents[0].Content);
            Assert.Equal(3, await db.Uploads.CountAsync());
            // Moved, not copied: the old column (left in place, unmapped) holds no bytes any more.
            Assert.Equal(0, await db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS Value FROM Uploads WHERE Content IS NOT NULL").SingleAsync());
        }

        await services.GetRequiredService<ArticleIngestor>().DrainAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        Assert.Equal(UploadStatus.Stored, (await queue.FindAsync(1))!.Status);
        // The failed one kept its bytes, so it can still be retried.
        var (retried, refusal) = await queue.RetryAsync(2);
        Assert.Null(refusal);
        Assert.Equal(UploadStatus.Queued, retried!.Status);
        await using (var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync())
        {
            Assert.Equal([2L], await db.UploadContents.Select(c => c.UploadId).ToListAsync());
        }
    }

    [Fact]
    public async Task Stored_uploads_free_their_pages_for_the_next_ones_instead_of_growing_the_file()
    {
        await using var store = new TestStore();
        var services = await store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        var ingestor = services.GetRequiredService<ArticleIngestor>();
        var text = string.Join(" ", Enumerable.Repeat("Iran and Algeria discussed Gaza and Rafah in Tehran.", 60));

        // Bytes of the pages on the free list once an import of 100 uploads is stored.
        async Task<long> ImportAsync(int round)
        {
            // Ten requests of ten files: fewer than a spool segment takes (SpoolSegmentTests), so the bytes go into the table.
            foreach (var chunk in Enumerable.Range(0, 100).Chunk(10))
            {
                await queue.EnqueueManyAsync(chunk.Select(i => ($"{round}-{i}.txt", System.Text.Encoding.UTF8.GetBytes($"date 2024-06-01\n\n{round} {i} {text}"))).ToList());
            }
            await ingestor.DrainAsync();
            await using var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");
            return await db.Database.SqlQueryRaw<long>("SELECT f.freelist_count * p.page_size AS Value FROM pragma_freelist_count f, pragma_page_size p").SingleAsync();
        }

        var first = await ImportAsync(1);
        var second = await ImportAsync(2);
        await using (var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync())
        {
            Assert.Empty(db.UploadContents);
            Assert.Equal(200, await db.Uploads.CountAsync(u => u.Status == UploadStatus.Stored));
        }
        // The bytes of 100 uploads of 3.2 KB went back to the free list after each import, ready for the next uploads;
        // emptying a column in place, as before, left those pages in the table for good.
        Assert.InRange(first, 250_000, 4_000_000);
        Assert.InRange(second, 250_000, 4_000_000);
    }
}
