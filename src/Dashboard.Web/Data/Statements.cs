using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using System.Text;
using Dashboard.Web.Extraction;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Data;

/// <summary>
/// What a speaker said in one article: <see cref="Quote"/> is the words attributed to them, <see cref="Sentence"/> the
/// sentence (or quotation with its attribution) they were found in.
/// </summary>
/// <param name="SpokenAs">The speaker's name as the article writes it there ("Bagheri", "the Algerian foreign minister").</param>
/// <param name="Verb">How the article reports it: "said", "warned", "called for", "according to".</param>
/// <param name="Quoted">Whether the words are the speaker's own, between quotation marks, or reported speech.</param>
public sealed record Statement(long ArticleId, string Title, DateOnly Date, string? Source, string? Url,
    string SpokenAs, string Quote, string Sentence, string Verb, bool Quoted)
{
    /// <summary>How many other articles read carry the same words (wire copies): listed once, with this count.</summary>
    public int Copies { get; init; }

    /// <summary>Who said it: the entity, whatever the article called it (<see cref="SpokenAs"/>).</summary>
    public EntityRef Speaker { get; init; } = null!;

    /// <summary>The speaker's name as stored.</summary>
    public string SpeakerName { get; init; } = "";
}

/// <summary>A statement on its article's page: who said it, and where (<paramref name="Field"/>, <paramref name="Start"/>) the words stand.</summary>
public sealed record ArticleStatement(EntityRef Speaker, string Name, string Field, int Start, string Verb, string Quote, bool Quoted);

/// <summary>One of a view's most quoted: how many distinct statements of theirs its newest articles carry, in how many articles.</summary>
public sealed record Voice(EntityRef Entity, string Name, int Statements, int Articles);

/// <summary>A view's most quoted, read from its newest <paramref name="ArticlesRead"/> articles.</summary>
public sealed record VoicePage(IReadOnlyList<Voice> Voices, int ArticlesRead);

/// <summary>A speaker's latest statements and how many of their articles were read to find them.</summary>
/// <param name="ArticlesRead">Articles read, newest first; at most <see cref="Statements.MaxArticlesRead"/>.</param>
/// <param name="ReadAll">Whether every article of the view was read, so an empty list means none says anything of theirs.</param>
public sealed record StatementPage(IReadOnlyList<Statement> Statements, int ArticlesRead, bool ReadAll);

/// <summary>
/// What people and organisations said, read from the articles that name them (<see cref="StatementFinder"/>) when asked,
/// not at ingestion: it costs nothing to store, follows every correction of an entity at once (a merged alias, a renamed
/// person) and reads only the articles of the view being looked at.
/// </summary>
public sealed class Statements(IDbContextFactory<DashboardDb> dbFactory, DashboardQueries queries)
{
    /// <summary>How many of a speaker's newest articles the page reads for its latest statements.</summary>
    public const int MaxArticlesRead = 2_000;

    private const int ArticlesPerRead = 200;

    /// <summary>Who may be read as speaking: a country speaks through its government ("Iran said").</summary>
    private static readonly EntityKind[] SpeakerKinds = [EntityKind.Country, EntityKind.Person, EntityKind.Organization];

    /// <summary>
    /// Who is counted among a view's voices: its actors, people and organisations. Countries are left out, as
    /// "Iran said" stands for a government's spokesman whom the article may name too.
    /// </summary>
    private static readonly EntityKind[] VoiceKinds = [EntityKind.Person, EntityKind.Organization];

    /// <summary>
    /// The newest statements of <paramref name="speaker"/> in the filter's articles, one per distinct wording (a wire
    /// story's copies are one statement, counted in <see cref="Statement.Copies"/>); with <paramref name="about"/>, only
    /// those whose words name it ("what Raisi said about Israel"); without a speaker, everyone's (words naming
    /// <paramref name="about"/>: "what was said about Israel").
    /// </summary>
    public async Task<StatementPage> LatestAsync(EntityRef? speaker, ArticleFilter filter, EntityRef? about, int limit, CancellationToken cancellationToken = default)
    {
        var found = new List<Statement>();
        var byWording = new Dictionary<string, int>(StringComparer.Ordinal);
        var read = 0;
        var readAll = true;
        await foreach (var (statement, articlesRead) in ReadAsync(speaker, filter, about, MaxArticlesRead, cancellationToken))
        {
            read = articlesRead;
            // Copies are the same words of the same speaker: two people saying "we will respond" are two statements.
            var wording = statement.Speaker + "\n" + Wording(statement.Quote);
            if (byWording.TryGetValue(wording, out var index))
            {
                found[index] = found[index] with { Copies = found[index].Copies + 1 };
                continue;
            }
            if (found.Count == limit)
            {
                // One more distinct statement than asked for: there is more to read.
                readAll = false;
                break;
            }
            byWording[wording] = found.Count;
            found.Add(statement);
        }
        if (readAll)
        {
            // Every article was read, up to the cap: how many that was, and whether the cap left some unread.
            var total = (await queries.TimelineAsync(SpeakerFilter(speaker, filter, about), 0, 0, cancellationToken)).Total;
            readAll = total <= MaxArticlesRead;
            read = Math.Min(total, MaxArticlesRead);
        }
        return new StatementPage(found, read, readAll);
    }

