using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Dashboard.Web.Data;

/// <summary>
/// Everything SQLite-specific about the store lives here (connection string defaults, pragmas), so a
/// PostgreSQL store can sit beside it later without touching the pages or the ingestion service.
/// </summary>
public static class SqliteSetup
{
    /// <summary>Where the database lives when <c>ConnectionStrings:Dashboard</c> is not set.</summary>
    public const string DefaultRelativePath = "data/dashboard.db";

    public static string ResolveConnectionString(string? configured, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(configured) ? $"Data Source={DefaultRelativePath}" : configured);
        if (builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.GetFullPath(builder.DataSource, contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            builder.DataSource = path;
        }
        // The ingestion worker and the pages write and read at the same time: wait for a lock rather than fail.
        if (builder.DefaultTimeout < 30)
        {
            builder.DefaultTimeout = 30;
        }
        builder.Pooling = true;
        return builder.ToString();
    }

    private static int s_libraryConfigured;

    /// <summary>
    /// Puts SQLite in multi-thread mode; called once at start-up, before the first connection opens (a call after that
    /// changes nothing, and SQLite stays serialized, which is harmless). Each connection is used by one thread at a time,
    /// as Microsoft.Data.Sqlite and EF Core require of their own connections and contexts anyway, and SQLite then no
    /// longer locks a mutex of the connection on every call. The bundled
    /// library's default (serialized) locked and unlocked one around each of a mention row's ten calls: 0.7% of a bulk
    /// import's CPU in the lock alone, most of it on the single writer. <c>bench ingest</c>, alternated (stop 27):
    /// 5,165 and 5,086 articles/s against 5,044 and 5,040 serialized.
    /// </summary>
    public static void UseMultiThreadMode()
    {
        if (Interlocked.Exchange(ref s_libraryConfigured, 1) == 0)
        {
            SQLitePCL.Batteries_V2.Init();
            // SQLITE_MISUSE when SQLite was already initialised in this process (a test that opened a store first): it stays serialized.
            _ = SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD);
        }
    }

    public static TBuilder UseDashboardSqlite<TBuilder>(this TBuilder options, string connectionString)
        where TBuilder : DbContextOptionsBuilder
    {
        options.UseSqlite(connectionString).AddInterceptors(new PragmaInterceptor());
        return options;
    }

    /// <summary>SQL for the first day of the month of a date column: dates are stored as ISO text (yyyy-MM-dd).</summary>
    public static string MonthStart(string column) => $"substr({column}, 1, 8) || '01'";

    /// <summary>
    /// A read transaction that sees one version of the store from its first read on and takes no write lock
    /// (a plain BEGIN in Microsoft.Data.Sqlite is IMMEDIATE, which would queue behind the ingestion writer).
    /// </summary>
    public static DbTransaction BeginSnapshot(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: true);

    /// <summary>Switches the file to WAL once, so readers never block the ingestion writer.</summary>
    public static void EnableWriteAheadLog(DbContext db)
    {
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }

    /// <summary>
    /// The page cache of the ingestion writer's connection while it writes a batch, in KiB. A batch touches pages
    /// all over the mention and daily-count indexes (entities and dates arrive in no order); with SQLite's default of
    /// 2 MB most of them were read back from disk once per batch. The cache goes back to the default after the
    /// batch, so the pooled connection does not keep it for the pages' readers.
    /// </summary>
    public const int BulkWriteCacheKib = 32 * 1024;

    /// <summary>SQLite's default page cache (2 MB), which every connection keeps outside a bulk write.</summary>
    public const int DefaultCacheKib = 2000;

    /// <summary>SQLite's default: a checkpoint inside the commit that takes the log past this many pages.</summary>
    private const int DefaultAutoCheckpointPages = 1000;

    /// <summary>
    /// Before a bulk batch's transaction begins (foreign-key enforcement cannot change inside one): holds the context's
    /// connection open, since these settings are the connection's, and gives it a larger page cache, no checkpoint
    /// inside its commit (<see cref="CheckpointInBackground"/>), and no foreign-key checks. The batch's rows reference
    /// only articles and entities that its own transaction read or inserted, and checking both parents of every
    /// mention again cost a fifth of the time of the mention inserts.
    /// </summary>
    /// <param name="cacheKib">The page cache for the batch, in KiB (a spooled upload's smaller chunks take less).</param>
    public static async Task BeginBulkWriteAsync(DbContext db, CancellationToken cancellationToken, int cacheKib = BulkWriteCacheKib)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var pragmas = $"PRAGMA foreign_keys=OFF; PRAGMA cache_size=-{cacheKib}; PRAGMA wal_autocheckpoint=0;";
        await db.Database.ExecuteSqlRawAsync(pragmas, cancellationToken);
    }

    /// <summary>
    /// Inside a transaction that queues uploads: its commit does not checkpoint. SQLite's automatic checkpoint runs in
    /// the commit that takes the log past 1,000 pages, which during a bulk import is every queue commit, and it copies
    /// the pages of the batch the ingestor wrote before, while the queue holds the store's write turn (a bulk import's
    /// queue commits took 1.2 s of its 2.4 s of queue inserts). Call <see cref="CheckpointInBackground"/> after the
    /// commit instead. The setting is the connection's; <see cref="PragmaInterceptor"/> restores it when the pooled
    /// connection is next opened.
    /// </summary>
    public static Task NoCheckpointInCommitAsync(DbContext db, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync("PRAGMA wal_autocheckpoint=0;", cancellationToken);

    /// <summary>
    /// Call once the batch's transaction is committed or rolled back (disposed): the defaults back, and the connection
    /// back to the pool. Never throws: it runs in a finally block, where an error would hide the one that failed the
    /// batch (and decides its retry).
    /// </summary>
    public static async Task EndBulkWriteAsync(DbContext db)
    {
        try
        {
            await db.Database.ExecuteSqlRawAsync($"PRAGMA foreign_keys=ON; PRAGMA cache_size=-{DefaultCacheKib}; PRAGMA wal_autocheckpoint={DefaultAutoCheckpointPages};");
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            // The connection is broken or gone; a pooled one gets the defaults back when it is next opened (PragmaInterceptor).
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static int s_checkpointing;

    private static Task s_checkpoint = Task.CompletedTask;

    /// <summary>
    /// Waits for the background checkpoint in progress, if any. Call it once nothing writes any more and before a
    /// store's files are removed: the checkpoint's own connection (not pooled) holds the log open until it ends, and a
    /// folder deleted under it is left half-empty ("Directory not empty", seen once in a benchmark's clean-up).
    /// </summary>
    public static void WaitForBackgroundCheckpoint() =>
        // WhenAny: waits without rethrowing; a checkpoint that failed is only skipped, the next one catches up.
        Task.WhenAny(Volatile.Read(ref s_checkpoint)).Wait();

    /// <summary>
    /// While more writes follow, a checkpoint at most this often, unless the log is due to start over
    /// (<see cref="LogRestartBytes"/>). A checkpoint during a continuous import copies pages into the database file early
    /// and copies again each page that later batches change once more: about 1.1 s of kernel CPU per 100,000 articles
    /// (<c>bench ingest</c>, stop 29). The interval bounds the pages left to copy when the import ends.
    /// </summary>
    public static readonly TimeSpan CheckpointIntervalWhileWriting = TimeSpan.FromSeconds(30);

    /// <summary>When the last checkpoint began (a <see cref="Stopwatch"/> timestamp); 0 before the first.</summary>
    private static long s_lastCheckpointStarted;

    /// <summary>
    /// Stores whose log must be copied once the checkpoint in progress ends (the last write of an import), by store: a
    /// process with several stores (the benchmarks, the tests) must not lose one store's request to another's.
    /// </summary>
    private static readonly ConcurrentDictionary<string, CheckpointPass> s_checkpointsRequested = new();

    /// <summary>One store's checkpoint and what its caller passed for the log's restart.</summary>
    private sealed record CheckpointPass(string Store, string DatabasePath, ILogger Logger, WriteTurns? Turns, long LogRestartBytes);

    /// <summary>
    /// Copies the write-ahead log into the database file on another thread, after a bulk batch committed. The batch's
    /// connection does not checkpoint itself (see <see cref="BeginBulkWriteAsync"/>): SQLite's automatic checkpoint
    /// runs inside the commit, so the single writer waited for every page of the batch to be copied and synced once
    /// more before it could start the next batch. A passive checkpoint runs beside the writer without blocking it
    /// or any reader; one at a time: a call while one runs is dropped when more writes follow (a later call catches
    /// up), and otherwise runs once the one in progress ends.
    /// </summary>
    /// <param name="moreWritesFollow">The caller knows of writes queued behind its own (a bulk import's next batch):
    /// the checkpoint is left to the last of them unless <see cref="CheckpointIntervalWhileWriting"/> has passed.
    /// The last write of an import passes false, so the log is always copied once the writes stop.</param>
    /// <param name="turns">This process's write turns: with them, a pass that finds the log past
    /// <see cref="LogRestartBytes"/> takes a turn to start the log over (see <see cref="RestartLog"/>).</param>
    /// <param name="logRestartBytes">The log length that calls for a restart; tests pass a smaller one.</param>
    public static void CheckpointInBackground(DbContext db, ILogger logger, bool moreWritesFollow = false, WriteTurns? turns = null,
        long logRestartBytes = LogRestartBytes)
    {
        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        if (builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            return;
        }
        // Never creates a file (the store may have been removed meanwhile) and never stays in the pool.
        builder.Mode = SqliteOpenMode.ReadWrite;
        builder.Pooling = false;
        var pass = new CheckpointPass(builder.ToString(), builder.DataSource, logger, turns, logRestartBytes);
        if (moreWritesFollow)
        {
            var last = Interlocked.Read(ref s_lastCheckpointStarted);
            if (last != 0 && Stopwatch.GetElapsedTime(last) < CheckpointIntervalWhileWriting && !(turns is not null && RestartIsDue(pass)))
            {
                return;
            }
        }
        else
        {
            s_checkpointsRequested[pass.Store] = pass;
        }
        if (Interlocked.Exchange(ref s_checkpointing, 1) == 1)
        {
            return;
        }
        Volatile.Write(ref s_checkpoint, Task.Run(() =>
        {
            var next = pass;
            while (true)
            {
                // This pass covers a request for the same store made before it.
                s_checkpointsRequested.TryRemove(next.Store, out _);
                Checkpoint(next);
                Volatile.Write(ref s_checkpointing, 0);
                // A request that came during the pass, unless a new caller has taken the turn already.
                if (s_checkpointsRequested.Values.FirstOrDefault() is not { } requested || Interlocked.Exchange(ref s_checkpointing, 1) == 1)
                {
                    return;
                }
                next = requested;
            }
        }));
    }

    private static void Checkpoint(CheckpointPass pass)
    {
        Interlocked.Exchange(ref s_lastCheckpointStarted, Stopwatch.GetTimestamp());
        try
        {
            using var connection = new SqliteConnection(pass.Store);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout=30000;";
            command.ExecuteNonQuery();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            command.ExecuteNonQuery();
            if (pass.Turns is { } turns && RestartIsDue(pass))
            {
                RestartLog(connection, turns, pass);
            }
        }
        catch (Exception ex) when (ex is SqliteException or IOException or InvalidOperationException)
        {
            // Harmless: the log is copied by the next checkpoint (or SQLite's own when the last connection closes).
            pass.Logger.LogDebug(ex, "Background checkpoint skipped");
        }
    }

    /// <summary>
    /// The log length past which a checkpoint pass also starts the log over. SQLite writes the log from its start again
    /// only once a checkpoint has copied every page in it and no reader still reads from it; during a bulk import the
    /// next batch always began while the passive checkpoint was still copying, so until stop 31 the log grew by about
    /// 1.3 GB per 100,000 articles until the queue ran dry (13 GB for a million). In <c>bench ingest</c> at stop 31: at
    /// 256 MB a pass ran after nearly every batch and cost about a tenth of the rate (2 kernel seconds more per 100,000
    /// articles); at 1 GB the pass and the restart fell inside a 100,000-article import (1.3 GB of log) and cost it 5 to
    /// 10%, the copying that otherwise follows the import. At 2 GB such an import runs as before.
    /// </summary>
    public const long LogRestartBytes = 2048L * 1024 * 1024;

    /// <summary>When a restart last found readers still on a store's log (a <see cref="Stopwatch"/> timestamp), by database path.</summary>
    private static readonly ConcurrentDictionary<string, long> s_restartBlocked = new();

    /// <summary>
    /// The log file has grown past the length (after a restart SQLite's next commit cuts it back to
    /// <see cref="LogSizeLimitBytes"/>), and no restart found readers in the way within the last interval: a long
    /// reader (an export) would otherwise have every batch wait for the restart's busy timeout.
    /// </summary>
    private static bool RestartIsDue(CheckpointPass pass)
    {
        if (s_restartBlocked.TryGetValue(pass.DatabasePath, out var blocked) && Stopwatch.GetElapsedTime(blocked) < CheckpointIntervalWhileWriting)
        {
            return false;
        }
        try
        {
            var log = new FileInfo(pass.DatabasePath + "-wal");
            return log.Exists && log.Length >= pass.LogRestartBytes;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// After a passive pass has copied most of the log: waits for this process's writers to finish their turn (a bulk
    /// batch), then, holding the turn, copies the frames written meanwhile and has SQLite start the log over at the next
    /// write. The writers wait only for the copy of those last frames; SQLite's busy handler waits at most a moment for
    /// readers still on the log and otherwise the log is left as it is, to be started over by a later pass.
    /// In <c>bench ingest --articles 200000</c> (stop 31, restarting past 1 GB) a restart came after each 1.1 to 1.4 GB
    /// of log and held the writer up 0.5 to 0.8 s to copy the last 18,000 pages. A second passive pass before it did
    /// not shorten that: the writer added pages faster than the pass copied the newest ones.
    /// </summary>
    private static void RestartLog(SqliteConnection connection, WriteTurns turns, CheckpointPass pass)
    {
        using (turns.TakeAsync().GetAwaiter().GetResult())
        {
            using var command = connection.CreateCommand();
            // Apart: a reader over both would read the first statement's row, the timeout.
            command.CommandText = "PRAGMA busy_timeout=200;";
            command.ExecuteNonQuery();
            command.CommandText = "PRAGMA wal_checkpoint(RESTART);";
            using var reader = command.ExecuteReader();
            if (reader.Read() && reader.GetInt64(0) != 0)
            {
                s_restartBlocked[pass.DatabasePath] = Stopwatch.GetTimestamp();
                pass.Logger.LogDebug("The write-ahead log was not started over: readers or another process still on it");
            }
            else
            {
                s_restartBlocked.TryRemove(pass.DatabasePath, out _);
            }
        }
    }

    /// <summary>
    /// The page size of a new store, in bytes (an existing store keeps its own: SQLite changes it only by a VACUUM
    /// outside WAL mode). 8 KB instead of SQLite's 4 KB: a bulk import writes fewer, fuller pages (an article's row, its
    /// search-index segments, the mention and count indexes), and its commits and the checkpoints behind them copy less
    /// (kernel time 7.0 to 5.8 s per 100,000 articles, commits 2.3 to 1.8 s; <c>bench ingest</c> 3,652 to 3,769/s at
    /// 4 KB, 3,956 and 3,988/s at 8 KB). 16 KB sped the raw insert up more than the pipeline (ratio 0.53 to 0.55).
    /// </summary>
    public const int PageSize = 8192;

    /// <summary>
    /// The size the write-ahead log file is cut back to when it starts over. During a bulk import the log grows until a
    /// checkpoint starts it over (<see cref="LogRestartBytes"/>); without a limit the file would keep its largest size on
    /// disk for good, since SQLite reuses it from the start rather than shrink it.
    /// </summary>
    public const long LogSizeLimitBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Per-connection settings: a busy timeout, a synchronous level that is safe with WAL, the log file's size limit
    /// (<see cref="LogSizeLimitBytes"/>), and the page size of a store not yet created.
    /// </summary>
    private sealed class PragmaInterceptor : DbConnectionInterceptor
    {
        // foreign_keys, cache_size and wal_autocheckpoint also undo what a bulk batch left on a pooled connection if its own reset failed (EndBulkWriteAsync).
        // page_size takes effect only on a file with no table yet (the first connection, before the migrations); elsewhere it changes nothing.
        private static readonly string Pragmas = $"PRAGMA page_size={PageSize}; PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; " +
            $"PRAGMA cache_size=-{DefaultCacheKib}; PRAGMA wal_autocheckpoint={DefaultAutoCheckpointPages}; PRAGMA journal_size_limit={LogSizeLimitBytes};";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
