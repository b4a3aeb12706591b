using Dashboard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.Data;

/// <summary>The store's file-level settings over real SQLite files: a new store's page size, an old store's kept.</summary>
public sealed class SqliteSetupTests
{
    private static long Pragma(string path, string name)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToInt64(command.ExecuteScalar());
    }

    /// <summary>A context on a new store, its connection held open (the pragmas a test sets are the connection's).</summary>
    private static async Task<DashboardDb> OpenAsync(TestStore store)
    {
        var services = await store.StartAsync();
        var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        return db;
    }

    private static void Execute(DashboardDb db, string sql)
    {
        using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task A_new_store_is_created_with_8_KB_pages_in_WAL_mode()
    {
        await using var store = new TestStore();
        await store.StartAsync();
        SqliteConnection.ClearAllPools();

        Assert.Equal(SqliteSetup.PageSize, Pragma(store.DatabasePath, "page_size"));
        Assert.Equal(8192, SqliteSetup.PageSize);
        using var connection = new SqliteConnection($"Data Source={store.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task A_store_made_with_4_KB_pages_keeps_them_and_takes_articles_as_before()
    {
        await using var store = new TestStore();
        // A store from before the 8 KB default: SQLite's own page size, in WAL mode, with a table in it.
        using (var connection = new SqliteConnection($"Data Source={store.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA page_size=4096; PRAGMA journal_mode=WAL; CREATE TABLE Legacy (Id INTEGER PRIMARY KEY);";
            command.ExecuteNonQuery();
        }

        var services = await store.StartAsync();
        await services.GetRequiredService<Dashboard.Web.Ingestion.IngestQueue>().EnqueueAsync("seed.txt", await File.ReadAllBytesAsync(TestPaths.SeedArticle));
        await services.GetRequiredService<Dashboard.Web.Ingestion.ArticleIngestor>().DrainAsync();

        await using (var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync())
        {
            Assert.Equal(1, await db.Articles.CountAsync());
        }
        SqliteConnection.ClearAllPools();
        Assert.Equal(4096, Pragma(store.DatabasePath, "page_size"));
    }

    [Fact]
    public async Task The_log_file_is_cut_back_when_it_starts_over_after_a_large_write()
    {
        await using var store = new TestStore();
        await using var db = await OpenAsync(store);
        void Run(string sql) => Execute(db, sql);
        // A write larger than the limit, as a bulk import's batches are: the log grows past it.
        var large = SqliteSetup.LogSizeLimitBytes + 16 * 1024 * 1024;
        Run($"CREATE TABLE Scratch (Data BLOB); INSERT INTO Scratch VALUES (zeroblob({large}));");
        var log = new FileInfo(store.DatabasePath + "-wal");
        Assert.True(log.Length > large, $"the log holds the large write ({log.Length:N0} bytes)");

        // Once it is copied into the database, the next write starts the log over and cuts the file back.
        Run("DELETE FROM Scratch; PRAGMA wal_checkpoint(PASSIVE);");
        Run("INSERT INTO Scratch VALUES (x'01');");
        log.Refresh();
        Assert.True(log.Length <= SqliteSetup.LogSizeLimitBytes, $"the log file is {log.Length:N0} bytes after it started over");
    }

    [Fact]
    public async Task While_more_writes_follow_the_log_is_copied_at_most_once_per_interval_and_always_after_the_last()
    {
        await using var store = new TestStore();
        await using var db = await OpenAsync(store);
        void Run(string sql) => Execute(db, sql);
        var file = new FileInfo(store.DatabasePath);
        long Copied()
        {
            SqliteSetup.WaitForBackgroundCheckpoint();
            file.Refresh();
            return file.Length;
        }
        const int Write = 2 * 1024 * 1024;
        // As a bulk batch's connection: its commits leave the log to the background checkpoint.
        Run($"PRAGMA wal_autocheckpoint=0; CREATE TABLE Scratch (Data BLOB); INSERT INTO Scratch VALUES (zeroblob({Write}));");
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        // An import's last write: copied.
        SqliteSetup.CheckpointInBackground(db, logger);
        var afterLast = Copied();
        Assert.True(afterLast > Write, $"the database file holds the write ({afterLast:N0} bytes)");

        // A write with more behind it, within the interval of that checkpoint: left in the log.
        Run($"INSERT INTO Scratch VALUES (zeroblob({Write}));");
        SqliteSetup.CheckpointInBackground(db, logger, moreWritesFollow: true);
        Assert.Equal(afterLast, Copied());

        // The next last write copies both.
        SqliteSetup.CheckpointInBackground(db, logger);
        Assert.True(Copied() > afterLast + Write / 2, $"the database file holds the second write ({file.Length:N0} bytes)");
    }

    /// <summary>Frames in a store's log now (a passive checkpoint on a connection of its own reports them).</summary>
    private static long LogFrames(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return reader.GetInt64(1);
    }

    /// <summary>Bytes the long-log tests write, past the (test-sized) restart length they pass.</summary>
    private const int LongLog = 8 * 1024 * 1024;

    /// <summary>A context on a new store whose log holds <see cref="LongLog"/> bytes, written as a bulk batch's connection writes (no checkpoint in its commit).</summary>
    private static async Task<DashboardDb> OpenWithLongLogAsync(TestStore store)
    {
        var db = await OpenAsync(store);
        Execute(db, $"PRAGMA wal_autocheckpoint=0; CREATE TABLE Scratch (Data BLOB); INSERT INTO Scratch VALUES (zeroblob({LongLog}));");
        return db;
    }

    [Fact]
    public async Task A_long_log_is_started_over_once_the_writer_holding_the_turn_is_done()
    {
        await using var store = new TestStore();
        await using var db = await OpenWithLongLogAsync(store);
        var turns = new WriteTurns();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // A writer holds the turn (a batch being written): the pass copies what it can, then waits for the turn.
        var batch = await turns.TakeAsync(timeout.Token);
        SqliteSetup.CheckpointInBackground(db, NullLogger.Instance, moreWritesFollow: false, turns, logRestartBytes: LongLog / 2);
        await turns.UntilWaitingAsync(1, timeout.Token);
        batch.Dispose();
        SqliteSetup.WaitForBackgroundCheckpoint();

        // The next write starts the log over instead of adding to its thousand frames.
        Execute(db, "INSERT INTO Scratch VALUES (x'01');");
        var frames = LogFrames(store.DatabasePath);
        Assert.True(frames < 10, $"the log holds {frames} frames after the restart");
    }

    [Fact]
    public async Task A_reader_on_the_log_keeps_it_from_starting_over_without_holding_up_the_writes()
    {
        await using var store = new TestStore();
        await using var db = await OpenWithLongLogAsync(store);

        // A reader in the middle of a long read (an export), on the snapshot the log holds.
        using var reader = new SqliteConnection($"Data Source={store.DatabasePath};Pooling=False");
        reader.Open();
        using (var begin = reader.CreateCommand())
        {
            begin.CommandText = "BEGIN; SELECT count(*) FROM Scratch;";
            begin.ExecuteScalar();
        }
        SqliteSetup.CheckpointInBackground(db, NullLogger.Instance, moreWritesFollow: false, new WriteTurns(), logRestartBytes: LongLog / 2);
        SqliteSetup.WaitForBackgroundCheckpoint();

        // The write goes on at the log's end, and the reader still reads what it began with.
        Execute(db, "INSERT INTO Scratch VALUES (x'01');");
        Assert.True(LogFrames(store.DatabasePath) > LongLog / SqliteSetup.PageSize, "the log was not started over under the reader");
        using (var count = reader.CreateCommand())
        {
            count.CommandText = "SELECT count(*) FROM Scratch; COMMIT;";
            Assert.Equal(1L, Convert.ToInt64(count.ExecuteScalar()));
        }
    }
}
