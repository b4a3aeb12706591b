using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Curation;

/// <summary>A correction that cannot be made as asked; the message says why.</summary>
public class CurationException(string message) : Exception(message);

/// <summary>A name a user added to an entity, for the list of corrections.</summary>
public sealed record AddedAlias(EntityRef Entity, string EntityName, string Alias);

/// <summary>A key merged into another entity, and when.</summary>
public sealed record MergedKey(EntityRef Merged, EntityRef Into, string IntoName, DateTime MergedAt);

/// <summary>A name set aside as not an actor, and when.</summary>
public sealed record SetAsideName(EntityRef Entity, string Name, DateTime IgnoredAt);

/// <summary>Every correction in force, newest first in each list.</summary>
public sealed record Corrections(IReadOnlyList<AddedAlias> Aliases, IReadOnlyList<MergedKey> Merges, IReadOnlyList<SetAsideName> SetAside);

/// <summary>
/// Users correct entities: add an alias extraction should recognise, merge two entities that are one, or set aside a
/// name that is not an actor at all. A merge or a setting aside takes effect at once for stored articles (their
/// mentions move, or go) and for every article extracted later; an alias reaches stored articles when extraction is
/// re-run, as does undoing a setting aside.
/// </summary>
public sealed class EntityCuration(IDbContextFactory<DashboardDb> dbFactory, CurationRules rules, WriteTurns writeTurns, TimeProvider clock)
{
    public const int MaxAliasLength = 100;