    /// <summary>
    /// How many of a view's newest articles its voices are counted over: every actor's statements in each are read when
    /// the dashboard refreshes, so fewer than the Words card's 300 (79.5 to 108.6 ms p95 with 300 over a million articles).
    /// </summary>
    public const int VoiceSample = 200;

    /// <summary>
    /// Who gets a voice in a view: the people and organisations its newest <see cref="VoiceSample"/> articles
    /// quote or report most, by distinct statements (a wire story's copies say it once), not by how often they are named.
    /// </summary>
    public async Task<VoicePage> VoicesAsync(ArticleFilter filter, int limit, CancellationToken cancellationToken = default)
    {
        var ids = await queries.NewestArticleIdsAsync(filter, 0, VoiceSample, cancellationToken);
        if (ids.Count == 0)
        {
            return new VoicePage([], 0);
        }
        var statements = await FindAsync(ids, null, null, VoiceKinds, cancellationToken);
        var voices = statements.GroupBy(s => s.Speaker)
            .Select(g => new Voice(g.Key, g.First().SpeakerName, g.Select(s => Wording(s.Quote)).Distinct(StringComparer.Ordinal).Count(), g.Select(s => s.ArticleId).Distinct().Count()))
            .OrderByDescending(v => v.Statements).ThenByDescending(v => v.Articles).ThenBy(v => v.Name, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        return new VoicePage(voices, ids.Count);
    }

    /// <summary>Every statement of <paramref name="speaker"/> in the filter's articles, newest article first, copies included: the export.</summary>
    public async IAsyncEnumerable<Statement> AllAsync(EntityRef? speaker, ArticleFilter filter, EntityRef? about, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var (statement, _) in ReadAsync(speaker, filter, about, int.MaxValue, cancellationToken))
        {
            yield return statement;
        }
    }

    /// <summary>The articles a speaker's statements are looked for in: the filter's that name the speaker (and what they spoke about).</summary>
    private static ArticleFilter SpeakerFilter(EntityRef? speaker, ArticleFilter filter, EntityRef? about)
    {
        var articles = speaker is null ? filter : filter.WithEntity(speaker);
        return about is null ? articles : articles.WithEntity(about);
    }

