using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Feeds;

/// <summary>New items a feed brought on one day.</summary>
public sealed record FeedDay(DateOnly Day, int Items);

/// <summary>A subscription with its health, as the Feeds page and <c>GET /api/feeds</c> show it.</summary>
public sealed record FeedHealth(
    long Id,
    string Url,
    string? Title,
    bool Enabled,
    bool FetchFullArticle,
    int PollMinutes,
    DateTime AddedAt,
    DateTime? LastPolledAt,
    DateTime? LastSuccessAt,
    string? LastError,
    DateTime? LastErrorAt,
    int ConsecutiveFailures,
    DateTime NextPollAt,
    IReadOnlyList<FeedDay> ItemsPerDay,
    int PagesWaiting = 0)
{
    /// <summary>"failing" while the last poll failed, "ok" once one succeeded since, "never" before the first poll.</summary>
    public string Health => ConsecutiveFailures > 0 ? "failing" : LastSuccessAt is not null ? "ok" : "never";

    public int ItemsLastWeek => ItemsPerDay.Sum(d => d.Items);
}

/// <summary>What an OPML import did: feeds added, already subscribed, refused with the reason.</summary>
public sealed record OpmlImport(IReadOnlyList<Feed> Added, IReadOnlyList<string> AlreadySubscribed, IReadOnlyList<string> Refused);

/// <summary>
/// The feed subscriptions: add, change, remove, list with health, OPML in and out. The page and the API both
/// come here, so validation and messages are the same in both.
/// </summary>
public sealed class FeedSubscriptions(IDbContextFactory<DashboardDb> dbFactory, FeedPoller poller, WriteTurns writeTurns, IConfiguration configuration, TimeProvider clock)
{
    public const int MinPollMinutes = 1;
    public const int MaxPollMinutes = 7 * 24 * 60;

    /// <summary>Days the health view counts items over (today included).</summary>
    public const int HealthDays = 7;

    private int DefaultPollMinutes => configuration.GetValue("Dashboard:Feeds:DefaultPollMinutes", 30);

