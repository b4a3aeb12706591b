namespace Dashboard.Web.Model;

/// <summary>
/// A feed subscription: where it is, how often to poll it, and what happened the last times. The validators
/// (ETag, Last-Modified) make a poll of an unchanged feed cost one 304; the failure count drives the backoff.
/// </summary>
public sealed class Feed
{
    public long Id { get; set; }
    public required string Url { get; set; }

    /// <summary>The user's name for it, else the feed's own title once it was read.</summary>
    public string? Title { get; set; }

    public DateTime AddedAt { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>Fetch the page behind an item whose feed text is only a short summary.</summary>
    public bool FetchFullArticle { get; set; }

    public int PollMinutes { get; set; } = 30;

    public string? ETag { get; set; }

    /// <summary>The server's Last-Modified header as sent, returned verbatim in If-Modified-Since.</summary>
    public string? LastModified { get; set; }

    /// <summary>SHA-256 of the last document read: a server without validators that repeats itself queues nothing.</summary>
    public string? LastContentHash { get; set; }

    public DateTime? LastPolledAt { get; set; }
    public DateTime? LastSuccessAt { get; set; }
    public string? LastError { get; set; }
    public DateTime? LastErrorAt { get; set; }
    public int ConsecutiveFailures { get; set; }
    public DateTime NextPollAt { get; set; }
}

/// <summary>
/// When a site may next be asked for a page by the link fetcher (after the pause between two requests, or the wait
/// the site asked for). Kept in the store, so a restart keeps it and several fetchers on one store share it.
/// </summary>
public sealed class SitePause
{
    /// <summary>Host and port, as <see cref="Upload.Site"/>.</summary>
    public required string Site { get; set; }

    public DateTime FreeAt { get; set; }
}
