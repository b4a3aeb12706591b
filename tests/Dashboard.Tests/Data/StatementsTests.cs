using Dashboard.Web.Data;
using Dashboard.Web.Model;

namespace Dashboard.Tests.Data;

/// <summary>Who said what in one article, from its stored mention spans.</summary>
public sealed class StatementsTests
{
    private static ArticleMention Mention(EntityKind kind, string key, string name, string text, string surface, string via) =>
        new(kind, key, name, 1, false, 0, [new MentionSpan(text.IndexOf(surface, StringComparison.Ordinal), text.IndexOf(surface, StringComparison.Ordinal) + surface.Length, "text", via)]);

    private static ArticleDetail Article(string text, params ArticleMention[] mentions) =>
        new(1, "A headline", text, new DateOnly(1987, 3, 11), false, "Reuters", null, null, DateTime.UtcNow, mentions);

    [Fact]
    public void A_country_speaks_by_its_name_or_capital_not_by_a_region_or_demonym_beside_the_speaker()
    {
        const string Text = "Tehran said it would answer any attack on its ships in the Gulf. "
            + "Cotton, president of a Paradise Valley, Ariz., data processing equipment maker, said he bought the stake.";
        var article = Article(Text,
            Mention(EntityKind.Country, "IR", "Iran", Text, "Tehran", "capital"),
            Mention(EntityKind.Country, "US", "United States", Text, "Ariz.", "region"));

        var said = Statements.InArticle(article);

        var statement = Assert.Single(said);
        Assert.Equal((new EntityRef(EntityKind.Country, "IR"), "it would answer any attack on its ships in the Gulf"), (statement.Speaker, statement.Quote));
    }

    [Fact]
    public void Each_speaker_says_a_wording_once_in_an_article_in_text_order()
    {
        const string Text = "Raisi said the talks were useful for both sides. \u201CWe will respond,\u201D Raisi said, and Bagheri said the talks were useful for both sides. "
            + "Raisi said the talks were useful for both sides.";
        var raisi = new ArticleMention(EntityKind.Person, "ebrahim-raisi", "Ebrahim Raisi", 2, false, 0,
            [new MentionSpan(0, 5, "text", "surname"), new MentionSpan(Text.IndexOf("Raisi said,", StringComparison.Ordinal), Text.IndexOf("Raisi said,", StringComparison.Ordinal) + 5, "text", "surname"),
             new MentionSpan(Text.LastIndexOf("Raisi", StringComparison.Ordinal), Text.LastIndexOf("Raisi", StringComparison.Ordinal) + 5, "text", "surname")]);
        var article = Article(Text, raisi, Mention(EntityKind.Person, "ali-bagheri-kani", "Ali Bagheri Kani", Text, "Bagheri", "surname"));

        var said = Statements.InArticle(article);

        // Raisi's words said again at the end are one statement; two people saying the same words are two; in the order of the text.
        Assert.Equal(["ebrahim-raisi: the talks were useful for both sides", "ebrahim-raisi: We will respond", "ali-bagheri-kani: the talks were useful for both sides"],
            said.Select(s => $"{s.Speaker.Key}: {s.Quote}"));
    }
}
