namespace Dashboard.Web.Model;

/// <summary>
/// A dashboard view kept under a name: its address (filters, dates, search, counting), so a standing question ("Iran's
/// neighbours, last 30 days") is one click away for everyone, and later alerts can watch it.
/// </summary>
public sealed class SavedView
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The dashboard's address as its URL writes it (<c>/?entity=country:IR&amp;from=...</c>).</summary>
    public required string Url { get; set; }

    public DateTime SavedAt { get; set; }

    /// <summary>
    /// The last article stored when someone last opened the view (or saved it): the view's articles stored after it are
    /// new to it, the dashboard's badge beside its link. Ids only grow, so an article dated in a fixed range but stored
    /// later is new, and one that leaves the view (an edit, a moving window) hides nothing.
    /// </summary>
    public long SeenUpTo { get; set; }

    public DateTime SeenAt { get; set; }
}