    /// <summary>
    /// The statements of the filter's articles that name the speaker (and <paramref name="about"/>), newest article
    /// first, with how many articles were read so far; without a speaker, everyone's statements whose words name
    /// <paramref name="about"/>.
    /// </summary>
    private async IAsyncEnumerable<(Statement Statement, int ArticlesRead)> ReadAsync(EntityRef? speaker, ArticleFilter filter, EntityRef? about, int maxArticles,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long? speakerId = null, aboutId = null;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (speaker is not null && (speakerId = await IdAsync(db, speaker, cancellationToken)) is null
                || about is not null && (aboutId = await IdAsync(db, about, cancellationToken)) is null)
            {
                yield break;
            }
        }
        var articleFilter = SpeakerFilter(speaker, filter, about);
        var read = 0;
        while (read < maxArticles)
        {
            var ids = await queries.NewestArticleIdsAsync(articleFilter, read, Math.Min(ArticlesPerRead, maxArticles - read), cancellationToken);
            if (ids.Count == 0)
            {
                yield break;
            }
            var statements = await FindAsync(ids, speakerId, aboutId, SpeakerKinds, cancellationToken);
            read += ids.Count;
            foreach (var statement in statements)
            {
                yield return (statement, read);
            }
        }
    }

    private static Task<long?> IdAsync(DashboardDb db, EntityRef entity, CancellationToken cancellationToken) =>
        db.Entities.Where(e => e.Kind == entity.Kind && e.Key == entity.Key).Select(e => (long?)e.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The statements of these articles, in the order of <paramref name="ids"/>: the speaker's, or (without one) those of
    /// every country, person and organisation the articles name; with <paramref name="aboutId"/>, only words naming it.
    /// </summary>
    private async Task<List<Statement>> FindAsync(List<long> ids, long? speakerId, long? aboutId, IReadOnlyCollection<EntityKind> speakerKinds, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var articles = await db.Articles.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.Title, a.Text, a.PublishedDate, a.Source, a.Url })
            .ToDictionaryAsync(a => a.Id, cancellationToken);
        // Whose spans to read. A mention row is read at random in a large store: every row of 300 articles cost more
        // than finding the statements in them, so the articles' entities come from the (ArticleId, EntityId) index
        // alone, and rows are read only for those who may speak, the subject, and the people a "he said" stops at.
        var named = await db.Mentions.AsNoTracking().Where(m => ids.Contains(m.ArticleId))
            .Select(m => new { m.EntityId, m.Entity!.Kind, m.Entity.Key, m.Entity.Name })
            .Distinct()
            .ToListAsync(cancellationToken);
        // Everyone who may speak, the subject, and the people a "he said" must not follow back past.
        var speakerKind = speakerId is { } one ? named.FirstOrDefault(e => e.EntityId == one)?.Kind : null;
        bool Wanted(EntityKind kind, long id) => id == aboutId || (speakerId is { } speaker
            ? id == speaker || (speakerKind is EntityKind.Person or EntityKind.Organization && kind == speakerKind)
            : speakerKinds.Contains(kind) || kind is EntityKind.Person or EntityKind.Organization);
        var entities = named.Where(e => Wanted(e.Kind, e.EntityId)).ToDictionary(e => e.EntityId, e => (e.Kind, e.Key, e.Name));
        var entityIds = entities.Keys.ToList();
        // "+ 0" keeps SQLite on the (ArticleId, EntityId) index, which checks the entity before reading the row; on the
        // entity's own index it would read every mention of each entity in the store.
        var spans = await db.Mentions.AsNoTracking().Where(m => ids.Contains(m.ArticleId) && entityIds.Contains(m.EntityId + 0))
            .Select(m => new { m.ArticleId, m.EntityId, m.Spans })
            .ToListAsync(cancellationToken);
        var rows = spans.Select(m => new SpeakerSpans(m.ArticleId, m.EntityId, entities[m.EntityId].Kind, entities[m.EntityId].Key, entities[m.EntityId].Name, m.Spans)).ToList();
        var byArticle = rows.ToLookup(r => r.ArticleId);
        var statements = new List<Statement>();
        foreach (var id in ids)
        {
            if (!articles.TryGetValue(id, out var article))
            {
                continue;
            }
            var subject = aboutId is null ? null : byArticle[id].FirstOrDefault(r => r.EntityId == aboutId)?.Spans;
            var actors = byArticle[id].Where(r => r.Kind is EntityKind.Person or EntityKind.Organization).ToList();
            // A headline that is the first line of the text says it twice: one statement per speaker and wording in an article.
            var wordings = new HashSet<(long, string)>();
            // Each field is split into sentences once, for all of its speakers, and only when one of them is named there.
            List<(int Start, int End)>? titleSentences = null, textSentences = null;
            foreach (var speaker in byArticle[id].Where(r => speakerId is { } wanted ? r.EntityId == wanted : r.EntityId != aboutId && speakerKinds.Contains(r.Kind)))
            {
                foreach (var (field, text) in new[] { ("title", article.Title), ("text", article.Text) })
                {
                    var speakerSpans = SpeakingSpans(speaker.Kind, speaker.Spans, field);
                    if (speakerSpans.Count == 0)
                    {
                        continue;
                    }
                    var sentences = field == "title"
                        ? titleSentences ??= StatementFinder.SentenceList(text)
                        : textSentences ??= StatementFinder.SentenceList(text);
                    foreach (var found in Said(speaker.Kind, text, sentences, speakerSpans, () => OthersSpans(actors, speaker, field)))
                    {
                        if (aboutId is not null && !(subject is not null && subject.Any(s => s.Field == field && s.Start >= found.QuoteStart && s.End <= found.QuoteEnd)))
                        {
                            continue;
                        }
                        if (!wordings.Add((speaker.EntityId, Wording(text[found.QuoteStart..found.QuoteEnd]))))
                        {
                            continue;
                        }
                        statements.Add(new Statement(article.Id, article.Title, article.PublishedDate, article.Source, article.Url,
                            text[found.SpeakerStart..found.SpeakerEnd], text[found.QuoteStart..found.QuoteEnd],
                            text[found.SentenceStart..found.SentenceEnd].Trim(), found.Verb, found.Quoted)
                        {
                            Speaker = new EntityRef(speaker.Kind, speaker.Key),
                            SpeakerName = speaker.Name,
                        });
                    }
                }
            }
        }
        return statements;
    }

    /// <summary>
    /// A speaker's statements in a field: those that name them, and those "he said" (for a person) or "the company said"
    /// (for an organisation) goes on with, up to the next person or organisation of the same kind (<paramref name="others"/>).
    /// </summary>
    private static IEnumerable<FoundStatement> Said(EntityKind kind, string text, List<(int Start, int End)> sentences, List<(int Start, int End)> speakerSpans,
        Func<List<(int Start, int End)>> others)
    {
        var found = StatementFinder.Find(text, sentences, speakerSpans);
        return kind is not (EntityKind.Person or EntityKind.Organization) || found.Count == 0
            ? found
            : found.Concat(StatementFinder.FindContinuations(text, sentences, found, others(), organisation: kind == EntityKind.Organization)).OrderBy(f => f.SentenceStart);
    }

    /// <summary>Where in <paramref name="field"/> other actors of the speaker's kind are named.</summary>
    private static List<(int Start, int End)> OthersSpans(IEnumerable<SpeakerSpans> actors, SpeakerSpans speaker, string field) =>
        actors.Where(a => a.EntityId != speaker.EntityId && a.Kind == speaker.Kind).SelectMany(a => a.Spans).Where(s => s.Field == field).Select(s => (s.Start, s.End)).ToList();

    private sealed record SpeakerSpans(long ArticleId, long EntityId, EntityKind Kind, string Key, string Name, List<MentionSpan> Spans);

    /// <summary>Who said what in one article, in the order of the text (the headline first): every person, organisation and country it names.</summary>
    public static IReadOnlyList<ArticleStatement> InArticle(ArticleDetail article)
    {
        var said = new List<ArticleStatement>();
        foreach (var mention in article.Mentions.Where(m => m.Kind != EntityKind.Topic))
        {
            var wordings = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (field, text) in new[] { ("title", article.Title), ("text", article.Text) })
            {
                var spans = SpeakingSpans(mention.Kind, mention.Spans, field);
                if (spans.Count == 0)
                {
                    continue;
                }
                var others = () => article.Mentions.Where(m => m.Kind == mention.Kind && m != mention)
                    .SelectMany(m => m.Spans).Where(s => s.Field == field).Select(s => (s.Start, s.End)).ToList();
                foreach (var found in Said(mention.Kind, text, StatementFinder.SentenceList(text), spans, others))
                {
                    var quote = text[found.QuoteStart..found.QuoteEnd];
                    if (wordings.Add(Wording(quote)))
                    {
                        said.Add(new ArticleStatement(new EntityRef(mention.Kind, mention.Key), mention.Name, field, found.QuoteStart, found.Verb, quote, found.Quoted));
                    }
                }
            }
        }
        return said.OrderBy(s => s.Field == "title" ? 0 : 1).ThenBy(s => s.Start).ToList();
    }

    /// <summary>How a country speaks: by its name, another name of it or its capital ("Tehran said"). A demonym, a town or
    /// a region of it ("a Paradise Valley, Ariz., maker said") stands beside someone else who speaks.</summary>
    private static readonly FrozenSet<string> CountryVoices = FrozenSet.ToFrozenSet(["name", "alias", "capital", "acronym"], StringComparer.Ordinal);

    /// <summary>Where in <paramref name="field"/> an entity is named in a way that can speak.</summary>
    private static List<(int Start, int End)> SpeakingSpans(EntityKind kind, IEnumerable<MentionSpan> spans, string field) =>
        spans.Where(s => s.Field == field && (kind != EntityKind.Country || CountryVoices.Contains(s.Via))).Select(s => (s.Start, s.End)).ToList();

    /// <summary>A statement's words as compared across copies: letters and digits, lower case, so a curly quote or a comma more is the same statement.</summary>
    internal static string Wording(string quote)
    {
        var wording = new StringBuilder(quote.Length);
        foreach (var c in quote)
        {
            if (char.IsLetterOrDigit(c))
            {
                wording.Append(char.ToLowerInvariant(c));
            }
        }
        return wording.ToString();
    }
}
