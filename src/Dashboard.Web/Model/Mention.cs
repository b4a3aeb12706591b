namespace Dashboard.Web.Model;

/// <summary>One entity in one article: how often it occurs, where, and whether the article is about it.</summary>
public sealed class Mention
{
    public long Id { get; set; }
    public long ArticleId { get; set; }
    public Article? Article { get; set; }
    public long EntityId { get; set; }
    public Entity? Entity { get; set; }

    /// <summary>Copied from the article so chart queries filter and group on one covering index.</summary>
    public DateOnly PublishedDate { get; set; }

    /// <summary>Number of occurrences (for topics, 1).</summary>
    public int Count { get; set; }

    /// <summary>For countries: one of the few the article is about. For topics: always true.</summary>
    public bool IsFocus { get; set; }

    /// <summary>Topic score in [0, 1]; 0 for countries and actors.</summary>
    public double Score { get; set; }

    /// <summary>Where each occurrence is, in UTF-16 offsets into the title or the text.</summary>
    public List<MentionSpan> Spans { get; set; } = [];
}

/// <summary>One occurrence of an entity: offsets (end exclusive), which field, and how it was recognised.</summary>
public sealed record MentionSpan(int Start, int End, string Field, string Via);
