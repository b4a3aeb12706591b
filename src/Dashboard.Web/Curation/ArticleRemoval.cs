using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Curation;

/// <summary>What a deletion did: the article's id and title, and how many copies of its story remain.</summary>
public sealed record RemovedArticle(long Id, string Title, int RemainingCopies);

/// <summary>
/// Users delete articles that do not belong (junk, off topic, a test upload): the article, its mentions and its place in
/// the search index go, every count it was in is counted again, and a copy of its story takes its place as the story's
/// first. What identifies it (normalised text, canonical address) is kept, so a feed that still carries it does not bring
/// it back; "allow again" forgets that, for a deletion made by mistake.
/// </summary>
public sealed class ArticleRemoval(IDbContextFactory<DashboardDb> dbFactory, WriteTurns writeTurns, DashboardQueries queries, ArticleNotifier notifier,
    TimeProvider clock, ILogger<ArticleRemoval> logger)
{
    /// <summary>Deletes article <paramref name="id"/>; null when there is no such article.</summary>
    public async Task<RemovedArticle?> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        RemovedArticle removed;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        using (await writeTurns.TakeAsync(cancellationToken))
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var article = await db.Articles.AsNoTracking().Where(a => a.Id == id)
                .Select(a => new { a.Id, a.Title, a.ContentHash, a.CanonicalUrl, a.PublishedDate, a.Source, a.StoryId })
                .FirstOrDefaultAsync(cancellationToken);
            if (article is null)
            {
                return null;
            }
            var entities = await db.Mentions.Where(m => m.ArticleId == id).Select(m => m.EntityId).ToListAsync(cancellationToken);

            // The story's first copy leaves: the earliest copy left stands for the story from now on.
            var story = article.StoryId ?? article.Id;
            var copies = await db.Articles.Where(a => a.Id != id && (a.Id == story || a.StoryId == story)).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(cancellationToken);
            if (article.StoryId is null && copies.Count > 0)
            {
                var first = copies[0];
                await db.Articles.Where(a => a.Id == first).ExecuteUpdateAsync(u => u.SetProperty(a => a.StoryId, (long?)null), cancellationToken);
                await db.Articles.Where(a => a.StoryId == id).ExecuteUpdateAsync(u => u.SetProperty(a => a.StoryId, (long?)first), cancellationToken);
            }

            // Mentions first (bulk writes leave foreign keys unchecked); the search index follows through its delete trigger.
            await db.Mentions.Where(m => m.ArticleId == id).ExecuteDeleteAsync(cancellationToken);
            await db.Articles.Where(a => a.Id == id).ExecuteDeleteAsync(cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            db.DeletedArticles.Add(new DeletedArticle
            {
                ArticleId = id, Title = article.Title, ContentHash = article.ContentHash, CanonicalUrl = article.CanonicalUrl,
                PublishedDate = article.PublishedDate, Source = article.Source, DeletedAt = now,
            });
            // The uploads that brought it say so, rather than link to nothing.
            var note = $" (article {id} deleted on {now:yyyy-MM-dd})";
            await db.Uploads.Where(u => u.ArticleId == id)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.ArticleId, (long?)null).SetProperty(x => x.Reason, x => (x.Reason ?? "") + note), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);

            // Its day and its entities are counted again; the co-mention index reloads (the recount marks the store edited).
            await DailyCounts.RebuildDaysAsync(db, [article.PublishedDate], cancellationToken);
            await DailyCounts.RebuildEntitiesAsync(db, entities.Distinct().ToList(), cancellationToken);
            await DailyCounts.MarkEditedAsync(db, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            removed = new RemovedArticle(id, article.Title, copies.Count);
        }
        queries.ForgetSearches();
        notifier.Publish(new CountsWritten());
        logger.LogInformation("Article {Id} deleted: \"{Title}\"", id, removed.Title);
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
