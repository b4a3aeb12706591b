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

    /// <summary>The publication instant with the offset the source gave, when it gave a time.</summary>
    public DateTimeOffset? PublishedAt { get; set; }

    public string? Source { get; set; }
    public string? Url { get; set; }

    /// <summary>The URL without tracking parameters, fragment and letter case of the host: the same story linked twice is stored once.</summary>
    public string? CanonicalUrl { get; set; }
    public string? Author { get; set; }

    /// <summary>SHA-256 of the normalised text: the same article uploaded twice is stored once.</summary>
    public required string ContentHash { get; set; }

    public DateTime IngestedAt { get; set; }

    /// <summary>SimHash of the text's word shingles: near-duplicates (wire copies) differ in a few bits.</summary>
    public long Fingerprint { get; set; }

    /// <summary>Hash of the opening words: wire copies keep the lead, so this finds the candidates a fingerprint then confirms.</summary>
    public long LeadHash { get; set; }

    /// <summary>The first article of the story this one copies (a wire copy with a new headline or paragraph); null when it is the first.</summary>
    public long? StoryId { get; set; }

    /// <summary>The feed subscription that brought it (the feed health counts items per day by it); null for uploads.</summary>
    public long? FeedId { get; set; }

    public List<Mention> Mentions { get; set; } = [];
}

/// <summary>
/// An article a user deleted (junk, off topic, a test upload): what is kept of it so the same text or address, arriving
/// again from a feed that still carries it or a re-sent archive, is not stored again. Allowing it again removes this.
/// </summary>
public sealed class DeletedArticle
{
    public long Id { get; set; }

    /// <summary>The id it had: links to it lead nowhere now, and upload reasons name it.</summary>
    public long ArticleId { get; set; }

    public required string Title { get; set; }
    public required string ContentHash { get; set; }
    public string? CanonicalUrl { get; set; }
    public DateOnly PublishedDate { get; set; }
    public string? Source { get; set; }
    public DateTime DeletedAt { get; set; }
}
