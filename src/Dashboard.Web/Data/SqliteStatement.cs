using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Dashboard.Web.Data;

/// <summary>
/// One prepared statement on the writer's connection, bound by position and run row after row: the bulk insert
/// path of ingestion (articles, mentions, daily counts, upload statuses). Microsoft.Data.Sqlite looks every
/// parameter up by name on every execution, which cost a third of the time of writing a mention row; binding by
/// position through SQLitePCL (the library Microsoft.Data.Sqlite itself runs on) does not. It runs inside the
/// caller's transaction, on the same connection. SQLite-only, like everything in <see cref="SqliteSetup"/>: a
/// PostgreSQL store would bring its own bulk path (COPY).
/// </summary>
public sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    /// <summary>The statement's and the connection's native handles, for the per-row calls (<see cref="SqliteNative"/>).</summary>
    private readonly IntPtr _handle;
    private readonly IntPtr _dbHandle;
    private bool _referenced;

    /// <summary>Text binds' UTF-8, reused: a statement is used by one thread at a time.</summary>
    private byte[] _text = new byte[256];

    public SqliteStatement(DbConnection connection, string sql)
    {
        _db = ((SqliteConnection)connection).Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        // Held for this object's life, so the raw handle stays valid while it is used without the SafeHandle.
        _statement.DangerousAddRef(ref _referenced);
        _handle = _statement.DangerousGetHandle();
        _dbHandle = _db.DangerousGetHandle();
    }

    /// <summary>Binds parameter <paramref name="index"/> (1-based, in the order of the SQL's placeholders).</summary>
    public SqliteStatement Bind(int index, long value)
    {
        SqliteNative.sqlite3_bind_int64(_handle, index, value);
        return this;
    }

    public SqliteStatement Bind(int index, long? value) => value is { } v ? Bind(index, v) : Null(index);

    public SqliteStatement Bind(int index, bool value) => Bind(index, value ? 1L : 0L);

    public SqliteStatement Bind(int index, double value)
    {
        SqliteNative.sqlite3_bind_double(_handle, index, value);
        return this;
    }

    public SqliteStatement Bind(int index, string? value) => value is null ? Null(index) : Bind(index, value.AsSpan());

    /// <summary>Binds text (a piece of a longer string, as a mention row's spans); empty binds the empty string, not NULL.</summary>
    public SqliteStatement Bind(int index, ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            // An empty span has no address, and SQLite would bind NULL for it.
            raw.sqlite3_bind_text(_statement, index, "");
            return this;
        }
        // Encoded into this statement's own buffer, which SQLite copies as it binds: the string overload allocated an
        // array per call (the writer binds each article's text, 7 KB of garbage per article), and a pooled buffer cost
        // a rent and a return per mention row, 1.7 million per 100,000 articles.
        var needed = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_text.Length < needed)
        {
            _text = new byte[Math.Max(needed, 2 * _text.Length)];
        }
        var length = Encoding.UTF8.GetBytes(value, _text);
        SqliteNative.sqlite3_bind_text(_handle, index, ref _text[0], length, SqliteNative.Transient);
        return this;
    }

    /// <summary>Dates as ISO text (yyyy-MM-dd), the way EF Core stores <see cref="DateOnly"/> on SQLite.</summary>
    public SqliteStatement Bind(int index, DateOnly value) => Bind(index, Iso(value));

    /// <summary>Times as EF Core stores <see cref="DateTime"/> on SQLite ("yyyy-MM-dd HH:mm:ss.FFFFFFF").</summary>
    public SqliteStatement Bind(int index, DateTime value) =>
        Bind(index, value.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture));

    public SqliteStatement Bind(int index, DateTime? value) => value is { } v ? Bind(index, v) : Null(index);

    /// <summary>Instants with their offset, as Microsoft.Data.Sqlite writes a <see cref="DateTimeOffset"/>.</summary>
    public SqliteStatement Bind(int index, DateTimeOffset? value) => value is { } v
        ? Bind(index, v.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture))
        : Null(index);

    /// <summary>Binds a value read back from SQLite (integer, real, text, blob or null).</summary>
    public SqliteStatement BindValue(int index, object? value) => value switch
    {
        null or DBNull => Null(index),
        long v => Bind(index, v),
        int v => Bind(index, (long)v),
        double v => Bind(index, v),
        string v => Bind(index, v),
        byte[] v => Blob(index, v),
        _ => throw new ArgumentException($"No SQLite type for a {value.GetType().Name}.", nameof(value)),
    };

    public SqliteStatement Blob(int index, byte[] value)
    {
        // An empty array has no address to pass: bound as a zero-length blob, not as NULL.
        if (value.Length == 0)
        {
            raw.sqlite3_bind_zeroblob(_statement, index, 0);
            return this;
        }
        raw.sqlite3_bind_blob(_statement, index, value);
        return this;
    }

    public SqliteStatement Null(int index)
    {
        SqliteNative.sqlite3_bind_null(_handle, index);
        return this;
    }

    /// <summary>Runs the statement once with the bound values; returns the rows it changed.</summary>
    public int Run()
    {
        var rc = SqliteNative.sqlite3_step(_handle);
        try
        {
            if (rc is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
            return SqliteNative.sqlite3_changes(_dbHandle);
        }
        finally
        {
            SqliteNative.sqlite3_reset(_handle);
        }
    }

    /// <summary>
    /// Runs an INSERT once and returns the new row's id (the connection's last inserted row). Used instead of
    /// INSERT ... RETURNING, which buffers its output rows and opens a savepoint on every run: a fifth of a queued
    /// upload's inserts, and, in a transaction that also writes the full-text index, a flush of FTS5's pending terms at
    /// each savepoint, so each article would write an index segment of its own (twice the time of the inserts).
    /// </summary>
    public long RunInsert()
    {
        Run();
        return SqliteNative.sqlite3_last_insert_rowid(_dbHandle);
    }

    /// <summary>
    /// Steps a query to its next row: true while there is one, whose columns <see cref="Int64"/> and <see cref="Text"/>
    /// read. Call <see cref="Reset"/> before binding the next values.
    /// </summary>
    public bool Read()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }
        if (rc != raw.SQLITE_DONE)
        {
            raw.sqlite3_reset(_statement);
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        return false;
    }

    /// <summary>A column of the row <see cref="Read"/> reached (0-based).</summary>
    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public string Text(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    /// <summary>Ends a query's run, so the statement can be bound and run again.</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    public void Dispose()
    {
        if (_referenced)
        {
            _referenced = false;
            _statement.DangerousRelease();
        }
        _statement.Dispose();
    }

    /// <summary>A date as the store keeps it (ISO text), without the allocation of a format string per call.</summary>
    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
