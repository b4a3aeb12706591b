using System.Diagnostics.CodeAnalysis;

namespace Dashboard.Web.Model;

/// <summary>A reference to an entity as it appears in URLs and the API: <c>kind:key</c>, e.g. <c>country:IR</c>.</summary>
public sealed record EntityRef(EntityKind Kind, string Key)
{
    public static string KindName(EntityKind kind) => kind switch
    {
        EntityKind.Country => "country",
        EntityKind.Person => "person",
        EntityKind.Organization => "organization",
        EntityKind.Topic => "topic",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParseKind(string? text, out EntityKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "country": kind = EntityKind.Country; return true;
            case "person": kind = EntityKind.Person; return true;
            case "organization" or "organisation": kind = EntityKind.Organization; return true;
            case "topic": kind = EntityKind.Topic; return true;
            default: kind = default; return false;
        }
    }

    /// <summary>Parses <c>kind:key</c>; country keys are upper-cased so <c>country:ir</c> works too.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out EntityRef? entity, out string error)
    {
        entity = null;
        var colon = text?.IndexOf(':') ?? -1;
        if (text is null || colon <= 0 || colon == text.Length - 1)
        {
            error = $"'{text}' is not an entity reference: expected kind:key, e.g. country:IR";
            return false;
        }
        if (!TryParseKind(text[..colon], out var kind))
        {
            error = $"'{text[..colon]}' is not an entity kind: expected country, person, organization or topic";
            return false;
        }
        var key = text[(colon + 1)..].Trim();
        entity = new EntityRef(kind, kind == EntityKind.Country ? key.ToUpperInvariant() : key);
        error = "";
        return true;
    }

    public override string ToString() => $"{KindName(Kind)}:{Key}";
}

/// <summary>
/// What the reader is looking at: a date range and entities. Every chart, the timeline and the API read
/// through the same filter, so their numbers agree. Included entities combine with AND (an article must
/// mention all of them); excluded entities remove any article that mentions one.
/// </summary>
public sealed record ArticleFilter
{
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public IReadOnlyList<EntityRef> Entities { get; init; } = [];
    public IReadOnlyList<EntityRef> Excluded { get; init; } = [];
    public string? Source { get; init; }

    /// <summary>The author as the article's byline gives it ("Sara Karimi"): what one reporter or columnist covers.</summary>
    public string? Author { get; init; }

    /// <summary>Full-text query over title and text (SQLite FTS5 syntax: words, "phrases", OR, NOT, prefix*).</summary>
    public string? Text { get; init; }

    public static ArticleFilter All { get; } = new();

    public ArticleFilter WithEntity(EntityRef entity) =>
        Entities.Contains(entity) ? this : this with { Entities = [.. Entities, entity], Excluded = [.. Excluded.Where(e => e != entity)] };

    public ArticleFilter WithoutEntity(EntityRef entity) =>
        this with { Entities = [.. Entities.Where(e => e != entity)], Excluded = [.. Excluded.Where(e => e != entity)] };

    public ArticleFilter WithExcluded(EntityRef entity) =>
        Excluded.Contains(entity) ? this : this with { Excluded = [.. Excluded, entity], Entities = [.. Entities.Where(e => e != entity)] };

    public bool Equals(ArticleFilter? other) =>
        other is not null && From == other.From && To == other.To && Source == other.Source && Author == other.Author && Text == other.Text
        && Entities.SequenceEqual(other.Entities) && Excluded.SequenceEqual(other.Excluded);

    public override int GetHashCode() => HashCode.Combine(From, To, Source, Author, Text, Entities.Count, Excluded.Count);
}
