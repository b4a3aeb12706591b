namespace Dashboard.Web.Model;

/// <summary>What an article can mention: a country, an actor (person or organisation) or a topic.</summary>
public enum EntityKind
{
    Country = 0,
    Person = 1,
    Organization = 2,
    Topic = 3,
}

/// <summary>A country, actor or topic with one canonical name and a stable key (ISO 3166-1 alpha-2 for countries).</summary>
public sealed class Entity
{
    public long Id { get; set; }
    public EntityKind Kind { get; set; }
    public required string Key { get; set; }
    public required string Name { get; set; }

    public List<EntityAlias> Aliases { get; set; } = [];
}

/// <summary>Another name an entity goes by ("OIC" for the Organization of the Islamic Cooperation).</summary>
public sealed class EntityAlias
{
    public long Id { get; set; }
    public long EntityId { get; set; }
    public required string Name { get; set; }

    /// <summary>Added by a user: extraction looks for it in every article, not only records it when seen.</summary>
    public bool IsUserDefined { get; set; }
}

/// <summary>
/// A user's correction "this entity is that one": the merged entity is gone, and whenever extraction finds
/// its key again, the mention is counted for the entity it was merged into.
/// </summary>
public sealed class EntityMerge
{
    public long Id { get; set; }
    public EntityKind Kind { get; set; }
    public required string Key { get; set; }
    public long IntoEntityId { get; set; }
    public Entity? Into { get; set; }
    public DateTime MergedAt { get; set; }
}

/// <summary>
/// A user's correction "this is not an actor": a name extraction took for a person or organisation ("Monday", a job
/// title, a slogan). Its mentions are gone from every article, and extraction drops it from every article read later.
/// </summary>
public sealed class IgnoredEntity
{
    public long Id { get; set; }
    public EntityKind Kind { get; set; }
    public required string Key { get; set; }

    /// <summary>The name it had, for the list of set-aside names and for undoing.</summary>
    public required string Name { get; set; }

    public DateTime IgnoredAt { get; set; }
}
