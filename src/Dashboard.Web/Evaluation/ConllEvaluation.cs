using Dashboard.Web.Extraction;
using Dashboard.Web.Model;

namespace Dashboard.Web.Evaluation;

/// <summary>A CoNLL-2003 document rebuilt as text, with its gold person and organisation spans.</summary>
/// <param name="Gold">Spans as UTF-16 offsets into <paramref name="Text"/>, end exclusive.</param>
public sealed record ConllDocument(string Text, IReadOnlyList<(EntityKind Kind, int Start, int End)> Gold);

/// <summary>Exact-span precision, recall and F1 of person and organisation mentions on CoNLL-2003 (PER and ORG, IOB1).</summary>
public static class ConllEvaluation
{
    /// <summary>Reads a CoNLL-2003 file: tokens joined by spaces, sentences by a line break, one document per -DOCSTART-.</summary>
    public static List<ConllDocument> Read(string path)
    {
        var documents = new List<ConllDocument>();
        var text = new System.Text.StringBuilder();
        var gold = new List<(EntityKind, int, int)>();
        string? openType = null;
        var openStart = 0;
        var lastEnd = 0;
        var newSentence = false;

        void Close()
        {
            if (openType is not null && Kind(openType) is { } kind)
            {
                gold.Add((kind, openStart, lastEnd));
            }
            openType = null;
        }

        void Flush()
        {
            Close();
            if (text.Length > 0)
            {
                documents.Add(new ConllDocument(text.ToString(), [.. gold]));
            }
            text.Clear();
            gold.Clear();
            newSentence = false;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("-DOCSTART-", StringComparison.Ordinal))
            {
                Flush();
                continue;
            }
            if (line.Length == 0)
            {
                Close();
                newSentence = text.Length > 0;
                continue;
            }
            var columns = line.Split(' ');
            var (token, tag) = (columns[0], columns[^1]);
            if (text.Length > 0)
            {
                text.Append(newSentence ? '\n' : ' ');
            }
            newSentence = false;
            var start = text.Length;
            text.Append(token);
            // IOB1: I- continues a span of the same type; B- starts a new one right after another of that type.
            var type = tag == "O" ? null : tag[2..];
            if (type is null || tag[0] == 'B' || type != openType)
            {
                Close();
                if (type is not null)
                {
                    openType = type;
                    openStart = start;
                }
            }
            lastEnd = text.Length;
        }
        Flush();
        return documents;
    }

    /// <summary>Person and organisation measures over the documents.</summary>
    public static (Measure Person, Measure Organization) Evaluate(ArticleExtractor extractor, IEnumerable<ConllDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        var counts = new Dictionary<EntityKind, (int Tp, int Fp, int Fn, int N)>
        {
            [EntityKind.Person] = default,
            [EntityKind.Organization] = default,
        };
        foreach (var document in documents)
        {
            var found = extractor.Extract(null, document.Text).Mentions
                .Where(m => m.Kind is EntityKind.Person or EntityKind.Organization)
                .Select(m => (m.Kind, m.Start, m.End))
                .ToHashSet();
            var gold = document.Gold.ToHashSet();
            foreach (var kind in counts.Keys.ToList())
            {
                var (tp, fp, fn, n) = counts[kind];
                var goldOfKind = gold.Count(g => g.Kind == kind);
                var hits = found.Count(f => f.Kind == kind && gold.Contains(f));
                counts[kind] = (tp + hits, fp + found.Count(f => f.Kind == kind) - hits, fn + goldOfKind - hits, n + goldOfKind);
            }
        }
        var person = counts[EntityKind.Person];
        var organization = counts[EntityKind.Organization];
        return (Measure.FromCounts("person, CoNLL eng.testa, exact span", person.Tp, person.Fp, person.Fn, person.N),
            Measure.FromCounts("organization, CoNLL eng.testa, exact span", organization.Tp, organization.Fp, organization.Fn, organization.N));
    }

    private static EntityKind? Kind(string type) => type switch
    {
        "PER" => EntityKind.Person,
        "ORG" => EntityKind.Organization,
        _ => null,
    };
}
