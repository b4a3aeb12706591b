using System.Text;
using Dashboard.Web.Feeds;
using Dashboard.Web.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Feeds;

/// <summary>Links sent in by people, fetched from a local server: read as the page, queued with its address, refused with the reason.</summary>
public sealed class ArticleLinksTests : IAsyncLifetime
{
    private FeedTestStore _store = null!;

    public async Task InitializeAsync() => _store = await FeedTestStore.StartAsync(new() { ["Dashboard:Feeds:TimeoutSeconds"] = "6" });

    public async Task DisposeAsync() => await _store.DisposeAsync();

    private ArticleLinks Links => _store.Services.GetRequiredService<ArticleLinks>();

    private static byte[] Page(string canonical = "") => Encoding.UTF8.GetBytes(
        $"<!DOCTYPE html><html><head><title>Iran and Algeria discuss Gaza</title>{canonical}" +
        "<meta property=\"article:published_time\" content=\"2024-06-01T09:30:00+03:30\"></head><body>" +
        "<nav>Home World Sport Subscribe</nav><article><h1>Iran and Algeria discuss Gaza</h1>" +
        "<p>Iran's foreign minister met his Algerian counterpart in Tehran on Saturday to discuss the war in Gaza and the attack on Rafah.</p>" +
        "<p>The two ministers called on the Organisation of Islamic Cooperation to act, and agreed that aid must reach civilians without delay.</p>" +
        "</article></body></html>");

    [Fact]
    public async Task A_link_is_fetched_read_as_the_page_and_stored_with_its_address_once()
    {
        await using var server = await LocalWebServer.StartAsync(context => context.Request.Path == "/old"
            ? Redirect(context, "/world/iran-algeria?utm_source=share")
            : LocalWebServer.SendAsync(context, Page(), "text/html; charset=utf-8"));

        var upload = await Links.SubmitAsync(new Uri(server.Url("old")));
        await _store.DrainQueueAsync();
        var again = await Links.SubmitAsync(new Uri(server.Url("world/iran-algeria")));
        await _store.DrainQueueAsync();

        await using var db = await _store.DbAsync();
        var stored = await db.Uploads.SingleAsync(u => u.Id == upload.Id);
        Assert.Equal(UploadStatus.Stored, stored.Status);
        Assert.Equal($"127.0.0.1 - iran-algeria.json", stored.FileName);
        var article = await db.Articles.SingleAsync();
        Assert.Equal("Iran and Algeria discuss Gaza", article.Title);
        Assert.StartsWith("Iran's foreign minister met his Algerian counterpart", article.Text);
        Assert.DoesNotContain("Subscribe", article.Text);
        // Where the redirect landed; the tracking parameter does not make the second link another story.
        Assert.Equal(server.Url("world/iran-algeria?utm_source=share"), article.Url);
        Assert.Equal("127.0.0.1", article.Source);
        Assert.Equal(new DateOnly(2024, 6, 1), article.PublishedDate);
        var duplicate = await db.Uploads.SingleAsync(u => u.Id == again.Id);
        Assert.Equal(UploadStatus.Duplicate, duplicate.Status);
        Assert.StartsWith($"duplicate of article {article.Id}", duplicate.Reason);
    }

    [Fact]
    public async Task A_page_that_names_its_canonical_address_is_stored_at_that_address()
    {
        await using var server = await LocalWebServer.StartAsync(context =>
            LocalWebServer.SendAsync(context, Page("<link rel=\"canonical\" href=\"https://tehranwire.example/world/iran-algeria-gaza\">"), "text/html"));

        await Links.SubmitAsync(new Uri(server.Url("amp/story")));
        await _store.DrainQueueAsync();

        await using var db = await _store.DbAsync();
        Assert.Equal("https://tehranwire.example/world/iran-algeria-gaza", (await db.Articles.SingleAsync()).Url);
    }

    [Fact]
    public async Task A_link_to_a_feed_is_queued_as_the_feed_it_is()
    {
        var feed = await File.ReadAllBytesAsync(Path.Combine(TestPaths.Shared, "data", "feeds", "feedreader", "Rss20BreakingNews.xml"));
        await using var server = await LocalWebServer.StartAsync(context => LocalWebServer.SendAsync(context, feed, "application/rss+xml"));

        var upload = await Links.SubmitAsync(new Uri(server.Url("business.xml")));
        await _store.DrainQueueAsync();

        await using var db = await _store.DbAsync();
        Assert.Equal(Dashboard.Web.Ingestion.ArticleParser.Read("feed.xml", feed).Articles.Count, await db.Articles.CountAsync());
        Assert.Equal("127.0.0.1 - business.xml", (await db.Uploads.SingleAsync(u => u.Id == upload.Id)).FileName);
    }

