using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Curation;

/// <summary>A correction that cannot be made as asked; the message says why.</summary>
public sealed class CurationException(string message) : Exception(message);

/// <summary>
/// Users correct entities: add an alias extraction should recognise, or merge two entities that are one.
/// A merge takes effect at once for stored articles (their mentions move to the surviving entity) and for
/// every article extracted later; an alias reaches stored articles when extraction is re-run.
/// </summary>
public sealed class EntityCuration(IDbContextFactory<DashboardDb> dbFactory, CurationRules rules, WriteTurns writeTurns, TimeProvider clock)
{
    public const int MaxAliasLength = 100;

    public async Task AddAliasAsync(EntityRef entity, string alias, CancellationToken cancellationToken = default)
    {
        alias = alias.Trim();
        if (alias.Length is 0 or > MaxAliasLength)
        {
            throw new CurationException($"An alias needs 1 to {MaxAliasLength} characters.");
        }
        if (!alias.Any(char.IsLetterOrDigit))
        {
            throw new CurationException($"\"{alias}\" has no letters or digits to look for.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var target = await FindAsync(db, entity, cancellationToken);
        var taken = await db.EntityAliases.Where(a => a.IsUserDefined && a.Name == alias && a.EntityId != target.Id)
            .Join(db.Entities, a => a.EntityId, e => e.Id, (a, e) => e.Name).FirstOrDefaultAsync(cancellationToken);
        if (taken is not null)
        {
            throw new CurationException($"\"{alias}\" is already an alias of {taken}; remove it there first.");
        }
        var existing = await db.EntityAliases.FirstOrDefaultAsync(a => a.EntityId == target.Id && a.Name == alias, cancellationToken);
        if (existing is null)
        {
            db.EntityAliases.Add(new EntityAlias { EntityId = target.Id, Name = alias, IsUserDefined = true });
        }
        else
        {
            existing.IsUserDefined = true;
        }
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        await rules.ReloadAsync(cancellationToken);
    }

    public async Task RemoveAliasAsync(EntityRef entity, string alias, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var target = await FindAsync(db, entity, cancellationToken);
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            await db.EntityAliases.Where(a => a.EntityId == target.Id && a.Name == alias).ExecuteDeleteAsync(cancellationToken);
        }
        await rules.ReloadAsync(cancellationToken);
    }

    /// <summary>Merges <paramref name="from"/> into <paramref name="into"/>: mentions, aliases and future findings.</summary>
    public async Task MergeAsync(EntityRef from, EntityRef into, CancellationToken cancellationToken = default)
    {
        if (from == into)
        {
            throw new CurationException("An entity cannot be merged into itself.");
        }
        if (Family(from.Kind) != Family(into.Kind))
        {
            throw new CurationException($"A {EntityRef.KindName(from.Kind)} cannot be merged into a {EntityRef.KindName(into.Kind)}.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        using var turn = await writeTurns.TakeAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var source = await FindAsync(db, from, cancellationToken);
        var target = await FindAsync(db, into, cancellationToken);

        // Articles that mention both: fold the counts and spans into the surviving mention.
        var both = await db.Mentions.Where(m => m.EntityId == source.Id && db.Mentions.Any(t => t.EntityId == target.Id && t.ArticleId == m.ArticleId))
            .ToListAsync(cancellationToken);
        var articleIds = both.Select(m => m.ArticleId).ToList();
        var survivors = await db.Mentions.Where(t => t.EntityId == target.Id && articleIds.Contains(t.ArticleId)).ToDictionaryAsync(t => t.ArticleId, cancellationToken);
        foreach (var mention in both)
        {
            var survivor = survivors[mention.ArticleId];
            survivor.Count += mention.Count;
            survivor.IsFocus |= mention.IsFocus;
            survivor.Score = Math.Max(survivor.Score, mention.Score);
            survivor.Spans = survivor.Spans.Concat(mention.Spans).OrderBy(s => s.Field, StringComparer.Ordinal).ThenBy(s => s.Start).ToList();
            db.Mentions.Remove(mention);
        }
        await db.SaveChangesAsync(cancellationToken);
        await db.Mentions.Where(m => m.EntityId == source.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.EntityId, target.Id), cancellationToken);
        // The bulk move bypasses the change tracker, so the charts' daily counts are recomputed for both here.
        await DailyCounts.RebuildEntitiesAsync(db, [source.Id, target.Id], cancellationToken);

        // The merged entity's names become the survivor's aliases; earlier merges into it now point on.
        var names = await db.EntityAliases.Where(a => a.EntityId == source.Id).Select(a => new { a.Name, a.IsUserDefined }).ToListAsync(cancellationToken);
        var known = (await db.EntityAliases.Where(a => a.EntityId == target.Id).Select(a => a.Name).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, userDefined) in names.Select(n => (n.Name, n.IsUserDefined)).Append((source.Name, false)))
        {
            if (name != target.Name && known.Add(name))
            {
                db.EntityAliases.Add(new EntityAlias { EntityId = target.Id, Name = name, IsUserDefined = userDefined });
            }
        }
        await db.EntityMerges.Where(m => m.IntoEntityId == source.Id).ExecuteUpdateAsync(u => u.SetProperty(m => m.IntoEntityId, target.Id), cancellationToken);
        db.EntityMerges.Add(new EntityMerge { Kind = source.Kind, Key = source.Key, IntoEntityId = target.Id, MergedAt = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(cancellationToken);
        await db.Entities.Where(e => e.Id == source.Id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await rules.ReloadAsync(cancellationToken);
    }

    /// <summary>People and organisations may be merged with each other (a mis-typed actor); countries and topics only among themselves.</summary>
    private static int Family(EntityKind kind) => kind is EntityKind.Person or EntityKind.Organization ? 1 : (int)kind + 10;

    private static async Task<Entity> FindAsync(DashboardDb db, EntityRef entity, CancellationToken cancellationToken) =>
        await db.Entities.FirstOrDefaultAsync(e => e.Kind == entity.Kind && e.Key == entity.Key, cancellationToken)
        ?? throw new CurationException($"There is no {EntityRef.KindName(entity.Kind)} with the key \"{entity.Key}\".");
}
