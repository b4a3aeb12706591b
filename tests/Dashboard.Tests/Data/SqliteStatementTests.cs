using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Data;

/// <summary>The positional bulk path writes values EF reads back unchanged, and reports constraint failures as EF's path does.</summary>
public sealed class SqliteStatementTests : IAsyncLifetime
{
    private readonly TestStore _store = new();
    private IDbContextFactory<DashboardDb> _dbFactory = null!;

    public async Task InitializeAsync() =>
        _dbFactory = (await _store.StartAsync()).GetRequiredService<IDbContextFactory<DashboardDb>>();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Values_written_by_position_read_back_through_EF_as_written()
    {
        var ingested = new DateTime(2026, 11, 27, 6, 45, 12, 345, DateTimeKind.Utc).AddTicks(6789);
        var published = new DateTimeOffset(2024, 6, 1, 9, 30, 0, TimeSpan.FromHours(3.5));
        long id;
        await using (var db = await _dbFactory.CreateDbContextAsync())
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var connection = db.Database.GetDbConnection();
            using var insert = new SqliteStatement(connection,
                "INSERT INTO Articles (Title, Text, PublishedDate, DateIsFallback, PublishedAt, Source, Url, CanonicalUrl, Author, ContentHash, IngestedAt, Fingerprint, LeadHash, StoryId, FeedId) " +
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
            id = insert.Bind(1, "Iran and Algeria").Bind(2, "Talks on Gaza — and Rafah.").Bind(3, new DateOnly(2024, 6, 1)).Bind(4, true)
                .Bind(5, published).Bind(6, "IRNA").Bind(7, (string?)null).Bind(8, (string?)null).Bind(9, "Désirée Ö")
                .Bind(10, "hash-1").Bind(11, ingested).Bind(12, long.MinValue).Bind(13, -42L).Bind(14, (long?)null).Bind(15, (long?)null).RunInsert();
            Assert.True(id > 0);
            await transaction.CommitAsync();
        }

        await using (var db = await _dbFactory.CreateDbContextAsync())
        {
            var article = await db.Articles.SingleAsync(a => a.ContentHash == "hash-1");
            Assert.Equal(id, article.Id);
            Assert.Equal("Talks on Gaza — and Rafah.", article.Text);
            Assert.Equal(new DateOnly(2024, 6, 1), article.PublishedDate);
            Assert.True(article.DateIsFallback);
            Assert.Equal(published, article.PublishedAt);
            Assert.Equal(published.Offset, article.PublishedAt!.Value.Offset);
            Assert.Null(article.Url);
            Assert.Equal("Désirée Ö", article.Author);
            Assert.Equal(ingested, article.IngestedAt);
            Assert.Equal(long.MinValue, article.Fingerprint);
            Assert.Equal(-42L, article.LeadHash);
            Assert.Null(article.StoryId);
            // EF's own queries compare dates as text: the bound form must be the one EF writes.
            Assert.Equal(1, await db.Articles.CountAsync(a => a.PublishedDate >= new DateOnly(2024, 6, 1) && a.IngestedAt == ingested));
        }
    }

    [Fact]
    public async Task A_constraint_failure_is_a_SqliteException_with_code_19_like_EFs_so_a_lost_race_is_recognised()
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        using var insert = new SqliteStatement(db.Database.GetDbConnection(), "INSERT INTO Entities (Kind, Key, Name) VALUES (?1, ?2, ?3)");
        insert.Bind(1, (long)EntityKind.Country).Bind(2, "DZ").Bind(3, "Algeria").Run();

        var error = Assert.Throws<SqliteException>(() => insert.Bind(1, (long)EntityKind.Country).Bind(2, "DZ").Bind(3, "Algeria").Run());
        Assert.Equal(19, error.SqliteErrorCode);
        // The statement is reset after the failure and runs again.
        Assert.Equal(1, insert.Bind(1, (long)EntityKind.Country).Bind(2, "IR").Bind(3, "Iran").Run());
    }

    [Fact]
    public async Task Each_insert_returns_its_own_row_id_and_a_statement_disposed_twice_lets_its_connection_go_on()
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var insert = new SqliteStatement(db.Database.GetDbConnection(), "INSERT INTO Entities (Kind, Key, Name) VALUES (?1, ?2, ?3)");
        var first = insert.Bind(1, (long)EntityKind.Country).Bind(2, "DZ").Bind(3, "Algeria").RunInsert();
        var second = insert.Bind(1, (long)EntityKind.Country).Bind(2, "IR").Bind(3, "Iran").RunInsert();
        insert.Dispose();
        insert.Dispose();

        Assert.Equal(first + 1, second);
        using var read = new SqliteStatement(db.Database.GetDbConnection(), "SELECT Key FROM Entities WHERE Id = ?1");
        Assert.True(read.Bind(1, second).Read());
        Assert.Equal("IR", read.Text(0));
    }

    [Fact]
    public async Task Texts_are_stored_whole_whatever_their_length_and_script_and_an_empty_text_is_not_null()
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var connection = db.Database.GetDbConnection();
        using (var create = new SqliteStatement(connection, "CREATE TEMP TABLE Texts (Id INTEGER PRIMARY KEY, Body TEXT NOT NULL)"))
        {
            create.Run();
        }
        // Bound through a pooled buffer: a long text after a short one, and the short one again, must not carry bytes over.
        string[] texts = ["", "Brasília — Ñandú 😀 عربى", string.Concat(Enumerable.Repeat("Rafah, Gaza: talks in Algiers. ", 4000)), "OIC"];
        using (var insert = new SqliteStatement(connection, "INSERT INTO Texts (Id, Body) VALUES (?1, ?2)"))
        {
            for (var i = 0; i < texts.Length; i++)
            {
                insert.Bind(1, i).Bind(2, texts[i]).Run();
            }
        }
        var stored = await db.Database.SqlQueryRaw<string>("SELECT Body AS Value FROM Texts ORDER BY Id").ToListAsync();
        Assert.Equal(texts, stored);
    }

    [Fact]
    public async Task Empty_and_non_empty_blobs_are_stored_as_blobs_never_as_null()
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var connection = db.Database.GetDbConnection();
        using (var statement = new SqliteStatement(connection, "CREATE TEMP TABLE Blobs (Id INTEGER PRIMARY KEY, Content BLOB NOT NULL)"))
        {
            statement.Run();
        }
        using var insert = new SqliteStatement(connection, "INSERT INTO Blobs (Id, Content) VALUES (?1, ?2)");
        insert.Bind(1, 1L).Blob(2, []).Run();
        insert.Bind(1, 2L).BindValue(2, new byte[] { 0, 1, 2 }).Run();

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(Id || ':' || typeof(Content) || ':' || length(Content), ' ') FROM Blobs";
        Assert.Equal("1:blob:0 2:blob:3", (string?)await command.ExecuteScalarAsync());
    }
}
