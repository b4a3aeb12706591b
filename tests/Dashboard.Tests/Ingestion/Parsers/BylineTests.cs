using Dashboard.Web.Ingestion.Parsers;

namespace Dashboard.Tests.Ingestion.Parsers;

/// <summary>The author's name out of a page's byline, as users filter and count by it.</summary>
public sealed class BylineTests
{
    [Theory]
    [InlineData("By Lucy Akins", "Lucy Akins")]
    [InlineData("  by: Jane Doe ", "Jane Doe")]
    [InlineData("Par Sébastien Farcis", "Sébastien Farcis")]
    [InlineData("Laura June Topolsky July 10, 2015", "Laura June Topolsky")]
    [InlineData("by Lucas Nolan22 Dec 2016651", "Lucas Nolan")]
    [InlineData("By Alissa Wilkinson@alissamarie\nUpdated Dec 4", "Alissa Wilkinson")]
    [InlineData("By Daniel Kahn Gillmor, Senior Staff Technologist, ACLU Speech, Privacy, and Technology Project", "Daniel Kahn Gillmor")]
    [InlineData("Alexandre Hervaud, Jérémy Piette", "Alexandre Hervaud, Jérémy Piette")]
    [InlineData("Par Alexandre Hervaud et Jérémy Piette", "Alexandre Hervaud, Jérémy Piette")]
    [InlineData("By Jane Doe and John Roe", "Jane Doe, John Roe")]
    [InlineData("Jong, Michiel de", "Jong, Michiel de")]
    [InlineData("Byron Smith", "Byron Smith")]
    [InlineData("Di Stefano Marco", "Di Stefano Marco")]
    [InlineData("史蒂文的家_藍天 發表在 痞客邦 PIXNET 留言(42) 人氣(23925)", "史蒂文的家_藍天")]
    [InlineData("Sara Karimi posted in World News", "Sara Karimi")]
    public void A_byline_gives_the_authors_name(string byline, string name)
    {
        Assert.Equal(name, Byline.Clean(byline));
    }

    [Theory]
    [InlineData("作者：")]
    [InlineData("on Deadspin")]
    [InlineData("Posted in World News")]
    [InlineData("21.dez.2018 às 10h55")]
    [InlineData("Last Updated: January 7, 2025")]
    [InlineData("   ")]
    [InlineData(null)]
    public void A_byline_without_a_name_gives_none(string? byline)
    {
        Assert.Null(Byline.Clean(byline));
    }
}
