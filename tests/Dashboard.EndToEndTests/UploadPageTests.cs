using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEndTests;

/// <summary>The Upload page reports what became of each file: stored, duplicate or failed with a reason, and tries failed ones again.</summary>
[Collection(AppCollection.Name)]
public sealed class UploadPageTests(AppFixture app)
{
    [Fact]
    public async Task Uploading_the_same_file_again_shows_duplicate()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var path = app.WriteArticle("2023-02-10", $"Duplicate check {tag}: ministers of Kenya and Uganda met in Nairobi. They talked about trade.");
        var name = Path.GetFileName(path);
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(path);

        // Reopened, as a reader coming back later would: the browser fires no change event when the same
        // file is picked again in the same input.
        await page.UploadAsync(path);

        await Expect(page.UploadRows(name)).ToHaveAttributeAsync("data-status", "duplicate");
        await Expect(page.UploadRows(name)).ToContainTextAsync("duplicate of article");
        // The first upload, from the earlier visit, is among the recent uploads, stored, with its article.
        var earlier = page.Locator("[data-recent-upload]", new() { HasText = name });
        await Expect(earlier).ToHaveAttributeAsync("data-status", "stored");
        await Expect(earlier.Locator("a[data-article-link]")).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "upload-recent.png");
    }

    [Fact]
    public async Task A_binary_file_fails_with_a_reason_naming_the_file()
    {
        var name = $"junk-{Guid.NewGuid():N}.bin";
        var junk = new byte[4096];
        new Random(7).NextBytes(junk);
        junk[10] = 0;
        var page = await app.NewPageAsync();

        await page.UploadAsync(app.WriteFile(name, junk));

        var row = page.UploadRows(name);
        await Expect(row).ToHaveAttributeAsync("data-status", "failed");
        // The reason comes from the parser, which starts every message with the file name.
        await Expect(row).ToContainTextAsync($"{name}: this is a binary file");

        // Coming back later, the failed upload is listed, and one click tries every failed upload again.
        await page.OpenAsync("upload");
        var listed = page.Locator("[data-failed-upload]", new() { HasText = name });
        await Expect(listed).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "upload-failed.png");
        await page.Locator("[data-action=retry-all]").ClickAsync();

        await Expect(page.Locator("[data-retry-message]")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ failed uploads? queued again"));
        // Still junk, so it went through the queue and failed again, in this visit's rows.
        await Expect(page.UploadRows(name)).ToHaveAttributeAsync("data-status", "failed");
        await Expect(page.UploadRows(name)).ToContainTextAsync($"{name}: this is a binary file");
    }
}
