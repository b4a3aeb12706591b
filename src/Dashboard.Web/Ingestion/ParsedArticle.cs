namespace Dashboard.Web.Ingestion;

/// <summary>An article as a parser read it from a file, before extraction and storage.</summary>
/// <param name="Date">The UTC day of publication. Null when the file gave no date; the store then falls back to the upload's day and says so.</param>
public sealed record ParsedArticle(string Title, string Text, DateOnly? Date, string? Url = null, string? Source = null, string? Author = null)
{
    /// <summary>The publication instant with the offset the file gave, when it gave a time; <see cref="Date"/> is its UTC day.</summary>
    public DateTimeOffset? PublishedAt { get; init; }

    /// <summary>True when <see cref="Date"/> is not the article's own but borrowed (a feed item dated by its feed).</summary>
    public bool DateIsFallback { get; init; }

    /// <summary>Categories or tags the file gave the article (feed categories, JSON tags); empty when none.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Where the article came from when that is not the uploaded file itself: "archive.zip!folder/a.txt".</summary>
    public string? FileName { get; init; }
}

/// <summary>A file that cannot be read as an article. The message names the file and the problem.</summary>
public sealed class ArticleParseException(string message) : Exception(message);
