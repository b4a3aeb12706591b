namespace Dashboard.Web.Ingestion;

/// <summary>An article as a parser read it from a file, before extraction and storage.</summary>
/// <param name="Date">Null when the file gave no date; the store then falls back to the upload's day and says so.</param>
public sealed record ParsedArticle(string Title, string Text, DateOnly? Date, string? Url = null, string? Source = null, string? Author = null);

/// <summary>A file that cannot be read as an article. The message names the file and the problem.</summary>
public sealed class ArticleParseException(string message) : Exception(message);
