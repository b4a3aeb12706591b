using System.Net.Http.Headers;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEndTests;

/// <summary>An article stored while the dashboard is open is announced without a reload and shown on request.</summary>
[Collection(AppCollection.Name)]
public sealed class LiveUpdateTests(AppFixture app)
{
    [Fact]
    public async Task An_article_arriving_through_the_api_is_announced_then_shown_without_a_reload()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        const string day = "2017-11-20";
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(app.WriteArticle(day, $"Live check {tag} first: the prime ministers of Norway and Sweden met in Oslo."));
        await page.OpenAsync($"/?from={day}&to={day}");
        await Expect(page.TimelineRow($"Live check {tag} first")).ToBeVisibleAsync();
        // A marker that survives only as long as the page is not reloaded.
        await page.EvaluateAsync("() => window.__liveCheck = true");

        using var client = app.CreateHttpClient();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(
            $"date {day} Live check {tag} second: the foreign ministers of Norway and Finland met in Helsinki."));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(file, "files", $"live-{tag}.txt");
        (await client.PostAsync("/api/uploads", form)).EnsureSuccessStatusCode();

        // Announced, not pushed into the list the reader is looking at.
        var notice = page.Locator("[data-new-articles]");
        await Expect(notice).ToBeVisibleAsync();
        await Expect(page.TimelineRow($"Live check {tag} second")).ToHaveCountAsync(0);

        await notice.Locator("[data-action=show-new]").ClickAsync();
        await Expect(page.TimelineRow($"Live check {tag} second")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => window.__liveCheck === true"), "the page was reloaded");
    }
}
