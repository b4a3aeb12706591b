using Dashboard.Web.Ingestion;

namespace Dashboard.Tests.Ingestion;

/// <summary>A batch's per-upload work leaves the writer its core while it writes, takes it back when the write ends, and never waits for the write.</summary>
public sealed class CoresTests
{
    [Fact]
    public void Every_item_runs_once_and_a_worker_joins_when_the_write_ends()
    {
        var write = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = new int[400];
        int active = 0, mostWhileWriting = 0;
        var threadsWhileWriting = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        using var joined = new ManualResetEventSlim();
        var gaveUp = false;
        Cores.For(runs.Length, write.Task, i =>
        {
            var now = Interlocked.Increment(ref active);
            if (!write.Task.IsCompleted)
            {
                Max(ref mostWhileWriting, now);
                threadsWhileWriting[Environment.CurrentManagedThreadId] = true;
            }
            else if (!threadsWhileWriting.ContainsKey(Environment.CurrentManagedThreadId))
            {
                joined.Set();
            }
            Interlocked.Increment(ref runs[i]);
            if (i == 20)
            {
                write.SetResult();
            }
            Interlocked.Decrement(ref active);
            // Once the write has ended, items wait for the worker that joins (so one item cannot take them all first).
            if (i > 20 && !Volatile.Read(ref gaveUp) && !joined.Wait(TimeSpan.FromSeconds(10)))
            {
                Volatile.Write(ref gaveUp, true);
            }
        }, CancellationToken.None);

        Assert.All(runs, r => Assert.Equal(1, r));
        Assert.InRange(mostWhileWriting, 1, Math.Max(1, Environment.ProcessorCount - 1));
        Assert.True(joined.IsSet, "no worker joined the items after the write ended");
    }

    [Fact]
    public void The_pool_starts_a_thread_at_once_for_each_blocking_part_of_ingestion_and_never_lowers_a_higher_minimum()
    {
        ThreadPool.GetMinThreads(out var workersBefore, out var portsBefore);
        try
        {
            ThreadPool.SetMinThreads(Environment.ProcessorCount, portsBefore);
            Cores.KeepThreadsReady();
            ThreadPool.GetMinThreads(out var workers, out var ports);
            Assert.Equal(Environment.ProcessorCount + 4, workers);
            Assert.Equal(portsBefore, ports);

            ThreadPool.SetMinThreads(Environment.ProcessorCount + 40, portsBefore);
            Cores.KeepThreadsReady();
            ThreadPool.GetMinThreads(out workers, out _);
            Assert.Equal(Environment.ProcessorCount + 40, workers);
        }
        finally
        {
            ThreadPool.SetMinThreads(workersBefore, portsBefore);
        }
    }

    [Fact]
    public void The_work_ends_without_waiting_for_the_write()
    {
        var write = new TaskCompletionSource();
        var runs = 0;

        Cores.For(100, write.Task, _ => Interlocked.Increment(ref runs), CancellationToken.None);

        Assert.Equal(100, runs);
        Assert.False(write.Task.IsCompleted);
        write.SetResult();
    }

    [Fact]
    public void A_failing_item_stops_the_run_and_is_reported()
    {
        var runs = 0;

        var error = Assert.Throws<AggregateException>(() => Cores.For(50, null, i =>
        {
            Interlocked.Increment(ref runs);
            if (i == 7)
            {
                throw new InvalidOperationException("item 7");
            }
        }, CancellationToken.None));

        Assert.Equal("item 7", Assert.Single(error.InnerExceptions).Message);
        Assert.InRange(runs, 8, 50);
    }

    [Fact]
    public void A_cancelled_run_throws_operation_cancelled()
    {
        using var cancel = new CancellationTokenSource();

        Assert.ThrowsAny<OperationCanceledException>(() => Cores.For(1000, null, i =>
        {
            if (i == 3)
            {
                cancel.Cancel();
            }
        }, cancel.Token));
    }

    private static void Max(ref int most, int now)
    {
        int seen;
        while (now > (seen = Volatile.Read(ref most)) && Interlocked.CompareExchange(ref most, now, seen) != seen)
        {
        }
    }
}
