using Dashboard.Web.Extraction;
using Dashboard.Web.Model;

namespace Dashboard.Tests.Extraction;

/// <summary>The first real input: an Iranian agency's report of Iran-Algeria talks about Gaza.</summary>
public sealed class SeedArticleTests
{
    private static readonly ArticleExtractor Extractor = new();
    private static readonly string Seed = SharedData.SeedText;
    private static readonly ExtractionResult Result = Extractor.Extract(null, Seed);

    [Theory]
    [InlineData("IR", "Iran", "Iranian", "demonym")]
    [InlineData("IR", "Iran", "Iran", "name")]
    [InlineData("DZ", "Algeria", "Algerian", "demonym")]
    [InlineData("DZ", "Algeria", "Algeria", "name")]
    [InlineData("IL", "Israel", "Israeli regime", "alias")]
    [InlineData("IL", "Israel", "Zionist regime", "alias")]
    [InlineData("IL", "Israel", "Israel", "name")]
    [InlineData("PS", "Palestine", "Gaza", "city")]
    [InlineData("PS", "Palestine", "Rafah", "city")]
    [InlineData("PS", "Palestine", "Palestinian", "demonym")]
    [InlineData("PS", "Palestine", "Gazans", "demonym")]
    public void Finds_countries_with_how_they_are_named(string key, string name, string surface, string via)
    {
        var mentions = Result.Mentions.Where(m => Seed[m.Start..m.End] == surface).ToList();
        Assert.NotEmpty(mentions);
        Assert.All(mentions, m => Assert.Equal((EntityKind.Country, key, name, via), (m.Kind, m.Key, m.Name, m.Via)));
    }

    [Fact]
    public void Every_mention_points_at_its_surface_text()
    {
        Assert.All(Result.Mentions, m =>
        {
            Assert.Equal("text", m.Field);
            Assert.InRange(m.Start, 0, m.End - 1);
            Assert.True(char.IsUpper(Seed[m.Start]), $"{m.Key} at {m.Start} starts with '{Seed[m.Start]}'");
        });
        Assert.Equal(5, Result.Mentions.Count(m => m.Key == "PS" && Seed[m.Start..m.End] == "Gaza"));
        Assert.Equal(4, Result.Mentions.Count(m => m.Key == "PS" && Seed[m.Start..m.End] == "Rafah"));
    }

    [Theory]
    [InlineData("ebrahim-raisi", "Ebrahim Raisi", "Ebrahim Raisi")]
    [InlineData("ebrahim-raisi", "Ebrahim Raisi", "Raisi")]
    [InlineData("hossein-amirabdollahian", "Hossein Amirabdollahian", "Hossein Amirabdollahian")]
    [InlineData("ali-bagheri-kani", "Ali Bagheri Kani", "Bagheri")]
    [InlineData("ahmed-attaf", "Ahmed Attaf", "Attaf")]
    public void Finds_people_and_resolves_surnames(string key, string name, string surface)
    {
        var mentions = Result.Mentions.Where(m => m.Kind == EntityKind.Person && Seed[m.Start..m.End] == surface).ToList();
        Assert.NotEmpty(mentions);
        Assert.All(mentions, m => Assert.Equal((key, name), (m.Key, m.Name)));
    }

    [Fact]
    public void The_algerian_foreign_minister_is_ahmed_attaf()
    {
        var roles = Result.Mentions.Where(m => m.Via == "role").ToList();
        Assert.Equal(2, roles.Count);
        Assert.All(roles, m => Assert.Equal((EntityKind.Person, "ahmed-attaf", "Ahmed Attaf", "Algerian foreign minister"), (m.Kind, m.Key, m.Name, Seed[m.Start..m.End])));
    }

    [Fact]
    public void A_role_shared_by_several_listed_people_and_named_by_none_stays_unresolved()
    {
        var result = Extractor.Extract(null, "The Iranian president spoke on Friday.");
        Assert.DoesNotContain(result.Mentions, m => m.Kind == EntityKind.Person);
    }

    [Fact]
    public void Bagheri_is_mentioned_at_every_occurrence()
    {
        var expected = CountOf("Bagheri");
        Assert.Equal(expected, Result.Mentions.Count(m => m.Key == "ali-bagheri-kani"));
    }

    [Fact]
    public void Links_the_acronym_to_its_long_form()
    {
        var oic = Result.Mentions.Where(m => m.Kind == EntityKind.Organization && m.Key == "organization-of-the-islamic-cooperation").ToList();
        Assert.Contains(oic, m => Seed[m.Start..m.End] == "Organization of the Islamic Cooperation");
        Assert.Equal(2, oic.Count(m => Seed[m.Start..m.End] == "OIC"));
        Assert.All(oic, m => Assert.Equal("Organization of the Islamic Cooperation", m.Name));
        Assert.Contains(Result.Mentions, m => m.Kind == EntityKind.Organization && m.Key == "united-nations" && Seed[m.Start..m.End] == "UN");
    }

    [Fact]
    public void Reports_no_other_people_or_countries()
    {
        var people = Result.Mentions.Where(m => m.Kind == EntityKind.Person).Select(m => m.Key).ToHashSet();
        Assert.Equal(["ahmed-attaf", "ali-bagheri-kani", "ebrahim-raisi", "hossein-amirabdollahian"], people.Order());
        var countries = Result.Mentions.Where(m => m.Kind == EntityKind.Country).Select(m => m.Key).ToHashSet();
        Assert.Equal(["DZ", "IL", "IR", "PS"], countries.Order());
    }

    [Fact]
    public void Focus_is_the_few_countries_the_article_is_about()
    {
        Assert.InRange(Result.Focus.Count, 1, 3);
        Assert.Contains("PS", Result.Focus);
        Assert.Contains("DZ", Result.Focus);
        // Named only twice, but its ministers and president act throughout.
        Assert.Contains("IR", Result.Focus);
    }

    [Fact]
    public void Topics_include_conflict_aid_and_diplomacy()
    {
        var keys = Result.Topics.Select(t => t.Key).ToList();
        Assert.Contains("armed-conflict", keys);
        Assert.Contains("humanitarian-aid", keys);
        Assert.Contains("diplomacy", keys);
        Assert.DoesNotContain("sport", keys);
        Assert.All(Result.Topics, t => Assert.InRange(t.Score, 0, 1));
    }

    private static int CountOf(string word)
    {
        var count = 0;
        for (var i = Seed.IndexOf(word, StringComparison.Ordinal); i >= 0; i = Seed.IndexOf(word, i + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
