using Dashboard.Web.Ingestion;

namespace Dashboard.Tests.Ingestion;

/// <summary>How what a file or a feed said of a story is laid under the page fetched from its link.</summary>
public sealed class LinkHintsTests
{
    private static readonly ParsedArticle Page = new("Page headline | Site", new string('x', 2000), new DateOnly(2026, 3, 5), "https://example.org/amp/story", "Site", "Page Author")
    {
        PublishedAt = new DateTimeOffset(2026, 3, 5, 8, 0, 0, TimeSpan.Zero),
        Categories = ["page-tag"],
    };

    private static ParsedArticle Item(DateOnly? date, bool fallback = false, string text = "A teaser.") =>
        new("Item headline", text, date, "https://example.org/story?utm_source=rss", null, null) { DateIsFallback = fallback };

    [Fact]
    public void A_feed_items_title_date_link_and_outlet_win_over_its_page_and_the_page_gives_the_text()
    {
        var article = LinkHints.FeedItem(Item(new DateOnly(2026, 3, 2)), "Wire").Under(Page);

        Assert.Equal(("Item headline", new DateOnly(2026, 3, 2), false), (article.Title, article.Date, article.DateIsFallback));
        Assert.Equal(("https://example.org/story?utm_source=rss", "Wire", "Page Author"), (article.Url, article.Source, article.Author));
        Assert.Equal(Page.Text, article.Text);
        Assert.Equal(["page-tag"], article.Categories);
    }

    [Fact]
    public void A_date_the_item_only_borrowed_from_its_feed_gives_way_to_the_pages_own()
    {
        var article = LinkHints.FeedItem(Item(new DateOnly(2026, 3, 9), fallback: true), "Wire").Under(Page);

        Assert.Equal((new DateOnly(2026, 3, 5), Page.PublishedAt, false), (article.Date, article.PublishedAt, article.DateIsFallback));
    }

    [Fact]
    public void A_page_that_says_less_than_the_summary_keeps_the_summary_and_an_item_without_text_has_none_to_fall_back_on()
    {
        var summary = new string('s', 3000);
        Assert.Equal(summary, LinkHints.FeedItem(Item(null, text: summary), null).Under(Page).Text);

        var survives = LinkHints.Read(LinkHints.FeedItem(Item(new DateOnly(2026, 3, 2)), "Wire").ToJson())!.SummaryArticle()!;
        Assert.Equal(("Item headline", "A teaser.", new DateOnly(2026, 3, 2), "Wire"), (survives.Title, survives.Text, survives.Date, survives.Source));
        Assert.Null(LinkHints.FeedItem(Item(null, text: ""), null).SummaryArticle());
    }

    [Fact]
    public void An_exports_hints_only_fill_what_the_page_lacks()
    {
        var hints = LinkHints.From(new ParsedArticle("Export title", "", new DateOnly(2026, 3, 1), "https://example.org/story", "Export outlet"))!;

        var article = hints.Under(Page);

        Assert.False(hints.IsFeedItem);
        Assert.Equal(("Page headline | Site", new DateOnly(2026, 3, 5), "Site"), (article.Title, article.Date, article.Source));
        Assert.Equal(new DateOnly(2026, 3, 1), hints.Under(Page with { Date = null, PublishedAt = null }).Date);
    }
}
