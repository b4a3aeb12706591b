using System.Data.Common;
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

    /// <summary>Per-connection settings: a busy timeout and a synchronous level that is safe with WAL.</summary>
    private sealed class PragmaInterceptor : DbConnectionInterceptor
    {
        private const string Pragmas = "PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";

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