    public async Task<IReadOnlyList<FeedHealth>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var feeds = await db.Feeds.AsNoTracking().OrderBy(f => f.Title ?? f.Url).ThenBy(f => f.Id).ToListAsync(cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var since = today.AddDays(1 - HealthDays).ToDateTime(TimeOnly.MinValue);
        // Only the ingestion times of last week's feed articles are read: at most a few thousand small rows.
        var ingested = await db.Articles.AsNoTracking().Where(a => a.FeedId != null && a.IngestedAt >= since)
            .Select(a => new { a.FeedId, a.IngestedAt }).ToListAsync(cancellationToken);
        var counts = ingested.GroupBy(a => (a.FeedId!.Value, DateOnly.FromDateTime(a.IngestedAt))).ToDictionary(g => g.Key, g => g.Count());
        // Items whose full article waits in the link queue (a site that paces requests, or is down for a moment).
        var waiting = await db.Uploads.Where(u => u.Status == UploadStatus.Fetching && u.FeedId != null)
            .GroupBy(u => u.FeedId!.Value).Select(g => new { FeedId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.FeedId, g => g.Count, cancellationToken);
        return feeds.Select(f => new FeedHealth(
            f.Id, f.Url, f.Title, f.Enabled, f.FetchFullArticle, f.PollMinutes, Utc(f.AddedAt), Utc(f.LastPolledAt), Utc(f.LastSuccessAt),
            f.LastError, Utc(f.LastErrorAt), f.ConsecutiveFailures, Utc(f.NextPollAt),
            Enumerable.Range(0, HealthDays).Select(i => today.AddDays(i + 1 - HealthDays))
                .Select(day => new FeedDay(day, counts.GetValueOrDefault((f.Id, day)))).ToList(),
            waiting.GetValueOrDefault(f.Id))).ToList();
    }

    /// <summary>Subscribes to a feed; its first poll is due at once. Returns the refusal instead when the URL is not usable or already there.</summary>
    public async Task<(Feed? Feed, string? Refusal)> AddAsync(string? url, string? title = null, bool fetchFullArticle = false, int? pollMinutes = null, CancellationToken cancellationToken = default)
    {
        if (Validate(url, pollMinutes, out var normalised) is { } refusal)
        {
            return (null, refusal);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Feeds.AnyAsync(f => f.Url == normalised, cancellationToken))
        {
            return (null, $"{normalised} is already subscribed");
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var feed = new Feed
        {
            Url = normalised,
            Title = string.IsNullOrWhiteSpace(title) ? null : title.Trim(),
            AddedAt = now,
            Enabled = true,
            FetchFullArticle = fetchFullArticle,
            PollMinutes = pollMinutes ?? DefaultPollMinutes,
            NextPollAt = now,
        };
        db.Feeds.Add(feed);
        try
        {
            using (await writeTurns.TakeAsync(cancellationToken))
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (DbUpdateException)
        {
            // Added by someone else between the check and the insert: the unique index decided.
            return (null, $"{normalised} is already subscribed");
        }
        poller.Wake();
        return (feed, null);
    }

    /// <summary>Changes what was given; null leaves a setting as it is. False when there is no such feed.</summary>
    public async Task<(bool Found, string? Refusal)> UpdateAsync(long id, bool? enabled = null, bool? fetchFullArticle = null, int? pollMinutes = null, string? title = null, CancellationToken cancellationToken = default)
    {
        if (pollMinutes is < MinPollMinutes or > MaxPollMinutes)
        {
            return (true, $"pollMinutes must be from {MinPollMinutes} to {MaxPollMinutes}");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var feed = await db.Feeds.FirstOrDefaultAsync(f => f.Id == id, cancellationToken);
        if (feed is null)
        {
            return (false, null);
        }
        if (enabled is { } on && on != feed.Enabled)
        {
            feed.Enabled = on;
            if (on)
            {
                // Switched back on: poll now rather than at a time set before it was switched off.
                feed.NextPollAt = clock.GetUtcNow().UtcDateTime;
            }
        }
        feed.FetchFullArticle = fetchFullArticle ?? feed.FetchFullArticle;
        feed.PollMinutes = pollMinutes ?? feed.PollMinutes;
        if (title is not null)
        {
            feed.Title = title.Trim().Length == 0 ? null : title.Trim();
        }
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        poller.Wake();
        return (true, null);
    }

    /// <summary>Unsubscribes. The feed's stored articles stay: they are news already counted on the dashboard.</summary>
    public async Task<bool> RemoveAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        using (await writeTurns.TakeAsync(cancellationToken))
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Its stored articles stay; the pages of its items still waiting in the link queue are not fetched any more.
            await db.Uploads.Where(u => u.FeedId == id && u.Status == UploadStatus.Fetching).ExecuteDeleteAsync(cancellationToken);
            var removed = await db.Feeds.Where(f => f.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
            await transaction.CommitAsync(cancellationToken);
            return removed;
        }
    }

    /// <summary>Subscribes to every feed the OPML lists that is not yet subscribed.</summary>
    public async Task<OpmlImport> ImportOpmlAsync(string fileName, byte[] content, CancellationToken cancellationToken = default)
    {
        var outlines = Opml.Read(fileName, content);
        if (outlines.Count == 0)
        {
            throw new ArticleParseException($"{fileName}: the OPML lists no feeds (no <outline> with an xmlUrl)");
        }
        var added = new List<Feed>();
        var already = new List<string>();
        var refused = new List<string>();
        foreach (var outline in outlines)
        {
            var (feed, refusal) = await AddAsync(outline.Url, outline.Title, cancellationToken: cancellationToken);
            if (feed is not null)
            {
                added.Add(feed);
            }
            else if (refusal!.EndsWith("already subscribed", StringComparison.Ordinal))
            {
                already.Add(outline.Url);
            }
            else
            {
                refused.Add(refusal);
            }
        }
        return new OpmlImport(added, already, refused);
    }

    public async Task<string> ExportOpmlAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var feeds = await db.Feeds.AsNoTracking().OrderBy(f => f.Id).Select(f => new OpmlOutline(f.Url, f.Title)).ToListAsync(cancellationToken);
        return Opml.Write(feeds, clock.GetUtcNow());
    }

    private static string? Validate(string? url, int? pollMinutes, out string normalised)
    {
        normalised = "";
        if (string.IsNullOrWhiteSpace(url))
        {
            return "url is required: the address of an RSS or Atom feed, or of a site whose pages name one";
        }
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            return $"'{url.Trim()}' is not an absolute http:// or https:// address";
        }
        if (pollMinutes is < MinPollMinutes or > MaxPollMinutes)
        {
            return $"pollMinutes must be from {MinPollMinutes} to {MaxPollMinutes}";
        }
        // AbsoluteUri lower-cases scheme and host, so the same feed typed twice is caught as a duplicate.
        normalised = uri.AbsoluteUri;
        return null;
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private static DateTime? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
