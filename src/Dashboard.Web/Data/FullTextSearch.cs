using Dashboard.Web.Model;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Dashboard.Web.Data;

/// <summary>A search query the full-text engine cannot read; the message says why in plain words.</summary>
public sealed class SearchQueryException(string message) : Exception(message);

/// <summary>A piece of a snippet: plain text, or a word that matched the search.</summary>
public sealed record SnippetPart(string Text, bool Hit);

/// <summary>
/// Full-text search over titles and texts with SQLite FTS5 (porter stemming, accents folded). The virtual
/// table <c>ArticleSearch</c> is created by the FullTextSearch migration, with triggers that follow deletes and
/// edits of <c>Articles</c>; new articles are indexed by their writer (<see cref="IndexNewSql"/>, see the
/// SearchIndexedByWriter migration for why). All FTS5 SQL lives here, so another store can bring its own search.
/// </summary>
public static class FullTextSearch
{
    /// <summary>
    /// Indexes the articles a writer has just inserted, in the transaction that stores them: ?1 the first one's id, ?2
    /// the last one's (a writer's articles have consecutive ids: ids only grow, and no other connection writes inside its
    /// transaction). Made directly rather than by a trigger, which costs FTS5 an index segment per article (see the
    /// SearchIndexedByWriter migration).
    /// </summary>
    /// <remarks>
    /// One statement for a whole batch, reading the texts back from the pages the inserts just wrote, rather than one per
    /// article with its title and text bound again: each text was encoded to UTF-8 a second time, and the writer returned
    /// to managed code after every article, where each of the collector's pauses stopped it, while a statement running
    /// in SQLite carries on through them. <c>bench ingest</c>, 100,000 articles (stop 29): the writer's articles and
    /// search index phase 6.0 to 7.5 s against 8.0 s.
    /// </remarks>
    public const string IndexNewSql = "INSERT INTO ArticleSearch(rowid, Title, Text) SELECT Id, Title, Text FROM Articles WHERE Id BETWEEN ?1 AND ?2";

    /// <summary>Indexes articles just inserted through EF, in the caller's transaction (the ingestor indexes its own).</summary>
    public static async Task IndexAsync(DashboardDb db, IEnumerable<Article> articles, CancellationToken cancellationToken)
    {
        foreach (var article in articles)
        {
            // One article at a time, with EF's parameters: these are few (curation, fixtures).
            await db.Database.ExecuteSqlAsync($"INSERT INTO ArticleSearch(rowid, Title, Text) VALUES ({article.Id}, {article.Title}, {article.Text})", cancellationToken);
        }
    }

    private const char HitStart = '\u0002';
    private const char HitEnd = '\u0003';

    /// <summary>Articles matching the query; throws <see cref="SearchQueryException"/> for a query FTS5 cannot parse.</summary>
    public static async Task<IQueryable<Article>> MatchAsync(DashboardDb db, IQueryable<Article> articles, string query, CancellationToken cancellationToken)
    {
        await ValidateAsync(db, query, cancellationToken);
        var matches = db.Database.SqlQuery<long>($"SELECT rowid AS Value FROM ArticleSearch WHERE ArticleSearch MATCH {query}");
        return articles.Where(a => matches.Contains(a.Id));
    }

    /// <summary>The ids of the articles matching the query, for counting in memory (<see cref="CoMentionIndex"/>).</summary>
    public static async Task<List<long>> MatchingIdsAsync(DashboardDb db, string query, CancellationToken cancellationToken)
    {
        await ValidateAsync(db, query, cancellationToken);
        return await db.Database.SqlQuery<long>($"SELECT rowid AS Value FROM ArticleSearch WHERE ArticleSearch MATCH {query}").ToListAsync(cancellationToken);
    }

    /// <summary>For each article, the passage around the search hits, with the hits marked.</summary>
    public static async Task<Dictionary<long, IReadOnlyList<SnippetPart>>> SnippetsAsync(DashboardDb db, IReadOnlyCollection<long> ids, string query, CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, IReadOnlyList<SnippetPart>>();
        if (ids.Count == 0)
        {
            return result;
        }
        var idList = "[" + string.Join(",", ids) + "]";
        var rows = await db.Database
            .SqlQuery<SnippetRow>(
                $"SELECT rowid AS Id, snippet(ArticleSearch, 1, char(2), char(3), '…', 24) AS Snippet FROM ArticleSearch WHERE ArticleSearch MATCH {query} AND rowid IN (SELECT value FROM json_each({idList}))")
            .ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            result[row.Id] = Parts(row.Snippet);
        }
        return result;
    }

    /// <summary>Splits FTS5's marked snippet into parts, so the page renders hits without trusting HTML from articles.</summary>
    public static IReadOnlyList<SnippetPart> Parts(string marked)
    {
        var parts = new List<SnippetPart>();
        var position = 0;
        while (position < marked.Length)
        {
            var start = marked.IndexOf(HitStart, position);
            if (start < 0)
            {
                parts.Add(new SnippetPart(marked[position..], false));
                break;
            }
            if (start > position)
            {
                parts.Add(new SnippetPart(marked[position..start], false));
            }
            var end = marked.IndexOf(HitEnd, start + 1);
            if (end < 0)
            {
                end = marked.Length;
            }
            parts.Add(new SnippetPart(marked[(start + 1)..end], true));
            position = end + 1;
        }
        return parts;
    }

    /// <remarks>
    /// Run on the context's connection directly, not through EF: EF logs every failed command as an Error with its
    /// stack, so each search a reader mistyped filled the server's log with two errors for a case the page handles.
    /// </remarks>
    private static async Task ValidateAsync(DashboardDb db, string query, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandText = "SELECT rowid FROM ArticleSearch WHERE ArticleSearch MATCH $query LIMIT 1";
            var parameter = command.CreateParameter();
            parameter.ParameterName = "$query";
            parameter.Value = query;
            command.Parameters.Add(parameter);
            await command.ExecuteScalarAsync(cancellationToken);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 1)
        {
            throw new SearchQueryException(Explain(query, ex.Message));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static string Explain(string query, string error)
    {
        var detail = error.Contains("unterminated string", StringComparison.OrdinalIgnoreCase) || query.Count(c => c == '"') % 2 == 1
            ? "a quotation mark is not closed"
            : error.Contains("syntax error", StringComparison.OrdinalIgnoreCase)
                ? "it is not valid search syntax (use words, \"exact phrases\", OR, NOT, and prefix*; AND, OR and NOT need a word on each side)"
                : error.Replace("SQLite Error 1: ", "", StringComparison.Ordinal).Trim('\'', '.', ' ');
        return $"The search \"{query}\" cannot be run: {detail}.";
    }

    private sealed record SnippetRow(long Id, string Snippet);
}
