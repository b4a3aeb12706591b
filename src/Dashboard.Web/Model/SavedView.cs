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
    /// How many articles the view showed when someone last opened it (or saved it): the articles past that are new to
    /// it, the dashboard's badge beside its link (articles are only added, so the difference is what arrived).
    /// </summary>
    public int SeenArticles { get; set; }

    public DateTime SeenAt { get; set; }
}
