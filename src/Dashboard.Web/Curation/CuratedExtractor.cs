using Dashboard.Web.Data;
using Dashboard.Web.Extraction;
using Dashboard.Web.Model;

namespace Dashboard.Web.Curation;

/// <summary>
/// The extractor as the store uses it: <see cref="ArticleExtractor"/>'s findings with the users'
/// corrections applied on top: merged entities counted under the entity they were merged into, user-defined
/// aliases found wherever they occur as whole words, and names set aside as not actors left out.
/// </summary>
public sealed class CuratedExtractor(ArticleExtractor extractor, CurationRules rules)
{
    /// <param name="published">The article's date (<see cref="ArticleExtractor.Extract"/>: an archive's surnames are not today's people).</param>
    public ExtractionResult Extract(string? title, string text, DateOnly? published = null)
    {
        var found = extractor.Extract(title, text, published);
        var snapshot = rules.Current;
        if (snapshot.Merges.Count == 0 && snapshot.Aliases.Count == 0 && snapshot.Ignored.Count == 0)
        {
            return found;
        }

        var mentions = found.Mentions.Select(m => snapshot.Merges.TryGetValue((m.Kind, m.Key), out var into)
            ? m with { Kind = into.Kind, Key = into.Key, Name = into.Name }
            : m).Where(m => !snapshot.Ignored.Contains((m.Kind, m.Key))).ToList();
        if (snapshot.Aliases.Count > 0)
        {
            AddUserAliases(mentions, snapshot.Aliases, title, "title");
            AddUserAliases(mentions, snapshot.Aliases, text, "text");
        }
        var focus = found.Focus
            .Select(code => snapshot.Merges.TryGetValue((EntityKind.Country, code), out var into) ? into.Key : code)
            .Distinct(StringComparer.Ordinal).ToList();
        var topics = found.Topics
            .Select(t => snapshot.Merges.TryGetValue((EntityKind.Topic, t.Key), out var into) ? t with { Key = into.Key, Name = into.Name } : t)
            .GroupBy(t => t.Key).Select(g => g.MaxBy(t => t.Score)!).ToList();
        return new ExtractionResult(mentions.OrderBy(m => m.Field, StringComparer.Ordinal).ThenBy(m => m.Start).ToList(), focus, topics);
    }

    /// <summary>
    /// Extracts again, under the rules in force now, each article of a prepared batch whose findings name an entity merged
    /// away or set aside since it was extracted; returns whether any was. The writer calls this holding its write turn,
    /// which a merge or a setting aside also holds until its rules are in force: without it, a batch extracted just
    /// before a correction would write the corrected entity back after it.
    /// </summary>
    public bool Refresh(List<ArticleWriter.ArticleRows> batch)
    {
        var snapshot = rules.Current;
        if (snapshot.Merges.Count == 0 && snapshot.Ignored.Count == 0)
        {
            return false;
        }
        var refreshed = false;
        for (var i = 0; i < batch.Count; i++)
        {
            var (article, rows) = batch[i];
            foreach (var row in rows)
            {
                if (Corrected(snapshot, row.Kind, row.Key))
                {
                    batch[i] = ArticleWriter.Rows(article, Extract(article.Title, article.Text, article.PublishedDate));
                    refreshed = true;
                    break;
                }
            }
        }
        return refreshed;
    }

    /// <summary>
    /// <paramref name="found"/> as it stands under the rules in force now: extracted again from <paramref name="title"/> and
    /// <paramref name="text"/> when it names an entity merged away or set aside since (see <see cref="Refresh(List{ArticleWriter.ArticleRows})"/>).
    /// </summary>
    public ExtractionResult Refresh(string? title, string text, ExtractionResult found, DateOnly? published = null)
    {
        var snapshot = rules.Current;
        var outdated = found.Mentions.Any(m => Corrected(snapshot, m.Kind, m.Key))
            || found.Topics.Any(t => Corrected(snapshot, EntityKind.Topic, t.Key))
            || found.Focus.Any(code => Corrected(snapshot, EntityKind.Country, code));
        return outdated ? Extract(title, text, published) : found;
    }

    private static bool Corrected(CurationRules.Snapshot snapshot, EntityKind kind, string key) =>
        snapshot.Merges.ContainsKey((kind, key)) || snapshot.Ignored.Contains((kind, key));

    /// <summary>
    /// Adds each whole-word, case-sensitive occurrence of a user alias. The user's word wins over an
    /// overlapping finding for another entity; a finding for the same entity is kept as it was.
    /// </summary>
    private static void AddUserAliases(List<ExtractedMention> mentions, IReadOnlyList<UserAlias> aliases, string? source, string field)
    {
        if (string.IsNullOrEmpty(source))
        {
            return;
        }
        foreach (var alias in aliases)
        {
            for (var at = source.IndexOf(alias.Text, StringComparison.Ordinal); at >= 0; at = source.IndexOf(alias.Text, at + 1, StringComparison.Ordinal))
            {
                var end = at + alias.Text.Length;
                var wholeWord = (at == 0 || !char.IsLetterOrDigit(source[at - 1])) && (end == source.Length || !char.IsLetterOrDigit(source[end]));
                if (!wholeWord || mentions.Any(m => m.Field == field && m.Start < end && at < m.End && m.Kind == alias.Entity.Kind && m.Key == alias.Entity.Key))
                {
                    continue;
                }
                mentions.RemoveAll(m => m.Field == field && m.Start < end && at < m.End);
                mentions.Add(new ExtractedMention(alias.Entity.Kind, alias.Entity.Key, alias.Entity.Name, at, end, "user-alias", field));
            }
        }
    }
}
