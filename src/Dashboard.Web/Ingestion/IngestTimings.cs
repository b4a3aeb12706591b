using System.Diagnostics;

namespace Dashboard.Web.Ingestion;

/// <summary>
/// Where ingestion spends its time, phase by phase, summed over the process's life: the single writer's phases (the
/// critical path of a bulk import) and the preparation of batches beside it. <c>bench ingest</c> prints them, so whoever
/// tunes the pipeline next starts from figures rather than guesses. A few timestamps per batch; never per article.
/// </summary>
public static class IngestTimings
{
    public enum Phase
    {
        /// <summary>Uploads written to the queue (their rows and bytes), inside the write turn.</summary>
        QueueInserts,
        /// <summary>Reading, parsing, classifying and extracting a batch (on the other cores while one is written).</summary>
        Preparation,
        /// <summary>Earlier copies of the batch's articles, for near-duplicate stories.</summary>
        StoryLookups,
        /// <summary>Article rows with their full-text index entries.</summary>
        Articles,
        /// <summary>Entities, aliases and mention rows.</summary>
        Mentions,
        /// <summary>Daily and monthly counts.</summary>
        Counts,
        /// <summary>Upload statuses, and their bytes dropped.</summary>
        UploadStatuses,
        /// <summary>The batch's commit.</summary>
        Commits,
        /// <summary>A drain's writer with nothing to write: waiting for the first batch, or for the next to be prepared.</summary>
        WriterIdle,
    }

    private static readonly long[] s_ticks = new long[Enum.GetValues<Phase>().Length];

    public static long Start() => Stopwatch.GetTimestamp();

    /// <summary>Adds the time since <paramref name="start"/> (from <see cref="Start"/>) to a phase.</summary>
    public static void Add(Phase phase, long start) => Interlocked.Add(ref s_ticks[(int)phase], Stopwatch.GetTimestamp() - start);

    /// <summary>Each phase's time so far, indexed by <see cref="Phase"/>; subtract two to time a stretch (nothing is ever reset).</summary>
    public static TimeSpan[] Snapshot() => Enumerable.Range(0, s_ticks.Length).Select(i => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref s_ticks[i]))).ToArray();

    /// <summary>One line: each phase's seconds since <paramref name="since"/> (a <see cref="Snapshot"/>).</summary>
    public static string Summary(TimeSpan[] since)
    {
        var now = Snapshot();
        return string.Join(", ", Enum.GetValues<Phase>().Select(p => $"{Name(p)} {(now[(int)p] - since[(int)p]).TotalSeconds:F1} s"));
    }

    private static string Name(Phase phase) => phase switch
    {
        Phase.QueueInserts => "queue inserts",
        Phase.Preparation => "batch preparation",
        Phase.StoryLookups => "story lookups",
        Phase.Articles => "articles and search index",
        Phase.Mentions => "mentions",
        Phase.Counts => "daily counts",
        Phase.UploadStatuses => "upload statuses",
        Phase.Commits => "commits",
        _ => "writer idle",
    };
}
