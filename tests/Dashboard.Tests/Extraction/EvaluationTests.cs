using Dashboard.Web.Evaluation;
using Dashboard.Web.Extraction;
using Xunit.Abstractions;

namespace Dashboard.Tests.Extraction;

/// <summary>Quality floors on real labelled data, through the same code as the evaluate subcommand; each floor sits a little below what is reached.</summary>
public sealed class EvaluationTests(ITestOutputHelper log)
{
    private static readonly ArticleExtractor Extractor = new();

    [Fact]
    public void People_and_organisations_on_conll_eng_testa()
    {
        var documents = ConllEvaluation.Read(SharedData.Path_("data", "conll2003", "eng.testa"));
        var (person, organization) = ConllEvaluation.Evaluate(Extractor, documents);
        log.WriteLine(EvaluationRun.Format([person, organization]));
        Assert.True(person.Score >= PersonF1, $"person F1 {person.Score:F3}");
        Assert.True(organization.Score >= OrganizationF1, $"organization F1 {organization.Score:F3}");
    }

    [Fact]
    public void Countries_on_two_reuters_files()
    {
        var stories = ReutersEvaluation.Read(SharedData.Path_("data", "reuters21578-dev"), limitFiles: 2);
        var measures = ReutersEvaluation.Evaluate(Extractor, stories);
        log.WriteLine(EvaluationRun.Format(measures));
        var (all, withoutUsa, focus) = (measures[0], measures[1], measures[2]);
        // Reuters editors label the places a story is about, not every country it names, so mention precision is understated.
        Assert.True(all.Precision >= AllPrecision, $"all-mention precision {all.Precision:F3}");
        Assert.True(all.Recall >= AllRecall, $"all-mention recall {all.Recall:F3}");
        Assert.True(withoutUsa.Recall >= WithoutUsaRecall, $"recall without usa {withoutUsa.Recall:F3}");
        Assert.True(focus.Precision >= FocusPrecision, $"focus precision {focus.Precision:F3}");
    }

    [Fact]
    public void Countries_on_all_reuters_dev_files_meet_the_issue_floors()
    {
        // The floors of issue 3 are on the whole development set (two seconds): precision over all mentions is the
        // figure closest to its floor, so it is held here rather than only on the two-file sample.
        var stories = ReutersEvaluation.Read(SharedData.Path_("data", "reuters21578-dev"));
        var measures = ReutersEvaluation.Evaluate(Extractor, stories);
        log.WriteLine(EvaluationRun.Format(measures));
        var (all, withoutUsa, focus) = (measures[0], measures[1], measures[2]);
        Assert.True(all.Precision >= FullAllPrecision, $"all-mention precision {all.Precision:F3}");
        Assert.True(withoutUsa.Recall >= FullWithoutUsaRecall, $"recall without usa {withoutUsa.Recall:F3}");
        Assert.True(focus.Precision >= FullFocusPrecision, $"focus precision {focus.Precision:F3}");
    }

    [Fact]
    public void Top_topic_on_bbc_articles()
    {
        var articles = BbcEvaluation.Read(SharedData.Path_("data", "bbc-news-dev"), perCategory: 100);
        var accuracy = BbcEvaluation.Evaluate(Extractor, articles);
        var sport = articles.Where(a => a.Category == "sport").ToList();
        var sportWithConflict = sport.Count(a => Extractor.Extract(a.Title, a.Text).Topics.Any(t => t.Key == "armed-conflict"));
        log.WriteLine($"{EvaluationRun.Format([accuracy])}sport with armed conflict {sportWithConflict}/{sport.Count}");
        Assert.True(accuracy.Score >= TopicAccuracy, $"accuracy {accuracy.Score:F3}");
        Assert.True(sportWithConflict <= sport.Count / 20, $"{sportWithConflict} of {sport.Count} sport articles tagged armed conflict");
    }

    [Fact]
    public void Every_reuters_place_slug_has_an_iso_code()
    {
        var folder = SharedData.Path_("data", "reuters21578-dev");
        var slugs = File.ReadAllText(Path.Combine(folder, "all-places-strings.lc.txt")).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(175, slugs.Length);
        Assert.All(slugs, slug => Assert.Matches("^[A-Z]{2}$", ReutersEvaluation.IsoCode(slug)));
        Assert.Equal("RU", ReutersEvaluation.IsoCode("ussr"));
        Assert.Equal("DE", ReutersEvaluation.IsoCode("west-germany"));
        Assert.Equal("TT", ReutersEvaluation.IsoCode("trinidad-tobago"));
    }

    [Fact]
    public void Conll_reader_rebuilds_text_and_iob1_spans()
    {
        var path = Path.Combine(Path.GetTempPath(), $"conll-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "-DOCSTART- -X- O O\n\nPeter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\nB NNP I-NP B-PER\nof IN I-PP O\nEU NNP I-NP I-ORG\n\nSky NNP I-NP I-ORG\n");
        try
        {
            var document = Assert.Single(ConllEvaluation.Read(path));
            Assert.Equal("Peter Blackburn B of EU\nSky", document.Text);
            Assert.Equal(
                [(Web.Model.EntityKind.Person, 0, 15), (Web.Model.EntityKind.Person, 16, 17), (Web.Model.EntityKind.Organization, 21, 23), (Web.Model.EntityKind.Organization, 24, 27)],
                document.Gold);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Reached: person 0.890, organisation 0.734 (stop 35: "N.Z. Dlrs" and "N.A" are nobody, "American Telephone and Telegraph Co" one company; 0.889 and 0.730 before; 0.884 before stop 35 read "Treasury Secretary James Baker" as James Baker; 0.882 earlier, 0.877 before stop 22's given names that are also words, venues and faiths; 0.863 before a famous surname after another given name became somebody else's), organisation 0.710 (0.702 before airlines named after places and "of" after an organisation word anywhere in the name; 0.687 before a name right after a company noun, "tyre giant Pirelli", became the company; 0.701 before Kent, Lancashire and Yorkshire, county cricket clubs in CoNLL's
    // 1996 sports pages, became the English counties they are in today's news, and Reading, Nice... stopped being clubs); on the two Reuters files all-mention precision 0.840, recall 0.975, without
    // usa 0.967, focus precision 0.925; on all Reuters dev files all-mention precision 0.814, without usa recall 0.970,
    // focus precision 0.921; BBC (100 per category) 0.856.
    private const double PersonF1 = 0.885;
    private const double OrganizationF1 = 0.72;
    private const double AllPrecision = 0.83;
    private const double AllRecall = 0.965;
    private const double WithoutUsaRecall = 0.957;
    private const double FocusPrecision = 0.915;
    private const double FullAllPrecision = 0.805;
    private const double FullWithoutUsaRecall = 0.96;
    private const double FullFocusPrecision = 0.91;
    private const double TopicAccuracy = 0.85;
}
