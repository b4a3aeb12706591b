namespace Dashboard.Web.Model;

/// <summary>A news article as stored: its text, when it was published, where it came from.</summary>
public sealed class Article
{
    public long Id { get; set; }
    public required string Title { get; set; }
    public required string Text { get; set; }

    /// <summary>The day the article was published (UTC); the timeline and every chart bucket by it.</summary>
    public DateOnly PublishedDate { get; set; }

    /// <summary>True when the source gave no date and <see cref="PublishedDate"/> is the upload's day.</summary>
    public bool DateIsFallback { get; set; }

    public string? Source { get; set; }
    public string? Url { get; set; }
    public string? Author { get; set; }

    /// <summary>SHA-256 of the normalised text: the same article uploaded twice is stored once.</summary>
    public required string ContentHash { get; set; }

    public DateTime IngestedAt { get; set; }

    public List<Mention> Mentions { get; set; } = [];
}
