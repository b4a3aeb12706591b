using System.Runtime.InteropServices;
using Dashboard.Web.Model;

namespace Dashboard.Web.Data;

/// <summary>
/// A batch's mention rows grouped by entity, each entity's rows in the order of the chart index (date, then article),
/// with the entity's other names gathered once. The single writer then looks each entity up once, orders a few
/// thousand entities by id instead of sorting a hundred thousand rows, and adds each (entity, day) to the counts
/// once: this is built beside the writer, on the preparing side of a bulk import, where it costs the critical path
/// nothing (a timing of the writer's mention phase, stop 24: 1.4 s of its 7.7 s per 100,000 articles were this
/// grouping, sorting and counting, row by row).
/// </summary>
public sealed class MentionGroups
{
    /// <summary>One entity of the batch and its rows; the writer fills in <see cref="Id"/> and <see cref="StoredName"/>.</summary>
    public sealed class Group(EntityKind kind, string key, string name)
    {
        public EntityKind Kind { get; } = kind;
        public string Key { get; } = key;
        public string Name { get; } = name;

        /// <summary>
        /// The rows, as (index of the article in the batch, index of the row in the article's mentions), in date then
        /// article order once built. Positions rather than copies of the rows: a prepared batch waits for the writer
        /// through collections that copy what it holds, and copies of the rows (80 bytes and four references each) were
        /// a tenth of all a bulk import allocated.
        /// </summary>
        public List<(int Article, int Row)> Rows { get; } = [];

        /// <summary>The names the batch's articles call the entity by (the name itself among them, at times).</summary>
        public HashSet<string>? Aliases { get; set; }

        public long Id { get; set; }
        public string StoredName { get; set; } = name;
    }

    private MentionGroups(IReadOnlyList<ArticleWriter.ArticleRows> articles, List<Group> groups, int rows)
    {
        Articles = articles;
        Entities = groups;
        RowCount = rows;
    }

    /// <summary>The batch these groups were built from: the writer checks it is writing the same one.</summary>
    public IReadOnlyList<ArticleWriter.ArticleRows> Articles { get; }

    /// <summary>The entities in the order of their first mention in the batch.</summary>
    public List<Group> Entities { get; }

    public int RowCount { get; }

    // Compiled optimised at once, as ArticleWriter.WriteMentions: a loop over a batch's every mention, run once per batch.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static MentionGroups Of(IReadOnlyList<ArticleWriter.ArticleRows> articles)
    {
        var byKey = new Dictionary<(EntityKind, string), Group>();
        var groups = new List<Group>();
        var rows = 0;
        for (var i = 0; i < articles.Count; i++)
        {
            var mentions = articles[i].Mentions;
            for (var r = 0; r < mentions.Count; r++)
            {
                var row = mentions[r];
                ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(byKey, (row.Kind, row.Key), out var seen);
                if (!seen)
                {
                    group = new Group(row.Kind, row.Key, row.Name);
                    groups.Add(group);
                }
                group!.Rows.Add((i, r));
                foreach (var alias in row.Aliases)
                {
                    (group.Aliases ??= new HashSet<string>(StringComparer.Ordinal)).Add(alias);
                }
                rows++;
            }
        }
        foreach (var group in groups)
        {
            // Rows were added in article order: sorted by day, with their position as the tie-break, they keep that
            // order within a day.
            if (group.Rows.Count > 1)
            {
                var keyed = CollectionsMarshal.AsSpan(group.Rows);
                var keys = new long[keyed.Length];
                var sorted = true;
                for (var k = 0; k < keyed.Length; k++)
                {
                    keys[k] = ((long)articles[keyed[k].Article].Article.PublishedDate.DayNumber << 32) | (uint)k;
                    sorted &= k == 0 || keys[k] > keys[k - 1];
                }
                if (!sorted)
                {
                    Array.Sort(keys);
                    var before = keyed.ToArray();
                    for (var k = 0; k < keyed.Length; k++)
                    {
                        keyed[k] = before[(int)(keys[k] & uint.MaxValue)];
                    }
                }
            }
        }
        return new MentionGroups(articles, groups, rows);
    }
}
