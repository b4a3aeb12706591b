using System.Text;
using Dashboard.Web.Ingestion;

namespace Dashboard.Tests.Ingestion.Parsers;

/// <summary>
/// A saved page whose text carries no usable byline still names its author when the page declares one: in its meta tags,
/// its schema.org data or an author link. A byline in the text comes first.
/// </summary>
public sealed class DeclaredAuthorTests
{
    private const string Story =
        "<p>Iran's foreign minister met his Algerian counterpart in Tehran on Saturday to discuss the war in Gaza and the attack on Rafah.</p>" +
        "<p>The two ministers called on the Organisation of Islamic Cooperation to act, and agreed that aid must reach civilians without delay.</p>" +
        "<p>Algeria holds a seat on the UN Security Council this year and has drafted several resolutions on the war.</p>";

    private static string? AuthorOf(string head, string beforeStory = "", string afterArticle = "")
    {
        var html = $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Iran and Algeria discuss Gaza</title>{head}</head><body>" +
            $"<article><h1>Iran and Algeria discuss Gaza</h1>{beforeStory}{Story}</article>{afterArticle}</body></html>";
        return ArticleParser.Parse("page.html", Encoding.UTF8.GetBytes(html))[0].Author;
    }

    [Fact]
    public void The_meta_author_names_a_page_whose_byline_is_no_name()
    {
        // SmartReader takes "on Deadspin" from the text as the byline, and the meta tag's name only as the author.
        Assert.Equal("Sara Karimi", AuthorOf("<meta content=\"Sara Karimi\" name=\"author\">", beforeStory: "<p class=\"byline\">on Deadspin</p>"));
        Assert.Equal("Sara Karimi", AuthorOf("<meta name=\"author\" content=\"Sara Karimi\">"));
        // The attributes the other way round, as Lifehacker writes them (SmartReader's own reading misses these).
        Assert.Equal("Sara Karimi", AuthorOf("<meta content=\"Sara Karimi\" name=\"author\">"));
        Assert.Equal("Sara Karimi", AuthorOf("<meta content=\"By Sara Karimi\" name=\"DC.Creator\">"));
    }

    [Fact]
    public void A_word_in_capitals_taken_for_the_byline_gives_way_to_a_declared_name_and_stays_where_none_is_declared()
    {
        // An IETF draft: SmartReader takes a citation ("[AUTHORING]", its anchor named ref-AUTHORING) for the byline.
        var citation = "<p>Authoring is described in [<a href=\"#ref-AUTHORING\" class=\"author\">AUTHORING</a>].</p>";
        Assert.Equal("Jong, Michiel de", AuthorOf("<meta name=\"DC.Creator\" content=\"Jong, Michiel de\">", beforeStory: citation));
        // A wire byline in capitals is a name when the page declares no other, and a byline in words stays first.
        Assert.Equal("REUTERS", AuthorOf("", beforeStory: "<p class=\"byline\">By REUTERS</p>"));
        Assert.Equal("Reza Ahmadi", AuthorOf("<meta name=\"author\" content=\"Sara Karimi\">", beforeStory: "<p class=\"byline\">By Reza Ahmadi</p>"));
    }

    [Fact]
    public void Schema_org_authors_are_read_even_in_a_cdata_section_and_each_name_is_kept()
    {
        var data = "<script type=\"application/ld+json\">\n<![CDATA[\n{\"@context\": \"https://schema.org\", \"@type\": \"NewsArticle\", " +
            "\"author\": [{\"@type\": \"Person\", \"name\": \"Sara Karimi \"}, {\"@type\": \"Person\", \"name\": \"Reza Ahmadi\"}, {\"@type\": \"Person\", \"name\": \"Leila Nouri\"}],}\n]]>\n</script>";

        Assert.Equal("Sara Karimi, Reza Ahmadi, Leila Nouri", AuthorOf(data));
    }

    [Fact]
    public void A_graph_of_schema_org_things_is_searched_for_the_author_and_a_broken_block_falls_back_to_the_author_link()
    {
        Assert.Equal("Sara Karimi", AuthorOf("<script type=\"application/ld+json\">{\"@graph\": [{\"@type\": \"WebPage\"}, {\"@type\": \"NewsArticle\", \"author\": \"Sara Karimi\"}]}</script>"));
        Assert.Equal("Reza Ahmadi", AuthorOf("<script type=\"application/ld+json\">{\"author\": {\"name\": </script>",
            afterArticle: "<footer><a rel=\"author\" href=\"/staff/reza\">Reza Ahmadi</a></footer>"));
    }

    [Fact]
    public void A_profile_address_is_not_a_name_but_an_author_link_is()
    {
        Assert.Equal("Sara Karimi", AuthorOf("<meta property=\"article:author\" content=\"https://tehranwire.example/staff/sara\">",
            afterArticle: "<footer><a rel=\"author\" href=\"/staff/sara\">Sara Karimi</a></footer>"));
        // In an address block above the article, as the Mozilla blog has it.
        Assert.Equal("Sara Karimi", AuthorOf("", beforeStory: "<div class=\"entry-info\"><address class=\"vcard\"><a href=\"/author/sara/\" title=\"Posts by Sara Karimi\" rel=\"author\">Sara Karimi</a></address></div>"));
        Assert.Null(AuthorOf("<meta property=\"article:author\" content=\"https://tehranwire.example/staff/sara\">"));
    }

    [Fact]
    public void A_byline_in_the_text_comes_before_what_the_page_declares()
    {
        Assert.Equal("Sara Karimi", AuthorOf("<meta name=\"author\" content=\"Newsroom Desk\">", beforeStory: "<p class=\"byline\">By Sara Karimi</p>"));
    }
}
