namespace Dashboard.Web.Extraction;

/// <summary>Finds countries, actors and topics in an article. Thread-safe; built once and shared.</summary>
public sealed class ArticleExtractor
{
    public ExtractionResult Extract(string? title, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ExtractionResult([], [], []);
    }
}
