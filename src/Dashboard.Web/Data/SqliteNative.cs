using System.Runtime.InteropServices;

namespace Dashboard.Web.Data;

/// <summary>
/// The few SQLite calls the bulk writer makes per row, bound straight to the SQLite library that SQLitePCL already
/// loaded (e_sqlite3), by raw handle: SQLitePCL's own bindings take a SafeHandle, counted up and down on every call,
/// and switch the thread out of managed mode for each, which cost about 1.2% of a bulk import's CPU for a mention row's
/// ten calls. The cheap, non-blocking calls (binding numbers and text, which SQLite copies into memory it allocates,
/// resetting a statement, reading the last row id) suppress the GC transition; stepping a statement (disk I/O) keeps
/// it. SQLite-only, like <see cref="SqliteStatement"/>.
/// </summary>
internal static partial class SqliteNative
{
    private const string Library = "e_sqlite3";

    /// <summary>SQLite copies the bound bytes before the call returns (SQLITE_TRANSIENT).</summary>
    public static readonly IntPtr Transient = new(-1);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int sqlite3_bind_int64(IntPtr statement, int index, long value);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int sqlite3_bind_double(IntPtr statement, int index, double value);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int sqlite3_bind_null(IntPtr statement, int index);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int sqlite3_bind_text(IntPtr statement, int index, ref byte text, int length, IntPtr destructor);

    [LibraryImport(Library)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int sqlite3_step(IntPtr statement);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int sqlite3_reset(IntPtr statement);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int sqlite3_changes(IntPtr database);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial long sqlite3_last_insert_rowid(IntPtr database);
}
