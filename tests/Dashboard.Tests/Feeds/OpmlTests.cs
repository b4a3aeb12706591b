using System.Text;
using Dashboard.Web.Feeds;
using Dashboard.Web.Ingestion;

namespace Dashboard.Tests.Feeds;

/// <summary>OPML in and out: nested folders, duplicates and bad addresses on import, a round trip through export.</summary>
public sealed class OpmlTests : IAsyncLifetime
{
    private const string Nested = """
        <?xml version="1.0" encoding="UTF-8"?>
        <opml version="1.0">
          <head><title>My subscriptions</title></head>
          <body>
            <outline text="World">
              <outline text="BBC World" title="BBC World" type="rss" xmlUrl="https://feeds.example.org/bbc/world.xml"/>
              <outline text="Regional">
                <outline text="Africa wire" type="rss" xmlurl="http://africa.example.net/rss"/>
              </outline>
            </outline>
            <outline title="BBC again" xmlUrl="https://FEEDS.example.org/bbc/world.xml"/>
            <outline title="Not a web address" xmlUrl="ftp://files.example.org/feed.xml"/>
            <outline title="A folder with no feed"/>
          </body>
        </opml>
        """;

    private FeedTestStore _store = null!;

    public async Task InitializeAsync() => _store = await FeedTestStore.StartAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public void Nested_outlines_are_read_in_document_order_with_text_as_the_title_fallback()
    {
        var outlines = Opml.Read("subs.opml", Encoding.UTF8.GetBytes(Nested));

        Assert.Equal(
            [
                new OpmlOutline("https://feeds.example.org/bbc/world.xml", "BBC World"),
                new OpmlOutline("http://africa.example.net/rss", "Africa wire"),
                new OpmlOutline("https://FEEDS.example.org/bbc/world.xml", "BBC again"),
                new OpmlOutline("ftp://files.example.org/feed.xml", "Not a web address"),
            ],
            outlines);
    }

    [Fact]
    public async Task Import_adds_new_feeds_names_duplicates_and_refusals_and_export_round_trips()
    {
        var import = await _store.Subscriptions.ImportOpmlAsync("subs.opml", Encoding.UTF8.GetBytes(Nested));

        Assert.Equal(["https://feeds.example.org/bbc/world.xml", "http://africa.example.net/rss"], import.Added.Select(f => f.Url));
        Assert.Equal(["https://FEEDS.example.org/bbc/world.xml"], import.AlreadySubscribed);
        Assert.Contains("not an absolute http:// or https:// address", Assert.Single(import.Refused));

        var exported = await _store.Subscriptions.ExportOpmlAsync();
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", exported);
        var again = Opml.Read("feeds.opml", Encoding.UTF8.GetBytes(exported));
        Assert.Equal(
            [
                new OpmlOutline("https://feeds.example.org/bbc/world.xml", "BBC World"),
                new OpmlOutline("http://africa.example.net/rss", "Africa wire"),
            ],
            again);

        // Importing the export into the same store adds nothing.
        var second = await _store.Subscriptions.ImportOpmlAsync("feeds.opml", Encoding.UTF8.GetBytes(exported));
        Assert.Empty(second.Added);
        Assert.Equal(2, second.AlreadySubscribed.Count);
    }

    [Fact]
    public void An_opml_with_a_dtd_is_refused_unexpanded()
    {
        const string bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
            <opml version="2.0"><body><outline title="&b;" xmlUrl="https://example.org/feed"/></body></opml>
            """;

        var error = Assert.Throws<ArticleParseException>(() => Opml.Read("bomb.opml", Encoding.UTF8.GetBytes(bomb)));

        Assert.Contains("DTD", error.Message);
    }

    [Fact]
    public void A_feed_is_not_an_opml_file()
    {
        var error = Assert.Throws<ArticleParseException>(() => Opml.Read("feed.xml", Encoding.UTF8.GetBytes("<rss version=\"2.0\"><channel/></rss>")));

        Assert.Contains("not an OPML file", error.Message);
    }
}
