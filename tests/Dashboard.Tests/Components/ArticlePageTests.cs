using Bunit;
using Dashboard.Web.Components.Pages;
using Dashboard.Web.Model;

namespace Dashboard.Tests.Components;

/// <summary>The article page shows the text with its mentions highlighted and lists them by kind.</summary>
public sealed class ArticlePageTests : DashboardTestContext
{
    [Fact]
    public async Task Lists_mentions_by_kind_with_counts_and_highlights_them_in_the_text()
    {
        var id = await AddArticleAsync("Iran and Algeria discuss Gaza", new DateOnly(2024, 6, 1), "Press TV",
            (EntityKind.Country, "IR", "Iran", 3), (EntityKind.Country, "DZ", "Algeria", 2),
            (EntityKind.Person, "ebrahim-raisi", "Ebrahim Raisi", 1), (EntityKind.Topic, "diplomacy", "Diplomacy", 1));

        var cut = Render<ArticlePage>(p => p.Add(x => x.Id, id));

        cut.WaitForAssertion(() => Assert.Contains("Iran and Algeria discuss Gaza", cut.Find("h5").TextContent));
        var countries = cut.Find("[data-mention-kind=country]");
        Assert.Contains("Countries (2)", countries.TextContent);
        Assert.Contains("Iran", countries.TextContent);
        Assert.Equal("3×", countries.QuerySelector("[data-entity='country:IR'] [data-count]")?.TextContent);
        Assert.Contains("Ebrahim Raisi", cut.Find("[data-mention-kind=person]").TextContent);
        Assert.Contains("80", cut.Find("[data-mention-kind=topic]").TextContent);
        Assert.Contains("Press TV", cut.Find("[data-field=source]").TextContent);

        var highlighted = cut.Find("[data-field=text] a[data-mention='country:IR']");
        Assert.Equal("Iran", highlighted.TextContent);
        Assert.Contains("mention-country", highlighted.ClassList);
        Assert.Equal("/?entity=country:IR", highlighted.GetAttribute("href"));
        Assert.Equal("Ebrahim Raisi", cut.Find("[data-field=text] a[data-mention='person:ebrahim-raisi']").TextContent);
        // The text around the mentions is kept whole.
        Assert.Contains("were mentioned.", cut.Find("[data-field=text]").TextContent);
    }

    [Fact]
    public void An_unknown_article_gets_a_friendly_message()
    {
        var cut = Render<ArticlePage>(p => p.Add(x => x.Id, 424242));

        cut.WaitForAssertion(() => Assert.Contains("There is no article number 424242", cut.Find("[data-empty=article-not-found]").TextContent));
    }
}
