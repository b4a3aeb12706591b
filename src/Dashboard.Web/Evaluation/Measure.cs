namespace Dashboard.Web.Evaluation;

/// <summary>One row of the evaluation table: precision and recall (null for an accuracy), the combined score, and how many items were judged.</summary>
/// <param name="Score">F1 for span and set measures, accuracy for classification.</param>
/// <param name="N">Gold spans for span measures, stories or articles for the others.</param>
public sealed record Measure(string Name, double? Precision, double? Recall, double Score, int N)
{
    /// <summary>A precision/recall measure from counts of true positives, false positives and false negatives.</summary>
    public static Measure FromCounts(string name, int truePositives, int falsePositives, int falseNegatives, int n)
    {
        var precision = Ratio(truePositives, truePositives + falsePositives);
        var recall = Ratio(truePositives, truePositives + falseNegatives);
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new Measure(name, precision, recall, f1, n);
    }

    private static double Ratio(int part, int whole) => whole == 0 ? 0 : part / (double)whole;
}
