using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Curation;

/// <summary>A deletion of a view's articles refused because the view no longer holds the number shown.</summary>
public sealed class ViewChangedException(string message) : CurationException(message);

/// <summary>What a deletion did: the article's id and title, and how many copies of its story remain.</summary>
public sealed record RemovedArticle(long Id, string Title, int RemainingCopies);

/// <summary>
/// Users delete articles that do not belong (junk, off topic, a test upload, a whole import made by mistake): the
/// articles, their mentions and their place in the search index go, every count they were in is counted again, and a
/// copy of a story takes the place of its first copy. What identifies each (normalised text, canonical address) is kept,
/// so a feed that still carries it does not bring it back; "allow again" forgets that, for a deletion made by mistake.
/// </summary>
public sealed class ArticleRemoval(IDbContextFactory<DashboardDb> dbFactory, WriteTurns writeTurns, DashboardQueries queries, ArticleNotifier notifier,
    TimeProvider clock, ILogger<ArticleRemoval> logger)
{
    /// <summary>Past this many entities to count again, every count is rebuilt at once rather than entity by entity.</summary>
    private const int FullRecountEntities = 2_000;

    /// <summary>Deletes article <paramref name="id"/>; null when there is no such article.</summary>
    public async Task<RemovedArticle?> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        var removed = await DeleteWhereAsync(db => Task.FromResult(db.Articles.Where(a => a.Id == id)), expected: null, cancellationToken);
        return removed.Count == 0 ? null : removed[0];
    }

    /// <summary>
    /// Deletes every article <paramref name="filter"/> matches, when they are <paramref name="expected"/> many (what the
    /// person deleting them was shown): a view that grew or shrank meanwhile is refused, not deleted. A filter that
    /// narrows nothing is refused too: emptying the store is not a click. Returns how many were deleted.
    /// </summary>
    public async Task<int> DeleteAllAsync(ArticleFilter filter, int expected, CancellationToken cancellationToken = default)
    {
        if (filter.Equals(ArticleFilter.All))
        {
            throw new CurationException("Deleting every article needs a filter: pick the dates, the source, the entities or the search of the articles to delete.");
        }
        var removed = await DeleteWhereAsync(db => DashboardQueries.FilterAsync(db, filter, cancellationToken), expected, cancellationToken);
        return removed.Count;
    }

    /// <summary>
    /// The deletion itself, in one transaction under the write turn: the articles <paramref name="select"/> picks, counted
    /// again there against <paramref name="expected"/> when given.
    /// </summary>
    private async Task<List<RemovedArticle>> DeleteWhereAsync(Func<DashboardDb, Task<IQueryable<Article>>> select, int? expected, CancellationToken cancellationToken)
    {
        var removed = new List<RemovedArticle>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        using (await writeTurns.TakeAsync(cancellationToken))
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var articles = await (await select(db)).AsNoTracking()
                .Select(a => new { a.Id, a.Title, a.ContentHash, a.CanonicalUrl, a.PublishedDate, a.Source, a.StoryId })
                .ToListAsync(cancellationToken);
            if (expected is { } shown && shown != articles.Count)
            {
                throw new ViewChangedException($"The view holds {articles.Count:N0} article{(articles.Count == 1 ? "" : "s")} now, not the {shown:N0} shown: nothing was deleted. Look at it again first.");
            }
            if (articles.Count == 0)
            {
                return removed;
            }
            var ids = articles.Select(a => a.Id).ToHashSet();
            var entities = new HashSet<long>();
            foreach (var chunk in ids.Chunk(500))
            {
                entities.UnionWith(await db.Mentions.Where(m => chunk.Contains(m.ArticleId)).Select(m => m.EntityId).Distinct().ToListAsync(cancellationToken));
            }

            // A story whose first copy goes: the earliest copy left stands for it from now on.
            var remaining = new Dictionary<long, int>();
            foreach (var chunk in articles.Select(a => a.StoryId ?? a.Id).Distinct().Chunk(500))
            {
                var copies = await db.Articles.Where(a => chunk.Contains(a.Id) || (a.StoryId != null && chunk.Contains(a.StoryId.Value)))
                    .Select(a => new { a.Id, Story = a.StoryId ?? a.Id }).ToListAsync(cancellationToken);
                foreach (var story in copies.Where(c => !ids.Contains(c.Id)).GroupBy(c => c.Story))
                {
                    remaining[story.Key] = story.Count();
                    if (ids.Contains(story.Key))
                    {
                        var first = story.Min(c => c.Id);
                        await db.Articles.Where(a => a.Id == first).ExecuteUpdateAsync(u => u.SetProperty(a => a.StoryId, (long?)null), cancellationToken);
                        await db.Articles.Where(a => a.StoryId == story.Key && a.Id != first).ExecuteUpdateAsync(u => u.SetProperty(a => a.StoryId, (long?)first), cancellationToken);
                    }
                }
            }

            var now = clock.GetUtcNow().UtcDateTime;
            foreach (var chunk in ids.Chunk(500))
            {
                // Mentions first (bulk writes leave foreign keys unchecked); the search index follows through its delete trigger.
                await db.Mentions.Where(m => chunk.Contains(m.ArticleId)).ExecuteDeleteAsync(cancellationToken);
                await db.Articles.Where(a => chunk.Contains(a.Id)).ExecuteDeleteAsync(cancellationToken);
                // The uploads that brought them say so, rather than link to nothing.
                var note = $" (article deleted on {now:yyyy-MM-dd})";
                await db.Uploads.Where(u => u.ArticleId != null && chunk.Contains(u.ArticleId.Value))
                    .ExecuteUpdateAsync(u => u.SetProperty(x => x.Reason, x => (x.Reason ?? "") + note).SetProperty(x => x.ArticleId, (long?)null), cancellationToken);
            }
            foreach (var article in articles)
            {
                db.DeletedArticles.Add(new DeletedArticle
                {
                    ArticleId = article.Id, Title = article.Title, ContentHash = article.ContentHash, CanonicalUrl = article.CanonicalUrl,
                    PublishedDate = article.PublishedDate, Source = article.Source, DeletedAt = now,
                });
                removed.Add(new RemovedArticle(article.Id, article.Title, remaining.GetValueOrDefault(article.StoryId ?? article.Id)));
            }
            await db.SaveChangesAsync(cancellationToken);

            // Their days and entities are counted again; the co-mention index reloads (the store is marked edited).
            if (entities.Count > FullRecountEntities)
            {
                // Every stored article counted from scratch, those an import holds counts for included.
                await DailyCounts.RebuildAsync(db, cancellationToken);
            }
            else
            {
                await DailyCounts.RebuildDaysAsync(db, articles.Select(a => a.PublishedDate).Distinct().ToList(), cancellationToken);
                await DailyCounts.RebuildEntitiesAsync(db, entities, cancellationToken);
            }
            await DailyCounts.MarkEditedAsync(db, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        queries.ForgetSearches();
        notifier.Publish(new CountsWritten());
        logger.LogInformation("{Count} articles deleted, the first \"{Title}\" (article {Id})", removed.Count, removed[0].Title, removed[0].Id);
        return removed;
    }

    /// <summary>The deletion of article <paramref name="articleId"/>, if it was deleted.</summary>
    public async Task<DeletedArticle?> FindAsync(long articleId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.DeletedArticles.AsNoTracking().Where(d => d.ArticleId == articleId).OrderByDescending(d => d.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Every deleted article, newest deletion first.</summary>
    public async Task<IReadOnlyList<DeletedArticle>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.DeletedArticles.AsNoTracking().OrderByDescending(d => d.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Forgets a deletion: the same text or address is stored again when it next arrives. False when there is none with that id.</summary>
    public async Task<bool> AllowAgainAsync(long deletionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            return await db.DeletedArticles.Where(d => d.Id == deletionId).ExecuteDeleteAsync(cancellationToken) > 0;
        }
    }
}
