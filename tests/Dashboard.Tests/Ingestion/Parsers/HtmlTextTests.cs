using Dashboard.Web.Ingestion.Parsers;

namespace Dashboard.Tests.Ingestion.Parsers;

/// <summary>HTML in feeds, JSON and e-mails becomes plain text; angle brackets that are no HTML stay text.</summary>
public sealed class HtmlTextTests
{
    [Fact]
    public void A_newswire_company_in_angle_brackets_is_text_not_an_element_that_swallows_the_story()
    {
        var text = HtmlText.ToPlainText("<America First Federally Guaranteed\nMortgage Fund Two> said it is making a special distribution of 71.6 cts per unit.");

        Assert.Equal("<America First Federally Guaranteed Mortgage Fund Two> said it is making a special distribution of 71.6 cts per unit.", text.Replace('\n', ' '));
        Assert.Equal("Standard oil <srd> to form financial unit", HtmlText.ToTitle("Standard oil <srd> to form financial unit"));
        Assert.Equal("1 < 2 and 3 > 2", HtmlText.ToTitle("1 < 2 and 3 > 2"));
    }

    [Fact]
    public void In_real_html_an_unknown_element_keeps_its_text_and_scripts_and_styles_go_whole()
    {
        var text = HtmlText.ToPlainText("<p>Shares of <Acme Corp> rose 5%.</p><script>alert('x')</script><style>p { color: red }</style><p>Trading was <b>light</b>.</p>");

        Assert.Equal("Shares of rose 5%.\n\nTrading was light.", text);
        Assert.DoesNotContain("alert", HtmlText.ToPlainText("Hello <noscript>enable scripts</noscript><svg><text>logo</text></svg>world"));
        Assert.Equal("Hello world", HtmlText.ToTitle("Hello <noscript>enable scripts</noscript><svg><text>logo</text></svg>world"));
        Assert.Equal("AT&T buys <b>stake</b>", HtmlText.ToTitle("AT&amp;T buys &lt;b&gt;stake&lt;/b&gt;"));
    }

    [Fact]
    public void Deeply_nested_unknown_elements_do_not_overflow_the_stack()
    {
        var html = "<p>" + string.Concat(Enumerable.Repeat("<x-wrap>", 50_000)) + "deep text" + "</p>";

        Assert.Equal("deep text", HtmlText.ToPlainText(html));
    }
}
