using System.Text;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Ingestion.Parsers;

/// <summary>
/// Web pages saved from a browser, as HTML or as one MHTML file: read as the page (main text, not the menus),
/// at the address the page names as its own, so the same story saved twice is stored once.
/// </summary>
public sealed class SavedPageTests : IAsyncLifetime
{
    private readonly TestStore _store = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private const string Story =
        "<p>Iran's foreign minister met his Algerian counterpart in Tehran on Saturday to discuss the war in Gaza and the attack on Rafah.</p>" +
        "<p>The two ministers called on the Organisation of Islamic Cooperation to act, and agreed that aid must reach civilians without delay.</p>" +
        "<p>Algeria holds a seat on the UN Security Council this year and has drafted several resolutions on the war.</p>";

    private static string Page(string head, string published = "<meta property=\"article:published_time\" content=\"2024-06-01T09:30:00+03:30\">") =>
        $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Iran and Algeria discuss Gaza | Tehran Wire</title>{head}{published}" +
        "<meta property=\"og:site_name\" content=\"Tehran Wire\"></head><body>" +
        "<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/sport\">Sport</a> Subscribe to our newsletter</nav>" +
        $"<article><h1>Iran and Algeria discuss Gaza</h1><p class=\"byline\">By Sara Karimi</p>{Story}</article>" +
        "<footer>Copyright Tehran Wire. All rights reserved. Cookie settings.</footer></body></html>";

    /// <summary>An MHTML file the way Chrome writes one: quoted-printable HTML, the page's pictures beside it.</summary>
    private static byte[] Mhtml(string html, string from = "<Saved by Blink>", string extraHeaders = "Snapshot-Content-Location: https://tehranwire.example/world/iran-algeria-gaza\r\n")
    {
        var qp = string.Join("=\r\n", html.Replace("=", "=3D").Chunk(70).Select(c => new string(c)));
        return Encoding.UTF8.GetBytes(
            $"From: {from}\r\n{extraHeaders}Subject: Iran and Algeria discuss Gaza | Tehran Wire\r\nDate: Mon, 3 Jun 2024 18:04:11 +0200\r\nMIME-Version: 1.0\r\n" +
            "Content-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----MultipartBoundary--x1----\"\r\n\r\n\r\n" +
            "------MultipartBoundary--x1----\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\nContent-Transfer-Encoding: quoted-printable\r\n" +
            "Content-Location: https://tehranwire.example/world/iran-algeria-gaza?utm_source=share\r\n\r\n" + qp + "\r\n" +
            "------MultipartBoundary--x1----\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-Location: https://tehranwire.example/logo.png\r\n\r\niVBORw0KGgo=\r\n" +
            "------MultipartBoundary--x1------\r\n");
    }

    [Fact]
    public void A_page_saved_as_mhtml_is_read_as_the_page_at_the_address_it_was_saved_from()
    {
        var article = Assert.Single(ArticleParser.Parse("Iran and Algeria discuss Gaza.mhtml", Mhtml(Page(""))));

        Assert.Equal("Iran and Algeria discuss Gaza", article.Title);
        Assert.StartsWith("Iran's foreign minister met his Algerian counterpart", article.Text);
        Assert.Contains("UN Security Council", article.Text);
        Assert.DoesNotContain("Subscribe to our newsletter", article.Text);
        Assert.DoesNotContain("Cookie settings", article.Text);
        Assert.Equal("https://tehranwire.example/world/iran-algeria-gaza", article.Url);
        Assert.Equal("Tehran Wire", article.Source);
        Assert.Equal("Sara Karimi", article.Author);
        // The page's own time, not the Date header (when it was saved).
        Assert.Equal(new DateTimeOffset(2024, 6, 1, 9, 30, 0, TimeSpan.FromHours(3.5)), article.PublishedAt);
        Assert.False(article.DateIsFallback);
    }

    [Fact]
    public void A_saved_page_that_states_no_date_is_dated_by_when_it_was_saved_and_says_so()
    {
        var article = Assert.Single(ArticleParser.Parse("page.mht", Mhtml(Page("", published: ""), from: "<Saved by Windows Internet Explorer 8>", extraHeaders: "")));

        Assert.Equal(new DateOnly(2024, 6, 3), article.Date);
        Assert.True(article.DateIsFallback);
        Assert.Equal("https://tehranwire.example/world/iran-algeria-gaza?utm_source=share", article.Url);
    }

    [Fact]
    public void An_html_e_mail_with_pictures_stays_an_e_mail()
    {
        var mail = Encoding.UTF8.GetString(Mhtml(Page(""), from: "\"Wire Desk\" <desk@example.org>", extraHeaders: "To: me@example.org\r\n"));

        var article = Assert.Single(ArticleParser.Parse("newsletter.eml", Encoding.UTF8.GetBytes(mail)));

        Assert.Equal("Wire Desk", article.Author);
        Assert.Null(article.Url);
        Assert.Contains("Subscribe to our newsletter", article.Text);
    }

    [Fact]
    public void A_saved_html_page_takes_its_canonical_address_then_its_open_graph_address_then_the_saved_from_mark()
    {
        static ParsedArticle Read(string html) => Assert.Single(ArticleParser.Parse("page.html", Encoding.UTF8.GetBytes(html)));

        var canonical = Read(Page("<link rel=\"canonical\" href=\"https://tehranwire.example/world/iran-algeria-gaza\"><meta property=\"og:url\" content=\"https://m.tehranwire.example/a\">"));
        var openGraph = Read(Page("<meta property=\"og:url\" content=\"https://m.tehranwire.example/a\">"));
        var frontPage = Read("<!-- saved from url=(0041)https://www.tehranwire.example/world/gaza -->\n" + Page("<link rel=\"canonical\" href=\"https://tehranwire.example/\">").Replace("og:site_name", "x"));
        var none = Read(Page(""));

        Assert.Equal("https://tehranwire.example/world/iran-algeria-gaza", canonical.Url);
        Assert.Equal("https://m.tehranwire.example/a", openGraph.Url);
        // A canonical link to the front page would make every page of the site one article: the saved-from mark wins.
        Assert.Equal("https://www.tehranwire.example/world/gaza", frontPage.Url);
        Assert.Equal("tehranwire.example", frontPage.Source);
        Assert.Null(none.Url);
        Assert.Equal("Tehran Wire", none.Source);
    }

    [Fact]
    public async Task The_same_story_saved_as_html_and_as_mhtml_is_stored_once()
    {
        var services = await _store.StartAsync();
        var queue = services.GetRequiredService<IngestQueue>();
        var html = Page("<link rel=\"canonical\" href=\"https://tehranwire.example/world/iran-algeria-gaza\">");
        // The MHTML copy was saved later, after the page added a related-stories box: not the same text.
        var later = html.Replace("</article>", "<aside><p>Related: Qatar mediates between Hamas and Israel on a ceasefire and the return of hostages.</p></aside></article>");

        var first = await queue.EnqueueAsync("iran-algeria.html", Encoding.UTF8.GetBytes(html));
        var second = await queue.EnqueueAsync("Iran and Algeria discuss Gaza.mhtml", Mhtml(later));
        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        var stored = (await queue.FindAsync(first.Id))!;
        var copy = (await queue.FindAsync(second.Id))!;
        Assert.Equal(UploadStatus.Stored, stored.Status);
        Assert.Equal(UploadStatus.Duplicate, copy.Status);
        Assert.StartsWith($"duplicate of article {stored.ArticleId}", copy.Reason);
    }
}
