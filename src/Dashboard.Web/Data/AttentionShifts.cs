using Dashboard.Web.Model;

namespace Dashboard.Web.Data;

/// <summary>An entity whose coverage changed from one period to the next of the same length.</summary>
/// <param name="Articles">Its articles (or stories) in the period.</param>
/// <param name="Before">Its articles (or stories) in the period before.</param>
/// <param name="Expected">What <paramref name="Before"/> becomes at the period's volume of news: more news overall is not more attention.</param>
/// <param name="Score">How far <paramref name="Articles"/> is from <paramref name="Expected"/>, in standard deviations of a count that size.</param>
public sealed record AttentionChange(EntityRef Entity, string Name, int Articles, int Before, double Expected, double Score)
{
    /// <summary>Not named at all in the period before.</summary>
    public bool IsNew => Before == 0;
}

/// <summary>A view's period against the one before it: what gained attention and what lost it.</summary>
/// <param name="Articles">Every article of the view in the period (the volume <see cref="AttentionChange.Expected"/> scales by).</param>
/// <param name="ArticlesBefore">Every article of the view in the period before.</param>
/// <param name="DefaultPeriod">The view has no start date, so the period is its last <see cref="AttentionShifts.DefaultDays"/> days.</param>
public sealed record AttentionShift(DateOnly From, DateOnly To, DateOnly BeforeFrom, DateOnly BeforeTo, int Articles, int ArticlesBefore,
    bool DefaultPeriod, IReadOnlyList<AttentionChange> Rising, IReadOnlyList<AttentionChange> Fading)
{
    public int Days => To.DayNumber - From.DayNumber + 1;
}

/// <summary>
/// What is rising and what is fading, as Europe Media Monitor flags a story breaking and GDELT's users look for a
/// spike: each entity's count in a period against its count in the period before, scaled by how much news each period
/// had, so a busy week does not make everything rise. The score is the difference over the square root of the expected
/// count (a Poisson count's spread), plus one so a first mention is not infinitely surprising: five new articles on a
/// quiet name score about as high as fifty more on a name always in the news.
/// </summary>
public static class AttentionShifts
{
    /// <summary>A view without a start date is compared over its last week against the week before.</summary>
    public const int DefaultDays = 7;

    /// <summary>A rise needs at least this many articles in the period, a fall at least this many in the period before.</summary>
    public const int MinArticles = 3;

    /// <summary>The smallest change worth showing: at least half as much again (or a third less), and this many standard deviations.</summary>
    private const double MinRatio = 1.5;
    private const double MinScore = 2.0;

    /// <summary>One entity's counts in both periods, by id: names are read only for the few that make a list.</summary>
    public readonly record struct Counts(EntityKind Kind, long EntityId, int Articles, int Before);

    /// <summary>An entity that made a list, with what it was expected to have and how surprising it is.</summary>
    public readonly record struct Ranked(Counts Counts, double Expected, double Score);

    /// <summary>
    /// The entities that rose and fell most, most surprising first. Without articles in the period before there is
    /// nothing to compare with, and both lists are empty.
    /// </summary>
    public static (List<Ranked> Rising, List<Ranked> Fading) Rank(IEnumerable<Counts> counts, int articles, int articlesBefore, int limit)
    {
        var rising = new List<Ranked>();
        var fading = new List<Ranked>();
        if (articles == 0 || articlesBefore == 0)
        {
            return (rising, fading);
        }
        var scale = (double)articles / articlesBefore;
        foreach (var entity in counts)
        {
            var expected = entity.Before * scale;
            var score = (entity.Articles - expected) / Math.Sqrt(expected + 1);
            // The counts themselves must move the same way: a name in more articles than before, in a period with
            // far more news, has lost share, but listing it under "fading" beside "+200%" reads as a mistake.
            if (entity.Articles >= MinArticles && entity.Articles > entity.Before && entity.Articles >= expected * MinRatio && score >= MinScore)
            {
                rising.Add(new Ranked(entity, expected, score));
            }
            else if (entity.Before >= MinArticles && entity.Articles < entity.Before && entity.Articles * MinRatio <= expected && score <= -MinScore)
            {
                fading.Add(new Ranked(entity, expected, score));
            }
        }
        // Ties (common among small counts) go to the larger count, then to a stable order.
        return (
            rising.OrderByDescending(r => r.Score).ThenByDescending(r => r.Counts.Articles).ThenBy(r => r.Counts.Kind).ThenBy(r => r.Counts.EntityId).Take(limit).ToList(),
            fading.OrderBy(f => f.Score).ThenByDescending(f => f.Counts.Before).ThenBy(f => f.Counts.Kind).ThenBy(f => f.Counts.EntityId).Take(limit).ToList());
    }
}
