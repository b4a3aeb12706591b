using System.Text;
using Dashboard.Web.Extraction;

namespace Dashboard.Web.Evaluation;

/// <summary>A BBC News article (first line the title) and its category: business, entertainment, politics, sport or tech.</summary>
public sealed record BbcArticle(string Category, string Title, string Text);

/// <summary>Accuracy of the top topic, read as its top-level topic, against the BBC News categories.</summary>
public static class BbcEvaluation
{
    /// <summary>Which BBC category each of our top-level topics stands for; topics not listed match none.</summary>
    public static readonly IReadOnlyDictionary<string, string> CategoryOfTopic = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["business"] = "business",
        ["economy-and-trade"] = "business",
        ["culture-and-entertainment"] = "entertainment",
        ["politics"] = "politics",
        ["sport"] = "sport",
        ["science-and-technology"] = "tech",
    };

    /// <summary>Articles of each category folder, in file-name order, at most <paramref name="perCategory"/> of each.</summary>
    public static List<BbcArticle> Read(string folder, int? perCategory = null)
    {
        var articles = new List<BbcArticle>();
        foreach (var category in Directory.EnumerateDirectories(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            var files = Directory.EnumerateFiles(Path.Combine(folder, category!), "*.txt").Order(StringComparer.Ordinal);
            foreach (var file in perCategory is { } n ? files.Take(n) : files)
            {
                // Latin-1 reads every byte: one file of the set is not valid UTF-8.
                var lines = File.ReadAllText(file, Encoding.Latin1).Split('\n', 2);
                articles.Add(new BbcArticle(category!, lines[0].Trim(), lines.Length > 1 ? lines[1] : ""));
            }
        }
        return articles;
    }

    /// <summary>The share of articles whose highest-scoring topic maps to their category.</summary>
    public static Measure Evaluate(ArticleExtractor extractor, IEnumerable<BbcArticle> articles)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        var parents = extractor.Taxonomy.Topics.ToDictionary(t => t.Key, t => t.Parent, StringComparer.Ordinal);
        int right = 0, total = 0;
        foreach (var article in articles)
        {
            total++;
            var topics = extractor.Extract(article.Title, article.Text).Topics;
            if (topics.Count == 0)
            {
                continue;
            }
            var top = topics[0].Key;
            while (parents.GetValueOrDefault(top) is { } parent)
            {
                top = parent;
            }
            right += CategoryOfTopic.GetValueOrDefault(top) == article.Category ? 1 : 0;
        }
        return new Measure("top topic vs BBC category, bbc-news-dev", null, null, total == 0 ? 0 : right / (double)total, total);
    }
}
