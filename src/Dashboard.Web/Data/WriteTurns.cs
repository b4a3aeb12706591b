namespace Dashboard.Web.Data;

/// <summary>
/// Turns at the store's single write lock for this process's writers, first come first served: the ingestor's batch
/// transactions (seconds long during a bulk import) and the queue's inserts (an upload from the browser, the API, the
/// inbox or a feed). SQLite's own busy handler polls with sleeps of up to 100 ms, and the ingestor starts its next
/// batch the moment the previous one commits, so a waiting upload could miss every gap and fail after the busy timeout
/// while an import ran. With turns, it waits for at most the batch being written. Other processes sharing the file
/// (an <c>import</c> run beside the app) still meet at SQLite's lock and its busy timeout.
/// </summary>
public sealed class WriteTurns
{
    // Waiters with WaitAsync are released in the order they came; a turn handed back goes to the oldest waiter.
    private readonly SemaphoreSlim _turn = new(1, 1);

    private int _waiting;

    /// <summary>Writers waiting for their turn now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Waits for this writer's turn; dispose the result when the transaction is committed or rolled back.</summary>
    public async Task<IDisposable> TakeAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _waiting);
        Interlocked.Exchange(ref _arrived, NewSignal()).TrySetResult();
        try
        {
            await _turn.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        return new Turn(_turn);
    }

    // Completed (and replaced) whenever a writer starts waiting, so a caller can wait for writers to queue up.
    private TaskCompletionSource _arrived = NewSignal();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once at least <paramref name="count"/> writers are waiting for their turn (for tests and diagnostics).</summary>
    internal async Task UntilWaitingAsync(int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var arrived = Volatile.Read(ref _arrived);
            if (Waiting >= count)
            {
                return;
            }
            await arrived.Task.WaitAsync(cancellationToken);
        }
    }

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                turn.Release();
            }
        }
    }
}
