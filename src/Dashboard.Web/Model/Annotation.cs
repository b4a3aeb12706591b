namespace Dashboard.Web.Model;

/// <summary>
/// An event marked on the timeline ("Rafah offensive begins", "ceasefire agreed"), as Kibana's annotations mark a
/// deploy: the reader of a volume chart sees why coverage jumped on that day. Shared by everyone using the dashboard.
/// </summary>
public sealed class Annotation
{
    public long Id { get; set; }

    /// <summary>The day the event happened, on the articles' calendar (their publication dates).</summary>
    public DateOnly Day { get; set; }

    public required string Label { get; set; }

    public DateTime CreatedAt { get; set; }
}
