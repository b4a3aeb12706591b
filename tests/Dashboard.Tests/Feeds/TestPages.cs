using System.Text;

namespace Dashboard.Tests.Feeds;

/// <summary>Article pages served by <see cref="LocalWebServer"/> to the tests of links sent in: short, but read as a page.</summary>
public static class TestPages
{
    /// <summary>A story page: a title and two paragraphs inside &lt;article&gt;.</summary>
    public static byte[] Story(string title, string firstParagraph, string secondParagraph) => Encoding.UTF8.GetBytes(
        $"<html><head><title>{title}</title></head><body><article><p>{firstParagraph}</p><p>{secondParagraph}</p></article></body></html>");

    /// <summary>"Chile and Peru sign a trade deal", in <paramref name="place"/> (Lima unless another place makes it another story).</summary>
    public static byte[] ChileAndPeru(string place = "Lima") => Story(
        "Chile and Peru sign a trade deal",
        $"Chile and Peru signed a trade deal in {place} on Monday, ending two years of talks over fisheries and copper.",
        "The foreign ministers of both countries said the agreement would take effect in January.");

    /// <summary>"Ghana and Togo open a border post", at <paramref name="place"/>.</summary>
    public static byte[] GhanaAndTogo(string place = "Aflao") => Story(
        "Ghana and Togo open a border post",
        $"Ghana and Togo opened a joint border post at {place} on Tuesday to speed up trade along the coastal corridor.",
        "Customs officers of both countries will work side by side, the two trade ministries said.");
}
