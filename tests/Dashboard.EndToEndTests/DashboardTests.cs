using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEndTests;

/// <summary>An upload reaches the dashboard's timeline and charts, and the filters live in the URL.</summary>
[Collection(AppCollection.Name)]
public sealed class DashboardTests(AppFixture app)
{
    private const string SeedFile = "000_c5daea6af1ae3222.txt";
    private const string SeedTitleStart = "The talks, which were held over the phone";

    /// <summary>The issue's acceptance test: the seed article goes in through the Upload page and shows everywhere.</summary>
    [Fact]
    public async Task Uploaded_seed_article_shows_on_the_timeline_in_the_country_chart_and_on_its_own_page()
    {
        var page = await app.NewPageAsync();

        await page.UploadAsync(Path.Combine(AppFixture.SharedFolder(), "seeds", SeedFile));
        await Expect(page.UploadRows(SeedFile)).ToHaveAttributeAsync("data-status", "stored");
        await AppFixture.ScreenshotAsync(page, "upload.png");

        await page.OpenAsync("/");
        var row = page.TimelineRow(SeedTitleStart);
        await Expect(row).ToBeVisibleAsync();
        var countries = await page.DrawnChartAsync("countries");
        foreach (var country in new[] { "Iran", "Algeria", "Israel", "Palestine" })
        {
            await Expect(countries.DataTable()).ToContainTextAsync(country);
            await Expect(countries.Locator("svg")).ToContainTextAsync(country);
        }
        foreach (var chart in new[] { "volume", "actors", "topics" })
        {
            await page.DrawnChartAsync(chart);
        }
        await AppFixture.ScreenshotAsync(page, "dashboard.png");

        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        // Blazor navigates in the page (pushState). WaitForURLAsync also waits for a load state, which hung
        // on a busy machine after such a navigation; the URL assertion polls the address alone.
        await Expect(page).ToHaveURLAsync(new Regex(@"/articles?/\d+"));
        await page.WaitUntilInteractiveAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = SeedTitleStart })).ToBeVisibleAsync();
        await Expect(page.Locator("body")).ToContainTextAsync("Bagheri further referred to the Zionist regime");
        await AppFixture.ScreenshotAsync(page, "article.png");
    }

    [Fact]
    public async Task Clicking_a_country_bar_filters_the_timeline_through_the_url()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        const string day = "2019-03-14";
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(
            app.WriteArticle(day, $"Filter check {tag} Paris: the foreign ministers of France and Germany met in Paris. They agreed on a joint statement."),
            app.WriteArticle(day, $"Filter check {tag} Berlin: the trade ministers of Germany and Japan met in Berlin. They signed a trade accord."));
        await page.OpenAsync($"/?from={day}&to={day}");
        var paris = page.TimelineRow($"Filter check {tag} Paris");
        var berlin = page.TimelineRow($"Filter check {tag} Berlin");
        await Expect(paris).ToBeVisibleAsync();
        await Expect(berlin).ToBeVisibleAsync();

        // Click only once the page shows this view's numbers: a click on bars about to be replaced is lost.
        await page.WaitForViewAsync($"/?from={day}&to={day}");
        await page.ClickBarAsync("countries", "France");

        await Expect(page).ToHaveURLAsync(new Regex("entity=country(:|%3A)FR"));
        await Expect(paris).ToBeVisibleAsync();
        await Expect(berlin).ToHaveCountAsync(0);
        await page.WaitForViewAsync($"/?from={day}&to={day}&entity=country:FR");

        // A chip on a timeline row narrows the same way, on top of the filter already in the URL.
        await paris.Locator("[data-entity='country:DE']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("entity=country(:|%3A)FR&entity=country(:|%3A)DE"));
        await Expect(page.Locator("[data-active-filters] [data-filter='country:DE']")).ToBeVisibleAsync();
        await Expect(paris).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_shared_filter_url_opens_with_its_articles_and_filter_chip()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var setup = await app.NewPageAsync();
        await setup.UploadStoredAsync(
            app.WriteArticle("2024-06-01", $"Deep link check {tag} on the day: the foreign minister of Iran spoke in Tehran. He spoke about trade."),
            app.WriteArticle("2024-06-02", $"Deep link check {tag} a day later: the president of Iran spoke in Tehran. He spoke about oil."));

        var page = await app.NewPageAsync();
        await page.OpenAsync("/?from=2024-06-01&to=2024-06-01&entity=country:IR");

        await Expect(page.TimelineRow($"Deep link check {tag} on the day")).ToBeVisibleAsync();
        await Expect(page.TimelineRow($"Deep link check {tag} a day later")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-active-filters] [data-filter='country:IR']")).ToContainTextAsync("Iran");
        await AppFixture.ScreenshotAsync(page, "shared-filter.png");
    }
}
