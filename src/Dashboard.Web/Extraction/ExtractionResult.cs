using Dashboard.Web.Model;

namespace Dashboard.Web.Extraction;

/// <summary>One occurrence of a country or actor found in an article.</summary>
/// <param name="Field">"text" or "title": which string <paramref name="Start"/>/<paramref name="End"/> index (UTF-16, end exclusive).</param>
/// <param name="Via">How it was recognised: name, demonym, capital, city, alias, title, lexicon, acronym, ...</param>
public sealed record ExtractedMention(EntityKind Kind, string Key, string Name, int Start, int End, string Via, string Field = "text");

/// <summary>A topic assigned to an article with a score in [0, 1].</summary>
public sealed record ExtractedTopic(string Key, string Name, double Score);

/// <summary>Everything extraction finds in one article.</summary>
/// <param name="Focus">ISO codes of the few countries the article is about, most central first.</param>
public sealed record ExtractionResult(
    IReadOnlyList<ExtractedMention> Mentions,
    IReadOnlyList<string> Focus,
    IReadOnlyList<ExtractedTopic> Topics);
