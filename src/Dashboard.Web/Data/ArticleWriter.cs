using System.Data.Common;
using System.Text.Json;
using Dashboard.Web.Extraction;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Dashboard.Web.Data;

/// <summary>
/// Writes a batch of new articles with their mentions, new entities and aliases inside the caller's
/// transaction, through prepared statements. This is the ingestion hot path: EF's change tracker costs
/// more than the extraction itself at tens of thousands of mention rows, so the inserts are plain SQL
/// (portable: INSERT ... RETURNING and ON CONFLICT DO NOTHING work on SQLite and PostgreSQL alike).
/// </summary>
public static class ArticleWriter
{
    public static async Task WriteAsync(DashboardDb db, IReadOnlyList<(Article Article, ExtractionResult Extraction)> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        var (connection, transaction) = Open(db);
        var tally = new DailyCounts.Tally();
        await using (var insertArticle = Prepare(connection, transaction,
            "INSERT INTO Articles (Title, Text, PublishedDate, DateIsFallback, PublishedAt, Source, Url, CanonicalUrl, Author, ContentHash, IngestedAt, Fingerprint, LeadHash, StoryId, FeedId) " +
            "VALUES ($title, $text, $date, $fallback, $at, $source, $url, $canonical, $author, $hash, $ingested, $fingerprint, $lead, $story, $feed) RETURNING Id",
            "$title", "$text", "$date", "$fallback", "$at", "$source", "$url", "$canonical", "$author", "$hash", "$ingested", "$fingerprint", "$lead", "$story", "$feed"))
        await using (var findStory = Prepare(connection, transaction,
            "SELECT Id, StoryId, Fingerprint FROM Articles WHERE LeadHash = $lead ORDER BY Id LIMIT 50", "$lead"))
        {
            foreach (var (article, _) in batch)
            {
                // A near-duplicate joins the story of the earliest copy it resembles (earlier ones in this batch included).
                if (article.LeadHash != 0)
                {
                    Bind(findStory, article.LeadHash);
                    await using var reader = await findStory.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        if (NearDuplicates.Distance(reader.GetInt64(2), article.Fingerprint) <= NearDuplicates.MaxDistance)
                        {
                            article.StoryId = reader.IsDBNull(1) ? reader.GetInt64(0) : reader.GetInt64(1);
                            break;
                        }
                    }
                }
                Bind(insertArticle, article.Title, article.Text, article.PublishedDate, article.DateIsFallback, article.PublishedAt, article.Source, article.Url,
                    article.CanonicalUrl, article.Author, article.ContentHash, article.IngestedAt, article.Fingerprint, article.LeadHash, article.StoryId, article.FeedId);
                article.Id = (long)(await insertArticle.ExecuteScalarAsync(cancellationToken))!;
                tally.AddArticle(article.PublishedDate, article.Source);
            }
        }
        await WriteMentionsAsync(connection, transaction, batch, tally, cancellationToken);
        await DailyCounts.ApplyAsync(connection, transaction, tally, cancellationToken);
    }

    /// <summary>Replaces the mentions of stored articles with a new extraction (after rules or aliases changed).</summary>
    public static async Task ReplaceMentionsAsync(DashboardDb db, IReadOnlyList<(Article Article, ExtractionResult Extraction)> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        var (connection, transaction) = Open(db);
        var tally = new DailyCounts.Tally();
        await using (var old = Prepare(connection, transaction,
            "SELECT m.EntityId, e.Kind, m.PublishedDate, m.Count, m.IsFocus FROM Mentions m JOIN Entities e ON e.Id = m.EntityId WHERE m.ArticleId = $article", "$article"))
        await using (var delete = Prepare(connection, transaction, "DELETE FROM Mentions WHERE ArticleId = $article", "$article"))
        {
            foreach (var (article, _) in batch)
            {
                // The removed rows leave the daily counts; the new extraction adds its own below.
                Bind(old, article.Id);
                await using (var reader = await old.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        tally.AddMention(reader.GetInt64(0), (EntityKind)reader.GetInt32(1), DateOnly.Parse(reader.GetString(2), System.Globalization.CultureInfo.InvariantCulture),
                            reader.GetInt32(3), reader.GetBoolean(4), sign: -1);
                    }
                }
                Bind(delete, article.Id);
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await WriteMentionsAsync(connection, transaction, batch, tally, cancellationToken);
        await DailyCounts.ApplyAsync(connection, transaction, tally, cancellationToken);
    }

    private static (DbConnection Connection, DbTransaction Transaction) Open(DashboardDb db) =>
        (db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("ArticleWriter needs the caller's transaction: articles and upload statuses commit together."));

    private static async Task WriteMentionsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<(Article Article, ExtractionResult Extraction)> batch, DailyCounts.Tally tally, CancellationToken cancellationToken)
    {
        var entityIds = await EnsureEntitiesAsync(connection, transaction, batch.Select(b => b.Extraction), cancellationToken);
        await using var insertMention = Prepare(connection, transaction,
            "INSERT INTO Mentions (ArticleId, EntityId, PublishedDate, Count, IsFocus, Score, Spans) " +
            "VALUES ($article, $entity, $date, $count, $focus, $score, $spans)",
            "$article", "$entity", "$date", "$count", "$focus", "$score", "$spans");
        await using var insertAlias = Prepare(connection, transaction,
            "INSERT INTO EntityAliases (EntityId, Name, IsUserDefined) VALUES ($entity, $name, 0) ON CONFLICT DO NOTHING",
            "$entity", "$name");

        var aliases = new HashSet<(long, string)>();
        foreach (var (article, extraction) in batch)
        {
            var focus = extraction.Focus.ToHashSet(StringComparer.Ordinal);
            foreach (var group in extraction.Mentions.GroupBy(m => (m.Kind, m.Key)))
            {
                var entityId = entityIds[group.Key].Id;
                var spans = group.OrderBy(m => m.Field, StringComparer.Ordinal).ThenBy(m => m.Start)
                    .Select(m => new MentionSpan(m.Start, m.End, m.Field, m.Via)).ToList();
                var isFocus = group.Key.Kind == EntityKind.Country && focus.Contains(group.Key.Key);
                Bind(insertMention, article.Id, entityId, article.PublishedDate, spans.Count, isFocus, 0.0, JsonSerializer.Serialize(spans, JsonSerializerOptions.Web));
                await insertMention.ExecuteNonQueryAsync(cancellationToken);
                tally.AddMention(entityId, group.Key.Kind, article.PublishedDate, spans.Count, isFocus);

                foreach (var mention in group)
                {
                    // A city or a region locates a country; it is not another name for it ("Buenos Aires" is not Argentina).
                    if (mention.Via is "city" or "capital" or "region")
                    {
                        continue;
                    }
                    var surface = Surface(article, mention);
                    if (surface.Length > 0 && surface != entityIds[group.Key].Name)
                    {
                        aliases.Add((entityId, surface));
                    }
                }
            }
            foreach (var topic in extraction.Topics.DistinctBy(t => t.Key))
            {
                var topicId = entityIds[(EntityKind.Topic, topic.Key)].Id;
                Bind(insertMention, article.Id, topicId, article.PublishedDate, 1, true, topic.Score, "[]");
                await insertMention.ExecuteNonQueryAsync(cancellationToken);
                tally.AddMention(topicId, EntityKind.Topic, article.PublishedDate, 1, true);
            }
        }
        foreach (var (entityId, name) in aliases)
        {
            Bind(insertAlias, entityId, name);
            await insertAlias.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Ids of the entities a batch mentions, inserting the ones the store has not seen.</summary>
    private static async Task<Dictionary<(EntityKind, string), (long Id, string Name)>> EnsureEntitiesAsync(DbConnection connection, DbTransaction transaction, IEnumerable<ExtractionResult> extractions, CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<(EntityKind, string), string>();
        foreach (var extraction in extractions)
        {
            foreach (var m in extraction.Mentions)
            {
                wanted.TryAdd((m.Kind, m.Key), m.Name);
            }
            foreach (var t in extraction.Topics)
            {
                wanted.TryAdd((EntityKind.Topic, t.Key), t.Name);
            }
        }
        var ids = new Dictionary<(EntityKind, string), (long Id, string Name)>();
        await using (var find = Prepare(connection, transaction, "SELECT Id, Name FROM Entities WHERE Kind = $kind AND Key = $key", "$kind", "$key"))
        await using (var insert = Prepare(connection, transaction, "INSERT INTO Entities (Kind, Key, Name) VALUES ($kind, $key, $name) RETURNING Id", "$kind", "$key", "$name"))
        {
            foreach (var ((kind, key), name) in wanted)
            {
                Bind(find, (int)kind, key);
                await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
                {
                    if (await reader.ReadAsync(cancellationToken))
                    {
                        ids[(kind, key)] = (reader.GetInt64(0), reader.GetString(1));
                        continue;
                    }
                }
                Bind(insert, (int)kind, key, name);
                ids[(kind, key)] = ((long)(await insert.ExecuteScalarAsync(cancellationToken))!, name);
            }
        }
        return ids;
    }

    private static string Surface(Article article, ExtractedMention mention)
    {
        var source = mention.Field == "title" ? article.Title : article.Text;
        return mention.Start >= 0 && mention.End <= source.Length && mention.Start < mention.End
            ? source[mention.Start..mention.End]
            : "";
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }
        command.Prepare();
        return command;
    }

    private static void Bind(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
