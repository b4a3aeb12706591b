using Dashboard.Web.Model;

namespace Dashboard.Web.Ingestion;

/// <summary>An article the ingestion service has just stored.</summary>
public sealed record ArticleStored(long ArticleId, string Title, DateOnly PublishedDate);

/// <summary>
/// An upload whose status the background changed: it left the queue (stored, duplicate or failed), or a link's page
/// was fetched (now queued) or could not be had yet (still fetching, tried again later).
/// </summary>
public sealed record UploadProcessed(long UploadId, UploadStatus Status, string? Reason, long? ArticleId);

/// <summary>A feed subscription was polled and its new state saved (health, schedule, or its address when a site's page named its feed).</summary>
public sealed record FeedPolled(long FeedId);

/// <summary>
/// Daily and monthly counts were written for articles stored earlier (a bulk import's held counts, or counts caught up
/// after a restart), with no article stored at the same time: views whose numbers come from the counts recount.
/// </summary>
public sealed record CountsWritten;

/// <summary>
/// Tells open dashboards what the background service did. Components subscribe when they render and
/// unsubscribe when disposed; handlers run on the ingestion thread, so they must marshal with InvokeAsync.
/// </summary>
public sealed class ArticleNotifier(ILogger<ArticleNotifier> logger)
{
    public event Action<ArticleStored>? ArticleStored;
    public event Action<UploadProcessed>? UploadProcessed;
    public event Action<FeedPolled>? FeedPolled;
    public event Action<CountsWritten>? CountsWritten;

    public void Publish(ArticleStored stored) => Raise(ArticleStored, stored);

    public void Publish(UploadProcessed processed) => Raise(UploadProcessed, processed);

    public void Publish(FeedPolled polled) => Raise(FeedPolled, polled);

    public void Publish(CountsWritten written) => Raise(CountsWritten, written);

    private void Raise<T>(Action<T>? handlers, T value)
    {
        if (handlers is null)
        {
            return;
        }
        // One broken subscriber (a closed circuit) must not stop the others or the ingestion service.
        foreach (var handler in handlers.GetInvocationList().Cast<Action<T>>())
        {
            try
            {
                handler(value);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A dashboard subscriber failed to handle {Event}", typeof(T).Name);
            }
        }
    }
}
