using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Curation;

/// <summary>An entity as extraction reports it: kind, key and canonical name.</summary>
public sealed record EntityTarget(EntityKind Kind, string Key, string Name);

/// <summary>A user-defined alias to look for in articles, and the entity it names.</summary>
public sealed record UserAlias(string Text, EntityTarget Entity);

/// <summary>
/// The users' corrections that extraction applies to every article: merged keys, added aliases and names set aside as
/// not actors.
/// Held as an immutable snapshot, swapped whole after each change, so ingestion threads never lock.
/// </summary>
public sealed class CurationRules(IDbContextFactory<DashboardDb> dbFactory)
{
    private volatile Snapshot _current = Snapshot.Empty;

    /// <summary>The rules in force.</summary>
    public Snapshot Current => _current;

    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var merges = await db.EntityMerges.AsNoTracking()
            .Select(m => new { m.Kind, m.Key, Into = new EntityTarget(m.Into!.Kind, m.Into.Key, m.Into.Name) })
            .ToListAsync(cancellationToken);
        var aliases = await db.EntityAliases.AsNoTracking().Where(a => a.IsUserDefined)
            .Join(db.Entities, a => a.EntityId, e => e.Id, (a, e) => new { a.Name, Target = new EntityTarget(e.Kind, e.Key, e.Name) })
            .ToListAsync(cancellationToken);
        var ignored = await db.IgnoredEntities.AsNoTracking().Select(i => new { i.Kind, i.Key }).ToListAsync(cancellationToken);
        _current = new Snapshot(
            merges.ToDictionary(m => (m.Kind, m.Key), m => m.Into),
            aliases.Select(a => new UserAlias(a.Name, a.Target)).OrderByDescending(a => a.Text.Length).ToList(),
            ignored.Select(i => (i.Kind, i.Key)).ToHashSet());
    }

    /// <summary>One consistent set of rules.</summary>
    public sealed record Snapshot(IReadOnlyDictionary<(EntityKind, string), EntityTarget> Merges, IReadOnlyList<UserAlias> Aliases,
        IReadOnlySet<(EntityKind, string)> Ignored)
    {
        public static Snapshot Empty { get; } = new(new Dictionary<(EntityKind, string), EntityTarget>(), [], new HashSet<(EntityKind, string)>());
    }
}
