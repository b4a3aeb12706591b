using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Data;

/// <summary>The ingestor's read of the queue: queue order, bytes included, and where a batch must stop.</summary>
public sealed class QueueReaderTests
{
    [Fact]
    public async Task A_batch_is_read_in_queue_order_with_its_bytes_and_ends_before_a_spooled_upload()
    {
        await using var store = new TestStore();
        var services = await store.StartAsync();
        await using var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        var received = new DateTime(2026, 11, 27, 8, 30, 15, DateTimeKind.Utc);
        Upload Queued(string name, byte[]? content, long? feedId = null) =>
            new() { FileName = name, Content = content, Status = UploadStatus.Queued, ReceivedAt = received, FeedId = feedId };
        var uploads = new List<Upload>
        {
            Queued("a.txt", [1, 2, 3]),
            Queued("b.txt", [4, 5], feedId: null),
            Queued("archive.zip", null),
            Queued("c.txt", [6]),
            new() { FileName = "done.txt", Content = [7], Status = UploadStatus.Stored, ReceivedAt = received },
            Queued("d.txt", []),
        };
        await QueueWriter.InsertAsync(db, uploads, CancellationToken.None);
        var ids = uploads.Select(u => u.Id).ToList();

        var (batch, spooled) = await QueueReader.ReadAsync(db, 0, 100, long.MaxValue, [], CancellationToken.None);
        Assert.Null(spooled);
        Assert.Equal(["a.txt", "b.txt"], batch.Select(u => u.FileName));
        Assert.Equal([ids[0], ids[1]], batch.Select(u => u.Id));
        Assert.Equal(new byte[] { 1, 2, 3 }, batch[0].Content);
        Assert.Equal(received, batch[0].ReceivedAt);
        Assert.All(batch, u => Assert.Equal(UploadStatus.Queued, u.Status));

        // The spooled upload comes alone; passed over (another worker has it), the rest follows, stored ones never.
        (batch, spooled) = await QueueReader.ReadAsync(db, ids[1], 100, long.MaxValue, [], CancellationToken.None);
        Assert.Empty(batch);
        Assert.Equal(ids[2], spooled);
        (batch, spooled) = await QueueReader.ReadAsync(db, ids[1], 100, long.MaxValue, [ids[2]], CancellationToken.None);
        Assert.Null(spooled);
        Assert.Equal(["c.txt", "d.txt"], batch.Select(u => u.FileName));
        Assert.Equal(Array.Empty<byte>(), batch[1].Content);

        (batch, spooled) = await QueueReader.ReadAsync(db, ids[^1], 100, long.MaxValue, [], CancellationToken.None);
        Assert.Empty(batch);
        Assert.Null(spooled);
    }

    [Fact]
    public async Task A_batch_stops_at_the_upload_count_and_the_byte_budget_but_always_takes_the_first()
    {
        await using var store = new TestStore();
        var services = await store.StartAsync();
        await using var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        var uploads = Enumerable.Range(0, 5)
            .Select(i => new Upload { FileName = $"{i}.txt", Content = new byte[10 * (i + 1)], Status = UploadStatus.Queued, ReceivedAt = DateTime.UtcNow })
            .ToList();
        await QueueWriter.InsertAsync(db, uploads, CancellationToken.None);

        var (batch, _) = await QueueReader.ReadAsync(db, 0, 2, long.MaxValue, [], CancellationToken.None);
        Assert.Equal(["0.txt", "1.txt"], batch.Select(u => u.FileName));
        // 10 + 20 + 30 bytes fit in 60; the fourth (40) would not.
        (batch, _) = await QueueReader.ReadAsync(db, 0, 100, 60, [], CancellationToken.None);
        Assert.Equal(["0.txt", "1.txt", "2.txt"], batch.Select(u => u.FileName));
        // A first upload larger than the budget is still read, alone: the queue must not stall behind it.
        (batch, _) = await QueueReader.ReadAsync(db, uploads[3].Id, 100, 1, [], CancellationToken.None);
        Assert.Equal(["4.txt"], batch.Select(u => u.FileName));
    }
}
