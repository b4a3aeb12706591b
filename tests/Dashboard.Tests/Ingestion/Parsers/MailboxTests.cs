using System.Text;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Ingestion.Parsers;

/// <summary>
/// Newsletter archives exported from a mail program (Thunderbird, Apple Mail, Google Takeout) as one mbox file:
/// one article per message, read as each e-mail is.
/// </summary>
public sealed class MailboxTests : IAsyncLifetime
{
    private readonly TestStore _store = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private static string Message(int i, string body, string contentType = "text/plain; charset=utf-8") =>
        $"From briefing@wire.example Sat Jun {1 + i % 28:D2} 07:00:00 2024\n" +
        $"From: \"Morning Briefing\" <briefing@wire.example>\nTo: analyst@example.org\nSubject: Briefing {i}: Chile and Peru\n" +
        $"Date: Sat, {1 + i % 28:D2} Jun 2024 07:00:00 +0000\nMIME-Version: 1.0\nContent-Type: {contentType}\n\n{body}\n\n";

    private static string Story(int i) =>
        $"Briefing number {i}. The foreign ministers of Chile and Peru met in Lima on fisheries.\n" +
        // A line opening with "From " inside a message is escaped as ">From " by the mail program.
        ">From the capital, officials said talks would go on.\n" +
        string.Join(" ", Enumerable.Range(0, 120).Select(w => $"word{(i * 31 + w) % 9973}"));

    [Fact]
    public void A_mailbox_gives_one_article_per_message_and_names_a_message_without_text()
    {
        var mbox = Message(0, Story(0))
            + Message(1, "<html><body><p>Kenya hosted talks on <b>Sudan</b> in Nairobi.</p></body></html>", "text/html; charset=utf-8")
            + Message(2, "--b\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--b--", "multipart/mixed; boundary=\"b\"");

        var result = ArticleParser.Read("briefings.mbox", Encoding.UTF8.GetBytes(mbox));

        Assert.Equal(2, result.Articles.Count);
        Assert.Equal("Briefing 0: Chile and Peru", result.Articles[0].Title);
        Assert.StartsWith("Briefing number 0.", result.Articles[0].Text);
        Assert.Contains(" From the capital", result.Articles[0].Text);
        Assert.DoesNotContain(">From", result.Articles[0].Text);
        Assert.Equal("Morning Briefing", result.Articles[0].Author);
        Assert.Equal(new DateOnly(2024, 6, 1), result.Articles[0].Date);
        Assert.Equal("Kenya hosted talks on Sudan in Nairobi.", result.Articles[1].Text);
        Assert.Equal("briefings.mbox: message 3 (\"Briefing 2: Chile and Peru\") has no text body", Assert.Single(result.Skipped));
    }

    [Fact]
    public void A_story_that_opens_with_from_stays_plain_text()
    {
        var story = "From Tehran to Algiers, the ministers spoke by phone on Friday in 2024\nSubject: the war in Gaza and Rafah.\n\nThe talks focused on aid.";

        var article = Assert.Single(ArticleParser.Parse("story.txt", Encoding.UTF8.GetBytes(story)));

        Assert.StartsWith("From Tehran to Algiers", article.Text);
    }

    [Fact]
    public async Task A_large_mailbox_is_stored_message_by_message_and_resumes_at_a_message()
    {
        var mbox = new StringBuilder();
        for (var i = 0; i < 1200; i++)
        {
            mbox.Append(Message(i, Story(i)));
        }
        var bytes = Encoding.UTF8.GetBytes(mbox.ToString());
        Assert.True(bytes.Length > 1 << 20);
        var path = Path.Combine(Path.GetTempPath(), $"mailbox-{Guid.NewGuid():N}.mbox");
        await File.WriteAllBytesAsync(path, bytes);
        try
        {
            var resumed = SpooledArticles.Read("takeout.mbox", path, fromEntry: 0, fromItem: 1000).ToList();
            Assert.Equal(200, resumed.Count);
            Assert.Equal((1000, "Briefing 1000: Chile and Peru"), (resumed[0].Index, resumed[0].Article!.Title));
        }
        finally
        {
            File.Delete(path);
        }

        var services = await _store.StartAsync();
        var upload = await services.GetRequiredService<IngestQueue>().EnqueueStreamAsync("takeout.mbox", new MemoryStream(bytes), null, 1L << 32);
        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        var done = (await services.GetRequiredService<IngestQueue>().FindAsync(upload.Id))!;
        Assert.Equal(UploadStatus.Stored, done.Status);
        Assert.StartsWith("1200 articles stored", done.Reason);
    }
}
