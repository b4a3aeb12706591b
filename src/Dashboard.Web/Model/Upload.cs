namespace Dashboard.Web.Model;

/// <summary>Where an uploaded item is in the ingest queue.</summary>
public enum UploadStatus
{
    Queued = 0,
    Stored = 1,
    Duplicate = 2,
    Failed = 3,

    /// <summary>A web address waiting for its page (the link queue, <see cref="Feeds.LinkFetcher"/>); queued once it is fetched.</summary>
    Fetching = 4,
}

/// <summary>
/// One item of the durable ingest queue. The raw bytes are written here before the upload is acknowledged,
/// so nothing accepted is lost if the process dies before the ingestion worker gets to it.
/// </summary>
public sealed class Upload
{
    public long Id { get; set; }
    public required string FileName { get; set; }

    /// <summary>
    /// The raw item while it is being queued or read. It is stored in <see cref="UploadContent"/>, a table of its own,
    /// and deleted there once the item is stored, so the queue does not keep a second copy; or, for a file queued with
    /// many others, in a spool segment (<see cref="SegmentId"/>). Null for a spooled upload.
    /// </summary>
    public byte[]? Content { get; set; }

    /// <summary>
    /// The spool segment holding the bytes of a file queued with many others (<see cref="SpoolSegment"/>), from
    /// <see cref="SegmentOffset"/> for <see cref="SegmentLength"/> bytes; null for a file whose bytes are in
    /// <see cref="UploadContent"/> or spooled alone.
    /// </summary>
    public long? SegmentId { get; set; }

    public long? SegmentOffset { get; set; }

    public int? SegmentLength { get; set; }

    public UploadStatus Status { get; set; }

    /// <summary>Why it failed, or which article it duplicates, in words a person understands.</summary>
    public string? Reason { get; set; }

    public long? ArticleId { get; set; }
    public DateTime ReceivedAt { get; set; }
    public DateTime? ProcessedAt { get; set; }

    /// <summary>The feed subscription this item was fetched for; null for files people brought.</summary>
    public long? FeedId { get; set; }

    /// <summary>The web address a link upload's page is fetched from (a list of links, a link file); null for files.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// The site of <see cref="Url"/> (host and port, as <see cref="Uri.Authority"/> gives them): the link fetcher takes
    /// the earliest due link of each site, so a long list from one site does not hold up the others behind it.
    /// </summary>
    public string? Site { get; set; }

    /// <summary>How many times the link's page could not be had for a reason that may pass (a timeout, a server error).</summary>
    public int FetchAttempts { get; set; }

    /// <summary>When a link waiting for its page is next fetched (later after each failure that may pass); null otherwise.</summary>
    public DateTime? NextFetchAt { get; set; }

    /// <summary>
    /// What the file that listed the link said of its story (title, date, outlet: a row of an export of story links),
    /// as JSON (<see cref="Ingestion.LinkHints"/>): it fills what the fetched page lacks. Null for a bare address.
    /// </summary>
    public string? LinkHints { get; set; }

    /// <summary>
    /// The list a link came in (a file of links, a long paste, an export of story links): the id of the list's first
    /// link, so one list's progress can be shown and its waiting links forgotten without touching another's. Null for
    /// files and single links.
    /// </summary>
    public long? ListId { get; set; }
}

/// <summary>
/// The bytes of a queued or failed upload. Kept apart from <see cref="Upload"/>: a row of a few kilobytes fills a
/// page of the file, and emptying the column after processing left that page nearly empty for good (a quarter of
/// a 100,000-article store was such pages). Deleting this row instead frees its pages for the next uploads.
/// </summary>
public sealed class UploadContent
{
    public long UploadId { get; set; }
    public required byte[] Content { get; set; }
}

/// <summary>
/// One file of the spool folder holding the bytes of uploads queued together (an import's chunk, a multi-file
/// request), one after another: <c>{Id}.segment</c>. A bulk import's bytes written into the queue table cost the single
/// writer about a tenth of the import (each 3 KB file inserted as a row, then deleted row by row once stored, and both
/// copied through the log). The segment is written and flushed before its uploads are acknowledged, and deleted with
/// this row once none of <see cref="FirstUploadId"/> to <see cref="LastUploadId"/> is queued any more (a failed one
/// keeps its bytes in <see cref="UploadContent"/> for a retry).
/// </summary>
public sealed class SpoolSegment
{
    public long Id { get; set; }
    public long FirstUploadId { get; set; }
    public long LastUploadId { get; set; }
}
