using System.Globalization;
using System.Text;
using Dashboard.Web.Extraction;

namespace Dashboard.Web.Evaluation;

/// <summary>Runs every measure of the extractor over the shared data sets and formats them as one table.</summary>
public static class EvaluationRun
{
    /// <summary>All measures, in table order. <paramref name="limit"/> caps the documents read from each set.</summary>
    public static List<Measure> Measure(ArticleExtractor extractor, string dataFolder, int? limit = null)
    {
        var measures = new List<Measure>();
        var conll = ConllEvaluation.Read(Path.Combine(dataFolder, "conll2003", "eng.testa"));
        var (person, organization) = ConllEvaluation.Evaluate(extractor, limit is { } n ? conll.Take(n) : conll);
        measures.Add(person);
        measures.Add(organization);
        var reuters = ReutersEvaluation.Read(Path.Combine(dataFolder, "reuters21578-dev"), limit is null ? null : 2);
        measures.AddRange(ReutersEvaluation.Evaluate(extractor, limit is { } m ? reuters.Take(m) : reuters));
        var bbc = BbcEvaluation.Read(Path.Combine(dataFolder, "bbc-news-dev"), limit is { } k ? Math.Max(1, k / 5) : null);
        measures.Add(BbcEvaluation.Evaluate(extractor, bbc));
        return measures;
    }

    /// <summary>A plain-text table: measure, precision, recall, F1 or accuracy, n.</summary>
    public static string Format(IEnumerable<Measure> measures)
    {
        var rows = measures.ToList();
        var width = Math.Max("measure".Length, rows.Count == 0 ? 0 : rows.Max(r => r.Name.Length));
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"{"measure".PadRight(width)}  precision  recall  F1/acc       n");
        foreach (var r in rows)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"{r.Name.PadRight(width)}  {Cell(r.Precision),9}  {Cell(r.Recall),6}  {Cell(r.Score),6}  {r.N,6}");
        }
        return table.ToString();
    }

    private static string Cell(double? value) => value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "-";
}
