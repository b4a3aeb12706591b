using Dashboard.Web.Feeds;

namespace Dashboard.Tests.Feeds;

/// <summary>Finding the feeds a web page names, as a feed reader does when given a site's address.</summary>
public sealed class FeedDiscoveryTests
{
    private static readonly Uri Page = new("https://news.example.org/world/index.html");

    [Fact]
    public void Relative_links_resolve_against_the_page_and_the_page_order_is_kept()
    {
        const string html = """
            <html><head>
              <link rel="stylesheet" href="/site.css">
              <link rel="alternate" type="application/rss+xml" title="World news" href="feed.xml">
              <link rel="alternate" type="application/atom+xml" title="Comments" href="/comments/atom">
              <link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
            </head><body></body></html>
            """;

        var found = FeedDiscovery.Find(Page, html);

        Assert.Equal(
            [new DiscoveredFeed("https://news.example.org/world/feed.xml", "World news"), new DiscoveredFeed("https://news.example.org/comments/atom", "Comments")],
            found);
    }

    [Fact]
    public void A_base_element_moves_the_root_of_relative_links()
    {
        const string html = """<html><head><base href="https://cdn.example.net/feeds/"><link rel="alternate" type="application/atom+xml" href="all.atom"></head></html>""";

        Assert.Equal("https://cdn.example.net/feeds/all.atom", Assert.Single(FeedDiscovery.Find(Page, html)).Url);
    }

    [Fact]
    public void Rel_and_type_are_read_as_browsers_read_them()
    {
        // rel holds several tokens in any case, type may carry parameters, an absolute href stays as given.
        const string html = """
            <html><head>
              <link rel="Alternate feed" type="Application/RSS+XML; charset=utf-8" href="https://other.example.com/rss">
              <link rel="alternate" type="application/rdf+xml" href="/rdf">
              <link rel="alternate" type="application/feed+json" href="/feed.json">
            </head></html>
            """;

        Assert.Equal(["https://other.example.com/rss", "https://news.example.org/rdf", "https://news.example.org/feed.json"], FeedDiscovery.Find(Page, html).Select(f => f.Url));
    }

    [Fact]
    public void Links_that_are_not_feeds_or_not_on_the_web_are_ignored_and_repeats_count_once()
    {
        const string html = """
            <html><head>
              <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
              <link rel="alternate" type="application/rss+xml" href="ftp://files.example.org/feed.xml">
              <link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/2">
              <link rel="stylesheet" type="application/rss+xml" href="/not-alternate.xml">
              <link rel="alternate" type="application/rss+xml" href="/feed.xml">
              <link rel="alternate" type="application/rss+xml" href="https://NEWS.example.org/feed.xml">
            </head></html>
            """;

        Assert.Equal("https://news.example.org/feed.xml", Assert.Single(FeedDiscovery.Find(Page, html)).Url);
    }

    [Fact]
    public void A_page_without_feed_links_names_none()
    {
        Assert.Empty(FeedDiscovery.Find(Page, "<html><head><title>Front page</title></head><body><a href=\"/feed.xml\">RSS</a></body></html>"));
    }

    [Fact]
    public void Robots_txt_gives_its_news_sitemaps_in_order_and_no_other_sitemap()
    {
        var robots = new Uri("https://www.example.org/robots.txt");
        const string text = "User-agent: *\r\nDisallow: /private\r\nSitemap: https://www.example.org/sitemap_index.xml\r\n" +
            "SITEMAP: /news-sitemap.xml\r\n# Sitemap: /old-news.xml\r\nSitemap:https://cdn.example.org/sitemaps/google-news.xml\r\nSitemap: ftp://example.org/news.xml\r\n";

        Assert.Equal(["https://www.example.org/news-sitemap.xml", "https://cdn.example.org/sitemaps/google-news.xml"], FeedDiscovery.NewsSitemaps(robots, text));
        Assert.Empty(FeedDiscovery.NewsSitemaps(robots, "<html><body>Not found</body></html>"));
    }
}
