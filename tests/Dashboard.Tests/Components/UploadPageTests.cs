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
}
