namespace Dashboard.Web.Model;

/// <summary>Where an uploaded item is in the ingest queue.</summary>
public enum UploadStatus
{
    Queued = 0,
    Stored = 1,
    Duplicate = 2,
    Failed = 3,
}

/// <summary>
/// One item of the durable ingest queue. The raw bytes are written here before the upload is acknowledged,
/// so nothing accepted is lost if the process dies before the ingestion worker gets to it.
/// </summary>
public sealed class Upload
{
    public long Id { get; set; }
    public required string FileName { get; set; }

    /// <summary>The raw item; cleared once it is stored so the queue does not keep a second copy.</summary>
    public byte[]? Content { get; set; }

    public UploadStatus Status { get; set; }

    /// <summary>Why it failed, or which article it duplicates, in words a person understands.</summary>
    public string? Reason { get; set; }

    public long? ArticleId { get; set; }
    public DateTime ReceivedAt { get; set; }
    public DateTime? ProcessedAt { get; set; }

    /// <summary>The feed subscription this item was fetched for; null for files people brought.</summary>
    public long? FeedId { get; set; }
}