    [Fact]
    public async Task A_link_that_cannot_be_had_or_read_is_refused_with_the_reason_and_nothing_is_queued()
    {
        await using var server = await LocalWebServer.StartAsync(context => context.Request.Path == "/gone"
            ? LocalWebServer.SendAsync(context, Encoding.UTF8.GetBytes("not here"), "text/plain", StatusCodes.Status404NotFound)
            : LocalWebServer.SendAsync(context, Encoding.UTF8.GetBytes("<html><body><img src=a.png></body></html>"), "text/html"));

        var gone = await Assert.ThrowsAsync<WebFetchException>(() => Links.SubmitAsync(new Uri(server.Url("gone"))));
        var empty = await Assert.ThrowsAsync<WebFetchException>(() => Links.SubmitAsync(new Uri(server.Url("gallery"))));
        var closed = await Assert.ThrowsAsync<WebFetchException>(() => Links.SubmitAsync(new Uri("http://127.0.0.1:9/story")));

        Assert.Equal($"{server.Url("gone")}: the page answered HTTP 404 Not Found", gone.Message);
        Assert.Contains("no readable article text", empty.Message);
        Assert.StartsWith("http://127.0.0.1:9/story: could not connect to the server", closed.Message);
        await using var db = await _store.DbAsync();
        Assert.Equal(0, await db.Uploads.CountAsync());
    }

    [Fact]
    public void A_paste_of_several_addresses_is_split_at_each_address_even_when_run_together()
    {
        Assert.Equal(["https://a.example/one", "http://b.example/two?x=1", "https://c.example/"],
            ArticleLinks.Split(" https://a.example/one\nhttp://b.example/two?x=1https://c.example/ "));
        Assert.Equal(["https://a.example/one"], ArticleLinks.Split("https://a.example/one https://a.example/one"));
        Assert.Equal(["example.org/story"], ArticleLinks.Split("example.org/story"));
        // An address inside an address (an archived copy, a share link) is not a second one.
        Assert.Equal(["https://web.archive.org/web/2024/https://a.example/one", "https://share.example/?u=https://b.example/two"],
            ArticleLinks.Split("https://web.archive.org/web/2024/https://a.example/one https://share.example/?u=https://b.example/two"));
    }

    [Theory]
    [InlineData("", "no address")]
    [InlineData("example.org/story", "is not a web address")]
    [InlineData("ftp://example.org/story.txt", "is not a web address")]
    [InlineData("javascript:alert(1)", "is not a web address")]
    public void Only_web_addresses_are_taken(string address, string reason)
    {
        Assert.False(ArticleLinks.TryRead(address, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public async Task With_private_networks_refused_a_link_to_the_servers_own_network_is_refused_before_a_connection_is_made()
    {
        await using var store = await FeedTestStore.StartAsync(new() { ["Dashboard:Fetch:AllowPrivateNetworks"] = "false" });
        await using var server = await LocalWebServer.StartAsync(context => LocalWebServer.SendAsync(context, Page(), "text/html"));
        var links = store.Services.GetRequiredService<ArticleLinks>();

        var refused = await Assert.ThrowsAsync<WebFetchException>(() => links.SubmitAsync(new Uri(server.Url("world/iran-algeria"))));
        var byName = await Assert.ThrowsAsync<WebFetchException>(() => links.SubmitAsync(new Uri($"http://localhost:{server.BaseAddress.Port}/world/iran-algeria")));

        Assert.Equal($"{server.Url("world/iran-algeria")}: 127.0.0.1 is a private or local network address (127.0.0.1), which this server does not fetch from (Dashboard:Fetch:AllowPrivateNetworks is false)", refused.Message);
        Assert.Contains("localhost is a private or local network address", byName.Message);
        Assert.False(refused.MayPass);
        Assert.Empty(server.Requests);
        // Allowed by default (a feed on the same machine, an intranet site): the same page is fetched.
        Assert.Equal(UploadStatus.Queued, (await Links.SubmitAsync(new Uri(server.Url("world/iran-algeria")))).Status);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.10", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd12:3456::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("93.184.216.34", false)]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946", false)]
    public void Private_loopback_and_link_local_addresses_are_told_from_public_ones(string address, bool isPrivate)
    {
        Assert.Equal(isPrivate, WebFetch.IsPrivate(System.Net.IPAddress.Parse(address)));
    }

    private static Task Redirect(HttpContext context, string location)
    {
        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    }
}
