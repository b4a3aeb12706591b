using Bunit;
using Dashboard.Tests.Feeds;
using Dashboard.Web.Components.Pages;
using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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
    public async Task Who_said_what_lists_each_speakers_words_with_a_link_to_the_speakers_page()
    {
        var id = await AddArticleAsync("Ebrahim Raisi warned that Israel would pay for the attack on the consulate", new DateOnly(2024, 6, 1), "IRNA",
            (EntityKind.Person, "ebrahim-raisi", "Ebrahim Raisi", 1), (EntityKind.Country, "IL", "Israel", 1));
        var silent = await AddArticleAsync("Iran and Algeria discuss Gaza", new DateOnly(2024, 6, 1), "Press TV", (EntityKind.Country, "IR", "Iran", 1));

        var cut = Render<ArticlePage>(p => p.Add(x => x.Id, id));
        var other = Render<ArticlePage>(p => p.Add(x => x.Id, silent));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-article-statement]")));
        var statement = cut.Find("[data-article-statement='person:ebrahim-raisi']");
        Assert.Equal("Ebrahim Raisi warned Israel would pay for the attack on the consulate", System.Text.RegularExpressions.Regex.Replace(statement.TextContent.Trim(), @"\s+", " "));
        Assert.Equal("/entities/person/ebrahim-raisi", statement.QuerySelector("a")!.GetAttribute("href"));
        other.WaitForAssertion(() => Assert.Contains("Iran and Algeria discuss Gaza", other.Find("h5").TextContent));
        Assert.Empty(other.FindAll("[data-article-statements]"));
    }

    [Fact]
    public async Task A_copy_of_a_story_lists_the_other_copies_with_the_first_marked_and_a_lone_article_has_no_such_list()
    {
        var original = await AddArticleAsync("Talks in Paris", new DateOnly(2024, 6, 1), "Wire", (EntityKind.Country, "FR", "France", 1));
        var copy = await AddArticleAsync("UPDATE: Talks in Paris", new DateOnly(2024, 6, 2), "Daily", (EntityKind.Country, "FR", "France", 1));
        var lone = await AddArticleAsync("Elections in Peru", new DateOnly(2024, 6, 2), "Daily", (EntityKind.Country, "PE", "Peru", 1));
        await using (var db = await Services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync())
        {
            (await db.Articles.FindAsync(copy))!.StoryId = original;
            await db.SaveChangesAsync();
        }

        var cut = Render<ArticlePage>(p => p.Add(x => x.Id, copy));

        cut.WaitForAssertion(() => Assert.Equal("1", cut.Find("[data-story]").GetAttribute("data-story")));
        var row = cut.Find($"[data-story-copy='{original}']");
        Assert.Contains("Talks in Paris", row.TextContent);
        Assert.Contains("Wire", row.TextContent);
        Assert.Contains("first copy", row.TextContent);
        Assert.Equal($"/articles/{original}", row.QuerySelector("a")!.GetAttribute("href"));

        var first = Render<ArticlePage>(p => p.Add(x => x.Id, original));
        first.WaitForAssertion(() => Assert.Contains("UPDATE: Talks in Paris", first.Find($"[data-story-copy='{copy}']").TextContent));
        Assert.DoesNotContain("first copy", first.Find("[data-story]").TextContent);

        var alone = Render<ArticlePage>(p => p.Add(x => x.Id, lone));
        alone.WaitForAssertion(() => Assert.Contains("Elections in Peru", alone.Find("h5").TextContent));
        Assert.Empty(alone.FindAll("[data-story]"));
    }

    [Fact]
    public async Task The_byline_leads_to_the_dashboard_of_the_articles_it_signs()
    {
        var id = await AddArticleAsync("Iran and Algeria discuss Gaza", new DateOnly(2024, 6, 1), "Press TV", (EntityKind.Country, "IR", "Iran", 1));
        await SetAuthorAsync(id, "Sara Karimi");

        var cut = Render<ArticlePage>(p => p.Add(x => x.Id, id));

        cut.WaitForAssertion(() => Assert.Equal("/?author=Sara%20Karimi", cut.Find("[data-field=author] a").GetAttribute("href")));
        Assert.Contains("by Sara Karimi", cut.Find("[data-field=author]").TextContent);
    }

    [Fact]
    public async Task A_short_article_with_an_address_offers_its_pages_text_and_shows_it_with_its_new_mentions_once_fetched()
    {
        await using var server = await LocalWebServer.StartAsync(context => LocalWebServer.SendAsync(context, TestPages.ChileAndPeru(), "text/html"));
        long id;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync())
        {
            const string summary = "Chile signed a trade deal on Monday.";
            var article = new Article
            {
                Title = "Chile signs a trade deal", Text = summary, PublishedDate = new DateOnly(2026, 3, 2), Source = "Andes Wire",
                Url = server.Url("news/chile-peru"), ContentHash = ArticleIngestor.ContentHash(summary), IngestedAt = DateTime.UtcNow,
            };
            db.Articles.Add(article);
            await db.SaveChangesAsync();
            id = article.Id;
        }
        var withoutAddress = await AddArticleAsync("Iran and Algeria discuss Gaza", new DateOnly(2024, 6, 1), null, (EntityKind.Country, "IR", "Iran", 1));

        var cut = Render<ArticlePage>(p => p.Add(x => x.Id, id));

        cut.WaitForAssertion(() => Assert.Contains("Only 36 characters are stored", cut.Find("[data-short-text]").TextContent));
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-action=fetch-full-text]").HasAttribute("disabled")));
        cut.Find("[data-action=fetch-full-text]").Click();

        cut.WaitForAssertion(() => Assert.Contains("36 to", cut.Find("[data-full-text-result=updated]").TextContent));
        Assert.StartsWith("Chile and Peru signed a trade deal in Lima", cut.Find("[data-field=text]").TextContent);
        Assert.Equal("Peru", cut.Find("[data-field=text] a[data-mention='country:PE']").TextContent);
        Assert.Empty(cut.FindAll("[data-short-text]"));

        // Fetched again, the page says nothing more.
        cut.Find("[data-action=fetch-full-text]").Click();
        cut.WaitForAssertion(() => Assert.Contains("no longer than the stored one", cut.Find("[data-full-text-result=unchanged]").TextContent));

        // An article with no web address has nothing to fetch.
        var other = Render<ArticlePage>(p => p.Add(x => x.Id, withoutAddress));
        other.WaitForAssertion(() => Assert.Contains("Iran and Algeria discuss Gaza", other.Find("h5").TextContent));
        Assert.Empty(other.FindAll("[data-action=fetch-full-text]"));
    }

    [Fact]
    public void An_unknown_article_gets_a_friendly_message()
    {
        var cut = Render<ArticlePage>(p => p.Add(x => x.Id, 424242));

        cut.WaitForAssertion(() => Assert.Contains("There is no article number 424242", cut.Find("[data-empty=article-not-found]").TextContent));
    }
}
