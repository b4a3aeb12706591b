namespace Dashboard.Web.Ingestion;

/// <summary>
/// Gives memory back after bulk ingestion. A batch's texts, extractions and rows live long enough (prepared while the
/// previous batch is written) to reach the oldest generation, where the collector lets them pile up: 20,000 articles
/// imported into a million-article store took the server from 340 to 600 MB, 170 MB of it garbage (with the
/// collector's ConserveMemory setting, see the project file, about 500 MB). A background full
/// collection every few batches keeps that garbage from growing the heap, and a compacting one when a bulk drain ends
/// hands the free space back to the system. Small drains (a feed's few new items) trigger neither.
/// </summary>
public static class HeapTrim
{
    /// <summary>Articles written between background full collections, and the least a drain must write to be trimmed after.</summary>
    public const int ArticlesPerCollection = 4096;

    private static long s_articles;
    private static long s_sinceTrim;

    /// <summary>Called after each batch or spooled chunk is committed, with the number of articles it wrote.</summary>
    public static void AfterBatch(int articles)
    {
        Interlocked.Add(ref s_sinceTrim, articles);
        var total = Interlocked.Add(ref s_articles, articles);
        if (total / ArticlesPerCollection != (total - articles) / ArticlesPerCollection)
        {
            // Concurrent collection: the mark runs beside the pipeline instead of pausing it (a blocking, compacting
            // collection every other batch was tried: slower by half, and no lower peak).
            GC.Collect(2, GCCollectionMode.Forced, blocking: false);
        }
    }

    /// <summary>Called when the queue is empty; compacts and decommits once enough was written since the last time.</summary>
    public static void AfterDrain()
    {
        if (Volatile.Read(ref s_sinceTrim) >= ArticlesPerCollection)
        {
            Interlocked.Exchange(ref s_sinceTrim, 0);
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }
}
