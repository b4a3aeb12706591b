using System.Security.Cryptography;
using System.Text;
using Dashboard.Web.Data;
using Dashboard.Web.Extraction;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Ingestion;

/// <summary>
/// Takes one queued upload through parse, extract and store. The article, its mentions and the upload's new
/// status are written in one transaction, so a crash at any point leaves the upload either queued (and
/// processed again on restart) or done, never half-stored; the unique content hash keeps it stored once.
/// </summary>
public sealed class ArticleIngestor(
    IDbContextFactory<DashboardDb> dbFactory,
    ArticleExtractor extractor,
    ArticleNotifier notifier,
    TimeProvider clock,
    ILogger<ArticleIngestor> logger)
{
    /// <summary>Processes the oldest queued upload; false when the queue is empty.</summary>
    public async Task<bool> ProcessNextAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var upload = await db.Uploads.Where(u => u.Status == UploadStatus.Queued).OrderBy(u => u.Id).FirstOrDefaultAsync(cancellationToken);
        if (upload is null)
        {
            return false;
        }
        await ProcessAsync(db, upload, cancellationToken);
        return true;
    }

    /// <summary>Processes one upload by id (the command line waits for its own files this way).</summary>
    public async Task<Upload> ProcessAsync(long uploadId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var upload = await db.Uploads.FirstAsync(u => u.Id == uploadId, cancellationToken);
        if (upload.Status == UploadStatus.Queued)
        {
            await ProcessAsync(db, upload, cancellationToken);
        }
        return upload;
    }

    private async Task ProcessAsync(DashboardDb db, Upload upload, CancellationToken cancellationToken)
    {
        IReadOnlyList<ParsedArticle> parsed;
        try
        {
            parsed = ArticleParser.Parse(upload.FileName, upload.Content ?? []);
        }
        catch (ArticleParseException ex)
        {
            await FinishAsync(db, upload, UploadStatus.Failed, ex.Message, null, cancellationToken);
            return;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A parser bug must fail this one item, not stop the queue behind it.
            logger.LogError(ex, "Parsing {File} crashed", upload.FileName);
            await FinishAsync(db, upload, UploadStatus.Failed, $"{upload.FileName}: could not be read ({ex.GetType().Name}: {ex.Message})", null, cancellationToken);
            return;
        }

        // One file can hold many articles (a feed, an archive): each is checked against the store and
        // against the ones before it in the same file, so a repeated item is counted once.
        var now = clock.GetUtcNow().UtcDateTime;
        var fresh = new List<(Article Article, ExtractionResult Extraction)>();
        var duplicates = new List<(long Id, string Title)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in parsed)
        {
            var hash = ContentHash(item.Text);
            if (!seen.Add(hash))
            {
                continue;
            }
            var existing = await db.Articles.Where(a => a.ContentHash == hash).Select(a => new { a.Id, a.Title }).FirstOrDefaultAsync(cancellationToken);
            if (existing is not null)
            {
                duplicates.Add((existing.Id, existing.Title));
                continue;
            }
            ExtractionResult extraction;
            try
            {
                extraction = extractor.Extract(item.Title, item.Text);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Extraction crashed on {File}", upload.FileName);
                await FinishAsync(db, upload, UploadStatus.Failed, $"{upload.FileName}: finding countries, actors and topics in \"{item.Title}\" failed ({ex.GetType().Name}: {ex.Message})", null, cancellationToken);
                return;
            }
            fresh.Add((new Article
            {
                Title = item.Title,
                Text = item.Text,
                PublishedDate = item.Date ?? DateOnly.FromDateTime(upload.ReceivedAt),
                DateIsFallback = item.Date is null,
                Source = item.Source,
                Url = item.Url,
                Author = item.Author,
                ContentHash = hash,
                IngestedAt = now,
            }, extraction));
        }

        if (fresh.Count == 0)
        {
            var (id, title) = duplicates[0];
            var reason = duplicates.Count == 1
                ? $"duplicate of article {id} \"{title}\""
                : $"all {duplicates.Count} articles are already stored (first: duplicate of article {id} \"{title}\")";
            await FinishAsync(db, upload, UploadStatus.Duplicate, reason, id, cancellationToken);
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (article, extraction) in fresh)
        {
            article.Mentions = await MentionsAsync(db, article, extraction, cancellationToken);
            db.Articles.Add(article);
            await db.SaveChangesAsync(cancellationToken);
        }
        upload.Status = UploadStatus.Stored;
        upload.Reason = fresh.Count + duplicates.Count == 1
            ? null
            : $"{fresh.Count} articles stored" + (duplicates.Count > 0 ? $", {duplicates.Count} already stored" : "");
        upload.ArticleId = fresh[0].Article.Id;
        upload.ProcessedAt = now;
        upload.Content = null;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        logger.LogInformation("Stored {File}: {Count} articles", upload.FileName, fresh.Count);
        notifier.Publish(new UploadProcessed(upload.Id, upload.Status, upload.Reason, upload.ArticleId));
        foreach (var (article, _) in fresh)
        {
            notifier.Publish(new ArticleStored(article.Id, article.Title, article.PublishedDate));
        }
    }

    private async Task FinishAsync(DashboardDb db, Upload upload, UploadStatus status, string reason, long? articleId, CancellationToken cancellationToken)
    {
        upload.Status = status;
        upload.Reason = reason;
        upload.ArticleId = articleId;
        upload.ProcessedAt = clock.GetUtcNow().UtcDateTime;
        // A failed item keeps its bytes so it can be retried after a fix; a duplicate needs them no more.
        if (status == UploadStatus.Duplicate)
        {
            upload.Content = null;
        }
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Upload {Id} ({File}): {Status}: {Reason}", upload.Id, upload.FileName, status, reason);
        notifier.Publish(new UploadProcessed(upload.Id, status, reason, articleId));
    }

    /// <summary>Groups occurrences into one mention per entity, creating entities and aliases the store has not seen.</summary>
    private static async Task<List<Mention>> MentionsAsync(DashboardDb db, Article article, ExtractionResult extraction, CancellationToken cancellationToken)
    {
        var focus = extraction.Focus.ToHashSet(StringComparer.Ordinal);
        var wanted = extraction.Mentions.Select(m => (m.Kind, m.Key, m.Name))
            .Concat(extraction.Topics.Select(t => (Kind: EntityKind.Topic, t.Key, t.Name)))
            .DistinctBy(e => (e.Kind, e.Key))
            .ToList();
        var entities = await EnsureEntitiesAsync(db, wanted, cancellationToken);

        var mentions = new List<Mention>();
        foreach (var group in extraction.Mentions.GroupBy(m => (m.Kind, m.Key)))
        {
            var entity = entities[group.Key];
            mentions.Add(new Mention
            {
                Entity = entity,
                PublishedDate = article.PublishedDate,
                Count = group.Count(),
                IsFocus = group.Key.Kind == EntityKind.Country && focus.Contains(group.Key.Key),
                Spans = group.OrderBy(m => m.Field).ThenBy(m => m.Start).Select(m => new MentionSpan(m.Start, m.End, m.Field, m.Via)).ToList(),
            });
            foreach (var surface in group.Select(m => Surface(article, m)).Distinct(StringComparer.Ordinal))
            {
                if (surface.Length > 0 && surface != entity.Name && !entity.Aliases.Any(a => a.Name == surface))
                {
                    entity.Aliases.Add(new EntityAlias { Name = surface });
                }
            }
        }
        foreach (var topic in extraction.Topics.DistinctBy(t => t.Key))
        {
            mentions.Add(new Mention
            {
                Entity = entities[(EntityKind.Topic, topic.Key)],
                PublishedDate = article.PublishedDate,
                Count = 1,
                IsFocus = true,
                Score = topic.Score,
            });
        }
        return mentions;
    }

    private static async Task<Dictionary<(EntityKind, string), Entity>> EnsureEntitiesAsync(DashboardDb db, List<(EntityKind Kind, string Key, string Name)> wanted, CancellationToken cancellationToken)
    {
        var keys = wanted.Select(w => w.Key).Distinct().ToList();
        var found = await db.Entities.Include(e => e.Aliases).Where(e => keys.Contains(e.Key)).ToListAsync(cancellationToken);
        var map = found.ToDictionary(e => (e.Kind, e.Key));
        foreach (var (kind, key, name) in wanted)
        {
            if (!map.ContainsKey((kind, key)))
            {
                var entity = new Entity { Kind = kind, Key = key, Name = name };
                db.Entities.Add(entity);
                map[(kind, key)] = entity;
            }
        }
        return map;
    }

    private static string Surface(Article article, ExtractedMention mention)
    {
        var source = mention.Field == "title" ? article.Title : article.Text;
        return mention.Start >= 0 && mention.End <= source.Length && mention.Start < mention.End
            ? source[mention.Start..mention.End]
            : "";
    }

    /// <summary>SHA-256 over the text with case and whitespace folded: the same article re-uploaded hashes the same.</summary>
    public static string ContentHash(string text)
    {
        var normalised = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = normalised.Length > 0;
                continue;
            }
            if (space)
            {
                normalised.Append(' ');
                space = false;
            }
            normalised.Append(char.ToLowerInvariant(c));
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised.ToString())));
    }
}