    public async Task AddAliasAsync(EntityRef entity, string alias, CancellationToken cancellationToken = default)
    {
        alias = Checked(alias, "An alias");
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
            await rules.ReloadAsync(cancellationToken);
        }
    }

    public async Task RemoveAliasAsync(EntityRef entity, string alias, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var target = await FindAsync(db, entity, cancellationToken);
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            await db.EntityAliases.Where(a => a.EntityId == target.Id && a.Name == alias).ExecuteDeleteAsync(cancellationToken);
            await rules.ReloadAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Gives an entity the name it is shown under everywhere from now on ("Bagheri" as "Ali Bagheri Kani"). Extraction
    /// keeps the stored name of an entity it finds again, so the new one stays; the old name becomes another name for it.
    /// </summary>
    public async Task RenameAsync(EntityRef entity, string name, CancellationToken cancellationToken = default)
    {
        name = Checked(name, "A name");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        using var turn = await writeTurns.TakeAsync(cancellationToken);
        var target = await FindAsync(db, entity, cancellationToken);
        if (target.Name == name)
        {
            return;
        }
        if (!await db.EntityAliases.AnyAsync(a => a.EntityId == target.Id && a.Name == target.Name, cancellationToken))
        {
            db.EntityAliases.Add(new EntityAlias { EntityId = target.Id, Name = target.Name, IsUserDefined = false });
        }
        target.Name = name;
        await db.SaveChangesAsync(cancellationToken);
        // Merges into it carry its name to the articles extracted from now on.
        await rules.ReloadAsync(cancellationToken);
    }

    /// <summary>
    /// Moves a person to the organisations, or an organisation to the people (an actor read as the wrong kind: a company
    /// named after its founder, a club after its county): its mentions, names and later findings go to the entity of the
    /// other kind with the same key, made for it when there is none. Returns that entity.
    /// </summary>
    public async Task<EntityRef> ChangeKindAsync(EntityRef entity, EntityKind kind, CancellationToken cancellationToken = default)
    {
        if (entity.Kind is not (EntityKind.Person or EntityKind.Organization) || kind is not (EntityKind.Person or EntityKind.Organization))
        {
            throw new CurationException("Only an actor can change kind, between person and organisation; countries and topics are fixed lists.");
        }
        if (entity.Kind == kind)
        {
            throw new CurationException($"It is a {EntityRef.KindName(kind)} already.");
        }
        var into = new EntityRef(kind, entity.Key);
        await MergeAsync(entity, into, cancellationToken, createInto: true);
        return into;
    }

    /// <summary>Merges <paramref name="from"/> into <paramref name="into"/>: mentions, aliases and future findings.</summary>
    /// <param name="createInto">Make <paramref name="into"/>, under <paramref name="from"/>'s name, when there is none (a change of kind).</param>
    public async Task MergeAsync(EntityRef from, EntityRef into, CancellationToken cancellationToken = default, bool createInto = false)
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
        var target = createInto
            ? await db.Entities.FirstOrDefaultAsync(e => e.Kind == into.Kind && e.Key == into.Key, cancellationToken) ?? await CreateAsync(db, into, source.Name, cancellationToken)
            : await FindAsync(db, into, cancellationToken);

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
        // A key merged away before and made again (a change of kind undone) is itself once more, not a merge into itself.
        await db.EntityMerges.Where(m => m.Kind == target.Kind && m.Key == target.Key).ExecuteDeleteAsync(cancellationToken);
        db.EntityMerges.Add(new EntityMerge { Kind = source.Kind, Key = source.Key, IntoEntityId = target.Id, MergedAt = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(cancellationToken);
        await db.Entities.Where(e => e.Id == source.Id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await rules.ReloadAsync(cancellationToken);
    }

    /// <summary>
    /// Sets aside a person or organisation that is not one (a weekday, a job title read as a name): its mentions leave
    /// every stored article and the counts, and extraction leaves it out of every article read later. Names merged into
    /// it are set aside with it. Returns how many articles it was taken out of.
    /// </summary>
    public async Task<int> IgnoreAsync(EntityRef entity, CancellationToken cancellationToken = default)
    {
        if (entity.Kind is not (EntityKind.Person or EntityKind.Organization))
        {
            // A country or a topic is a fixed list: a wrong one in an article is that article's mistake, not the entity's.
            throw new CurationException($"Only people and organisations can be set aside; a {EntityRef.KindName(entity.Kind)} is one of a fixed list.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        int articles;
        using (await writeTurns.TakeAsync(cancellationToken))
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var target = await FindAsync(db, entity, cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            var merged = await db.EntityMerges.Where(m => m.IntoEntityId == target.Id).Select(m => new { m.Kind, m.Key }).ToListAsync(cancellationToken);
            // A key set aside before can be back (an article extracted before that took effect): it is set aside once.
            var already = (await db.IgnoredEntities.Select(i => new { i.Kind, i.Key }).ToListAsync(cancellationToken)).Select(i => (i.Kind, i.Key)).ToHashSet();
            foreach (var key in merged.Select(m => (m.Kind, m.Key)).Append((target.Kind, target.Key)).Distinct().Where(k => !already.Contains(k)))
            {
                db.IgnoredEntities.Add(new IgnoredEntity { Kind = key.Kind, Key = key.Key, Name = target.Name, IgnoredAt = now });
            }
            await db.SaveChangesAsync(cancellationToken);
            articles = await db.Mentions.Where(m => m.EntityId == target.Id).ExecuteDeleteAsync(cancellationToken);
            // Its daily counts go with its mentions (the recount finds none), and the co-mention index reloads.
            await DailyCounts.RebuildEntitiesAsync(db, [target.Id], cancellationToken);
            // Its aliases and the merges into it go with it (cascade); the merged keys are set aside above.
            await db.Entities.Where(e => e.Id == target.Id).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            // In force before the turn passes on: the next batch written sees it (CuratedExtractor.Refresh).
            await rules.ReloadAsync(cancellationToken);
        }
        return articles;
    }

    /// <summary>
    /// Undoes <see cref="IgnoreAsync"/> for one key: extraction finds the name again from now on, and stored articles when
    /// extraction is re-run.
    /// </summary>
    public async Task RestoreAsync(EntityRef entity, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        int removed;
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            removed = await db.IgnoredEntities.Where(i => i.Kind == entity.Kind && i.Key == entity.Key).ExecuteDeleteAsync(cancellationToken);
            await rules.ReloadAsync(cancellationToken);
        }
        if (removed == 0)
        {
            throw new CurationException($"No {EntityRef.KindName(entity.Kind)} with the key \"{entity.Key}\" has been set aside.");
        }
    }

    /// <summary>Every correction in force: added names, merges and names set aside, for reviewing (and undoing) them.</summary>
    public async Task<Corrections> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var aliases = await db.EntityAliases.AsNoTracking().Where(a => a.IsUserDefined).OrderByDescending(a => a.Id)
            .Join(db.Entities, a => a.EntityId, e => e.Id, (a, e) => new { e.Kind, e.Key, e.Name, Alias = a.Name })
            .ToListAsync(cancellationToken);
        var merges = await db.EntityMerges.AsNoTracking().OrderByDescending(m => m.Id)
            .Select(m => new { m.Kind, m.Key, IntoKind = m.Into!.Kind, IntoKey = m.Into.Key, IntoName = m.Into.Name, m.MergedAt })
            .ToListAsync(cancellationToken);
        var ignored = await db.IgnoredEntities.AsNoTracking().OrderByDescending(i => i.Id).ToListAsync(cancellationToken);
        return new Corrections(
            aliases.Select(a => new AddedAlias(new EntityRef(a.Kind, a.Key), a.Name, a.Alias)).ToList(),
            merges.Select(m => new MergedKey(new EntityRef(m.Kind, m.Key), new EntityRef(m.IntoKind, m.IntoKey), m.IntoName, m.MergedAt)).ToList(),
            ignored.Select(i => new SetAsideName(new EntityRef(i.Kind, i.Key), i.Name, i.IgnoredAt)).ToList());
    }

    /// <summary>A name or an alias as typed, trimmed; refused when it is empty, too long or has nothing to look for.</summary>
    private static string Checked(string text, string what)
    {
        text = text.Trim();
        if (text.Length is 0 or > MaxAliasLength)
        {
            throw new CurationException($"{what} needs 1 to {MaxAliasLength} characters.");
        }
        if (!text.Any(char.IsLetterOrDigit))
        {
            throw new CurationException($"\"{text}\" has no letters or digits to look for.");
        }
        return text;
    }

    /// <summary>People and organisations may be merged with each other (a mis-typed actor); countries and topics only among themselves.</summary>
    private static int Family(EntityKind kind) => kind is EntityKind.Person or EntityKind.Organization ? 1 : (int)kind + 10;

    private static async Task<Entity> CreateAsync(DashboardDb db, EntityRef entity, string name, CancellationToken cancellationToken)
    {
        var created = new Entity { Kind = entity.Kind, Key = entity.Key, Name = name };
        db.Entities.Add(created);
        await db.SaveChangesAsync(cancellationToken);
        return created;
    }

    private static async Task<Entity> FindAsync(DashboardDb db, EntityRef entity, CancellationToken cancellationToken) =>
        await db.Entities.FirstOrDefaultAsync(e => e.Kind == entity.Kind && e.Key == entity.Key, cancellationToken)
        ?? throw new CurationException($"There is no {EntityRef.KindName(entity.Kind)} with the key \"{entity.Key}\".");
}
