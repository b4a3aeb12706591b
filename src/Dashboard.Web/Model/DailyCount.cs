namespace Dashboard.Web.Model;

/// <summary>
/// How many articles mentioned one entity on one day: a pre-aggregated row the unfiltered charts sum instead
/// of counting mentions, kept in step with <see cref="Mention"/> rows in the same transaction.
/// </summary>
public sealed class EntityDay
{
    public long EntityId { get; set; }
    public DateOnly Day { get; set; }

    /// <summary>Copied from the entity, and first in the key, so "top countries in a range" reads one stretch of the table.</summary>
    public EntityKind Kind { get; set; }

    public int Articles { get; set; }

    /// <summary>Occurrences summed over the articles (the charts' "count mentions" switch).</summary>
    public int Mentions { get; set; }

    /// <summary>Articles that are about the entity (the map's "about" switch).</summary>
    public int FocusArticles { get; set; }
}

/// <summary>The <see cref="EntityDay"/> rows of one calendar month summed, so all-time charts read a few rows per entity.</summary>
public sealed class EntityMonth
{
    public long EntityId { get; set; }

    /// <summary>The first day of the month.</summary>
    public DateOnly Month { get; set; }

    public EntityKind Kind { get; set; }
    public int Articles { get; set; }
    public int Mentions { get; set; }
    public int FocusArticles { get; set; }
}

/// <summary>Articles published on one day by one source ("" for none): the volume chart and the headline counts.</summary>
public sealed class ArticleDay
{
    public DateOnly Day { get; set; }
    public required string Source { get; set; }
    public int Articles { get; set; }
}
