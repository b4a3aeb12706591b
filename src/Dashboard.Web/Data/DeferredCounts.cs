using System.Data.Common;
using System.Diagnostics;

namespace Dashboard.Web.Data;

/// <summary>
/// The daily and monthly counts of a bulk import's batches, held in memory and written once for several batches.
/// Each batch of a long import touches most (entity, day) rows of its years, so adding its counts rewrote nearly the
/// whole count table once per batch (3.4 s per 100,000 articles against 0.9 s to write the final rows once).
/// </summary>
/// <remarks>
/// Crash-safe: a held batch's articles are listed in <c>UncountedArticles</c> in the transaction that stores them, and
/// the counts are exactly those of the articles not listed there. Whoever else changes counts (a correction, a merge,
/// a re-extraction, a restart after a crash) first counts the listed articles from their stored mentions
/// (<see cref="DailyCounts.CatchUpAsync(DbConnection, DbTransaction?, CancellationToken)"/>), which also moves the
/// catch-up generation on: a holder that then finds the generation moved, or rows it did not write, drops what it
/// holds and counts from the store instead. Counts are held only while more uploads wait in the queue, and for at most
/// <see cref="MaxHold"/>, so the charts trail a bulk import by seconds and a single upload is counted at once.
/// </remarks>
public sealed class DeferredCounts
{
    /// <summary>The longest the charts trail the articles during a bulk import.</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(10);

    /// <summary>Keys held at most (about 40 bytes each): a flush before the tally outgrows the memory a batch takes.</summary>
    private const int MaxHeldKeys = 2_000_000;

    /// <summary>The counts of the batches held so far; the batch being written adds to it.</summary>
    internal DailyCounts.Tally Tally { get; private set; } = new();

    private readonly List<long> _held = [];
    private long _generation;
    private long _heldSince;

    /// <summary>True after a write failed with counts added to <see cref="Tally"/>: what is held is then counted from the store.</summary>
    private bool _stale;

    /// <summary>What the batch's transaction changes here once it commits.</summary>
    private Action? _onCommit;

    /// <summary>True when nothing is held.</summary>
    public bool IsEmpty => _held.Count == 0 && !_stale;

    /// <summary>
    /// Inside the batch's transaction, after its rows (whose counts are in <see cref="Tally"/>): holds the batch's counts
    /// when <paramref name="moreFollow"/> and the hold is young, and otherwise writes everything held with them.
    /// Call <see cref="Committed"/> after the commit, or <see cref="Abandon"/> when the transaction fails.
    /// </summary>
    public async Task EndBatchAsync(DbConnection connection, DbTransaction transaction, IReadOnlyCollection<long> articleIds, bool moreFollow, CancellationToken cancellationToken)
    {
        _onCommit = null;
        var hold = moreFollow && !_stale && Tally.Entities.Count < MaxHeldKeys
            && (_held.Count == 0 || Stopwatch.GetElapsedTime(_heldSince) < MaxHold);
        if (hold)
        {
            List(connection, articleIds, cancellationToken);
            var generation = _held.Count == 0 ? await DailyCounts.CatchUpGenerationAsync(connection, transaction, cancellationToken) : _generation;
            _onCommit = () =>
            {
                if (_held.Count == 0)
                {
                    _heldSince = Stopwatch.GetTimestamp();
                }
                _held.AddRange(articleIds);
                _generation = generation;
            };
            return;
        }
        if (_held.Count == 0 && !_stale)
        {
            await DailyCounts.ApplyAsync(connection, transaction, Tally, cancellationToken);
        }
        else if (!_stale && await DailyCounts.CatchUpGenerationAsync(connection, transaction, cancellationToken) == _generation
            && await DailyCounts.UncountedAsync(connection, transaction, cancellationToken) == _held.Count)
        {
            await DailyCounts.ApplyAsync(connection, transaction, Tally, cancellationToken);
            // The list holds exactly what this importer listed (the same number, and nobody caught up meanwhile, in the
            // transaction that holds the write lock): emptied at once, not row by row.
            using var unlist = new SqliteStatement(connection, "DELETE FROM UncountedArticles");
            unlist.Run();
        }
        else
        {
            // Some of what is held was counted by someone else meanwhile (or a failed write left the tally unknown):
            // the store's mentions are the truth.
            List(connection, articleIds, cancellationToken);
            await DailyCounts.CatchUpAsync(connection, transaction, cancellationToken);
        }
        _onCommit = () =>
        {
            _held.Clear();
            Tally.Clear();
            _stale = false;
        };
    }

    /// <summary>Writes what is held, in the caller's transaction (the queue is empty, or another kind of work comes next).</summary>
    public Task FlushAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        EndBatchAsync(connection, transaction, [], moreFollow: false, cancellationToken);

    /// <summary>The batch's transaction committed.</summary>
    public void Committed()
    {
        _onCommit?.Invoke();
        _onCommit = null;
    }

    /// <summary>The batch's transaction failed: its counts are in <see cref="Tally"/> but its rows are not stored.</summary>
    public void Abandon()
    {
        _onCommit = null;
        _held.Clear();
        Tally = new();
        _stale = true;
    }

    private static void List(DbConnection connection, IReadOnlyCollection<long> articleIds, CancellationToken cancellationToken)
    {
        using var list = new SqliteStatement(connection, "INSERT INTO UncountedArticles (ArticleId) VALUES (?1)");
        foreach (var id in articleIds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            list.Bind(1, id).Run();
        }
    }
}
