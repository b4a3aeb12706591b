using Bunit;
using Dashboard.Web.Components.Pages;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Components;

/// <summary>Each uploaded file gets a row that follows it through the queue to its final status.</summary>
public sealed class UploadPageTests : DashboardTestContext
{
    [Fact]
    public async Task A_file_is_queued_then_shows_the_status_the_ingestion_service_reports()
    {
        var cut = Render<UploadPage>();

        cut.FindComponent<InputFile>().UploadFiles(
            InputFileContent.CreateFromText("Tehran, 1 June 2024. Iran and Algeria discussed Gaza.", "first.txt"),
            InputFileContent.CreateFromText("Not an article at all", "second.txt"));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("queued", cut.Find("[data-upload-file='first.txt']").GetAttribute("data-status"));
            Assert.Equal("queued", cut.Find("[data-upload-file='second.txt']").GetAttribute("data-status"));
        });
        var first = long.Parse(cut.Find("[data-upload-file='first.txt']").GetAttribute("data-upload-id")!);
        var second = long.Parse(cut.Find("[data-upload-file='second.txt']").GetAttribute("data-upload-id")!);
        var queued = await Services.GetRequiredService<IngestQueue>().FindAsync(first);
        Assert.Equal(UploadStatus.Queued, queued?.Status);

        var notifier = Services.GetRequiredService<ArticleNotifier>();
        notifier.Publish(new UploadProcessed(first, UploadStatus.Stored, null, 17));
        notifier.Publish(new UploadProcessed(second, UploadStatus.Failed, "second.txt: no article found", null));

        cut.WaitForAssertion(() =>
        {
            var stored = cut.Find("[data-upload-file='first.txt']");
            Assert.Equal("stored", stored.GetAttribute("data-status"));
            Assert.Equal("/articles/17", stored.QuerySelector("a[data-article-link]")?.GetAttribute("href"));
            var failed = cut.Find("[data-upload-file='second.txt']");
            Assert.Equal("failed", failed.GetAttribute("data-status"));
            Assert.Contains("second.txt: no article found", failed.TextContent);
        });
    }

    [Fact]
    public void A_file_over_the_configured_limit_fails_without_being_queued()
    {
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Dashboard:MaxUploadBytes"] = "10" })
            .Build());
        var cut = Render<UploadPage>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("This text is longer than ten bytes.", "big.txt"));

        cut.WaitForAssertion(() =>
        {
            var row = cut.Find("[data-upload-file='big.txt']");
            Assert.Equal("failed", row.GetAttribute("data-status"));
            Assert.Contains("over the upload limit", row.TextContent);
        });
    }

    [Fact]
    public async Task A_failed_upload_is_listed_and_can_be_tried_again()
    {
        var queue = Services.GetRequiredService<IngestQueue>();
        var upload = await queue.EnqueueAsync("broken.txt", "date 2024-02-30 Text."u8.ToArray());
        await using (var db = await Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Dashboard.Web.Data.DashboardDb>>().CreateDbContextAsync())
        {
            var row = await db.Uploads.FindAsync(upload.Id);
            row!.Status = UploadStatus.Failed;
            row.Reason = "broken.txt: the date header '2024-02-30' is not a real date";
            await db.SaveChangesAsync();
        }

        var cut = Render<UploadPage>();
        cut.WaitForAssertion(() => Assert.Contains("is not a real date", cut.Find($"[data-failed-upload='{upload.Id}']").TextContent));
        cut.Find($"[data-failed-upload='{upload.Id}'] [data-action=retry]").Click();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("queued", cut.Find($"[data-upload-id='{upload.Id}']").GetAttribute("data-status"));
            Assert.Empty(cut.FindAll($"[data-failed-upload='{upload.Id}']"));
        });
        Assert.Equal(UploadStatus.Queued, (await queue.FindAsync(upload.Id))!.Status);
    }

    [Fact]
    public void Choosing_files_again_gets_a_fresh_file_input()
    {
        var cut = Render<UploadPage>();
        var before = cut.FindComponent<InputFile>().Instance;

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("Iran and Algeria discussed Gaza.", "again.txt"));

        cut.WaitForAssertion(() => Assert.NotSame(before, cut.FindComponent<InputFile>().Instance));
    }
}
