namespace Dashboard.Web.Ingestion;

/// <summary>
/// Runs a batch's per-upload work (parsing, extraction) on the cores the single writer leaves free: all but one while
/// a batch is written, and all of them as soon as that write ends. <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>
/// fixes its parallelism when it starts, so a batch prepared beside a write stayed on one core after the write ended,
/// with the writer idle and waiting for it (a timeline of bench ingest, stop 25: 1.2 s of the writer's idle time in a
/// 100,000-article import, most of it while the first batches grow).
/// </summary>
public static class Cores
{
    /// <summary>Threads the pool starts at once beyond one per core: see <see cref="KeepThreadsReady"/>.</summary>
    private const int BlockingParticipants = 4;

    /// <summary>
    /// Lets the thread pool start a thread at once for each part of ingestion that holds one while it waits or reads:
    /// the writer, the preparation of the next batch (which waits for its workers, see <see cref="For"/>), the background
    /// checkpoint, and an import reading its files. The pool starts one thread per core on demand and, once they are all
    /// busy, adds another only every half second or so. On two cores the writer's next batch then waited for a thread: a
    /// timeline of bench ingest (stop 27) showed two writes in the middle of a 100,000-article import starting 268 and
    /// 278 ms after they were asked for, and stop 26 saw early ones wait up to 432 ms. With four more threads ready the
    /// waits were 0 to 7 ms. Threads the pool starts for this are only made when work queues up for them.
    /// </summary>
    public static void KeepThreadsReady()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount + BlockingParticipants), completionPorts);
    }

    /// <summary>
    /// Calls <paramref name="body"/> for 0 to <paramref name="count"/> - 1 and returns when every call has returned.
    /// While <paramref name="write"/> runs, one core is left to it; a worker joins when it ends.
    /// </summary>
    /// <exception cref="AggregateException">A call threw; the others that had started still ran to their end.</exception>
    public static void For(int count, Task? write, Action<int> body, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return;
        }
        var writing = write is { IsCompleted: false };
        var workers = Math.Max(1, Environment.ProcessorCount - (writing ? 1 : 0));
        var state = new Work(count, body, cancellationToken);
        for (var w = 1; w < workers; w++)
        {
            _ = Task.Run(state.Run, CancellationToken.None);
        }
        if (writing)
        {
            // Joins only if there is work left when the write ends; the caller never waits for the write itself. On a
            // thread of its own: the pool's threads are the writer, this caller and the server's requests, and a busy
            // pool adds a thread only after half a second or so.
            _ = write!.ContinueWith(_ => state.Run(), CancellationToken.None, TaskContinuationOptions.LongRunning, TaskScheduler.Default);
        }
        state.Run();
        state.Wait();
    }

    private sealed class Work(int count, Action<int> body, CancellationToken cancellationToken)
    {
        private readonly ManualResetEventSlim _done = new(false);
        private readonly Lock _errorsLock = new();
        private int _next = -1;
        private int _finished;
        private List<Exception>? _errors;

        public void Run()
        {
            int i;
            while ((i = Interlocked.Increment(ref _next)) < count)
            {
                try
                {
                    if (_errors is null)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        body(i);
                    }
                }
                catch (Exception ex)
                {
                    lock (_errorsLock)
                    {
                        (_errors ??= []).Add(ex);
                    }
                }
                finally
                {
                    if (Interlocked.Increment(ref _finished) == count)
                    {
                        _done.Set();
                    }
                }
            }
        }

        public void Wait()
        {
            _done.Wait(CancellationToken.None);
            _done.Dispose();
            cancellationToken.ThrowIfCancellationRequested();
            if (_errors is { } errors)
            {
                throw new AggregateException(errors);
            }
        }
    }
}
