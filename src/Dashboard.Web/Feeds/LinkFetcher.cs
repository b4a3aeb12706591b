using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Ingestion.Parsers;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Feeds;

/// <summary>
/// Fetches the pages of queued links (uploads waiting with <see cref="UploadStatus.Fetching"/>: a file of links, a
/// link file, a long pasted list) in the background, and queues each page for ingestion as <see cref="ArticleLinks"/>
/// does for a link fetched at once. Polite to the sites it reads: one request per site at a time, a pause between two
/// to the same site, and the wait a site asks for ("429 Too Many Requests", Retry-After) kept. A failure that may pass
/// (a timeout, a server error) is tried again later, a few times, each wait longer; one that will not (404, a page with
/// no article) fails the link with the reason, and it can be retried from the Upload page. The links live in the store,
/// so a restart goes on where the fetcher was. A link being fetched is held (<see cref="Hold"/>): another fetcher on
/// the same store passes it by, and a page fetched but not yet queued when the process died is fetched again once the
/// hold runs out.
/// </summary>
public sealed class LinkFetcher(
    IDbContextFactory<DashboardDb> dbFactory,
    IngestQueue queue,
    ArticleLinks links,
    WriteTurns writeTurns,
    ArticleNotifier notifier,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<LinkFetcher> logger) : BackgroundService
{
    /// <summary>Pages fetched at once, each from a different site.</summary>
    private int Parallel => Math.Max(1, configuration.GetValue("Dashboard:Links:Parallel", 4));

    /// <summary>The pause between two requests to the same site.</summary>
    private TimeSpan SiteGap => TimeSpan.FromSeconds(Math.Max(0, configuration.GetValue("Dashboard:Links:SiteGapSeconds", 2.0)));

    /// <summary>Tries per link, the first included, when its failures may pass.</summary>
    private int MaxAttempts => Math.Max(1, configuration.GetValue("Dashboard:Links:MaxAttempts", 4));

    /// <summary>The wait after the first failure that may pass; each next one waits four times as long.</summary>
    private TimeSpan FirstRetry => TimeSpan.FromSeconds(Math.Max(0, configuration.GetValue("Dashboard:Links:FirstRetrySeconds", 60.0)));

    /// <summary>The longest wait the fetcher keeps, whatever a site asks for.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(6);

    /// <summary>How long the fetcher sleeps at most when nothing is due, so a link that falls due is not left waiting.</summary>
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Fetches run side by side, each from another site; as soon as one ends, its slot is given to the next due
        // link, so one slow site does not hold up the others.
        var running = new Dictionary<long, (Task Fetch, string Site)>();
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var pick = await PickAsync(Parallel - running.Count, running.Keys.ToHashSet(), running.Values.Select(r => r.Site).ToHashSet(StringComparer.OrdinalIgnoreCase), stoppingToken);
                foreach (var link in pick.Links)
                {
                    running[link.Id] = (FetchOneAsync(link.Id, link.Url, link.Attempts, LinkHints.Read(link.Hints), stoppingToken), link.Url.Authority);
                }
                wait = pick.Links.Count > 0 ? TimeSpan.Zero : pick.Wait;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // A store error (a locked or full disk) must not end the service: the links stay queued.
                logger.LogError(ex, "Fetching queued links failed; trying again shortly");
                wait = TimeSpan.FromSeconds(5);
            }
            if (running.Count >= Parallel || (running.Count > 0 && wait > TimeSpan.Zero))
            {
                // A slot frees when a fetch ends; a link queued or a site's pause ending meanwhile is seen after that.
                await Task.WhenAny(running.Values.Select(r => r.Fetch).Append(Task.Delay(wait == TimeSpan.Zero ? IdleCheck : wait, stoppingToken))).ConfigureAwait(false);
            }
            else if (running.Count == 0 && wait > TimeSpan.Zero)
            {
                try
                {
                    await queue.WaitForLinksAsync(wait, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            foreach (var done in running.Where(r => r.Value.Fetch.IsCompleted).ToList())
            {
                running.Remove(done.Key);
                if (done.Value.Fetch.Exception is { } failed && !stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(failed, "Fetching queued link {Id} failed; it stays queued", done.Key);
                }
            }
        }
        // On stop, the fetches under way end with the token; their links stay queued for the next start.
        await Task.WhenAll(running.Values.Select(r => r.Fetch)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>What one round did: links fetched (or failed), sites with links due but held back (resting after a fetch, or busy), and how long to wait before the next round.</summary>
    public sealed record Round(int Fetched, int HeldBack, TimeSpan Wait);

    /// <summary>
    /// Fetches every link that is due, round after round, keeping each site's pause, and returns when none is due:
    /// links that failed for a reason that may pass stay queued for their later try (the running dashboard makes it).
    /// For the command line's <c>import</c>, which has no background service.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var round = await FetchDueAsync(cancellationToken);
            if (round.Fetched == 0 && round.HeldBack == 0)
            {
                return;
            }
            if (round.Wait > TimeSpan.Zero)
            {
                await Task.Delay(round.Wait, clock, cancellationToken);
            }
        }
    }

    /// <summary>
    /// One round: the links that are due, at most one per site whose pause is over, up to <see cref="Parallel"/> at
    /// once, fetched side by side. Its wait is zero when it fetched something (go on at once), else how long until the
    /// next link is due.
    /// </summary>
    public async Task<Round> FetchDueAsync(CancellationToken cancellationToken = default)
    {
        var pick = await PickAsync(Parallel, [], [], cancellationToken);
        await Task.WhenAll(pick.Links.Select(link => FetchOneAsync(link.Id, link.Url, link.Attempts, LinkHints.Read(link.Hints), cancellationToken)));
        return new Round(pick.Links.Count, pick.HeldBack, pick.Links.Count > 0 ? TimeSpan.Zero : pick.Wait);
    }

    private sealed record Link(long Id, Uri Url, int Attempts, string? Hints);

    private sealed record Pick(List<Link> Links, int HeldBack, TimeSpan Wait);

    /// <summary>
    /// Up to <paramref name="slots"/> due links, at most one per site, none from a site being fetched
    /// (<paramref name="busySites"/>) or resting; how many sites with due links were held back; and, when none was
    /// picked, how long until one may be. Only each site's earliest due link is read: a list of 40,000 addresses from
    /// one site does not hide another site's links queued after it.
    /// </summary>
    private async Task<Pick> PickAsync(int slots, HashSet<long> inFlight, HashSet<string> busySites, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<(long Id, string Url, int Attempts, string? Hints)> due;
        DateTime? nextDue;
        Dictionary<string, DateTime> resting;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var waiting = db.Uploads.AsNoTracking().Where(u => u.Status == UploadStatus.Fetching && !inFlight.Contains(u.Id));
            var earliest = await waiting.Where(u => u.NextFetchAt == null || u.NextFetchAt <= now)
                .GroupBy(u => u.Site).Select(g => g.Min(u => u.Id)).ToListAsync(cancellationToken);
            due = (await waiting.Where(u => earliest.Contains(u.Id))
                    .Select(u => new { u.Id, u.Url, u.FetchAttempts, u.LinkHints })
                    .ToListAsync(cancellationToken))
                .OrderBy(u => u.Id)
                .Select(u => (u.Id, u.Url ?? "", u.FetchAttempts, u.LinkHints)).ToList();
            nextDue = due.Count > 0 ? null : await waiting.MinAsync(u => u.NextFetchAt, cancellationToken);
            resting = await db.SitePauses.AsNoTracking().Where(p => p.FreeAt > now).ToDictionaryAsync(p => p.Site, p => p.FreeAt, StringComparer.OrdinalIgnoreCase, cancellationToken);
        }

        var picked = new List<Link>();
        var sitesTaken = new HashSet<string>(busySites, StringComparer.OrdinalIgnoreCase);
        DateTime? siteFree = null;
        var heldBack = 0;
        foreach (var (id, address, attempts, hints) in due)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var url))
            {
                // Only ever written from a checked address; a row edited by hand is failed, not retried forever.
                await FailAsync(id, attempts, new WebFetchException($"{address} is not a web address"), cancellationToken);
                continue;
            }
            var site = url.Authority;
            var free = resting.GetValueOrDefault(site);
            if (free > now)
            {
                siteFree = siteFree is null || free < siteFree ? free : siteFree;
                heldBack++;
                continue;
            }
            if (picked.Count < slots && sitesTaken.Add(site))
            {
                picked.Add(new Link(id, url, attempts, hints));
            }
            else
            {
                heldBack++;
            }
        }
        if (picked.Count > 0)
        {
            picked = await ClaimAsync(picked, now, cancellationToken);
            return new Pick(picked, heldBack, TimeSpan.Zero);
        }
        var next = new[] { nextDue, siteFree }.OfType<DateTime>().DefaultIfEmpty(now + IdleCheck).Min();
        var wait = next - now;
        return new Pick(picked, heldBack, wait < TimeSpan.FromMilliseconds(50) ? TimeSpan.FromMilliseconds(50) : wait > IdleCheck ? IdleCheck : wait);
    }

    private async Task FetchOneAsync(long id, Uri url, int attempts, LinkHints? hints, CancellationToken cancellationToken)
    {
        // Checked again now, not only when the link was queued: the story may have come in since, with its text, from a
        // file, a feed or another list (an archive holding an export of links beside one of articles).
        if (await StoredAsync(url, cancellationToken) is { } stored)
        {
            await DuplicateAsync(id, stored.Id, stored.Title, cancellationToken);
            return;
        }
        try
        {
            var (fileName, content) = await links.FetchAsync(url, cancellationToken, hints);
            await QueueFetchedAsync(id, fileName, content, cancellationToken);
            await PauseAsync(url, null, cancellationToken);
        }
        catch (WebFetchException ex)
        {
            await PauseAsync(url, ex.RetryAfter, cancellationToken);
            if (!WillTryAgain(ex, attempts + 1) && hints?.SummaryArticle() is { } summary)
            {
                // A feed item whose page cannot be had is stored as its feed gave it, as it would have been without
                // the full-text option: the story is in the feed, only its page is missing.
                logger.LogInformation("Link upload {Id}: {Error}; the feed item's summary is stored instead", id, ex.Message);
                await QueueFetchedAsync(id, Path.ChangeExtension(ArticleLinks.FileName(url), ".json"), JsonArticleParser.ToUpload(summary), cancellationToken);
                return;
            }
            await FailAsync(id, attempts, ex, cancellationToken);
        }
    }

    private bool WillTryAgain(WebFetchException failure, int tried) => failure.MayPass && tried < MaxAttempts;

    /// <summary>
    /// The site rests for the pause, or for the wait it asked for when that is longer. Kept in the store
    /// (<see cref="SitePause"/>): a restart keeps it, and another fetcher on the store waits it too; a longer rest
    /// already set (a site's Retry-After seen by another fetcher) is not shortened.
    /// </summary>
    private async Task PauseAsync(Uri url, TimeSpan? asked, CancellationToken cancellationToken)
    {
        var rest = asked is { } wait && wait > SiteGap ? (wait > LongestWait ? LongestWait : wait) : SiteGap;
        var freeAt = clock.GetUtcNow().UtcDateTime + rest;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO SitePauses (Site, FreeAt) VALUES ({url.Authority}, {freeAt}) ON CONFLICT (Site) DO UPDATE SET FreeAt = CASE WHEN excluded.FreeAt > SitePauses.FreeAt THEN excluded.FreeAt ELSE SitePauses.FreeAt END",
                cancellationToken);
            // Pauses over for a day are forgotten, so the table holds the sites of the last day, not every site ever read.
            var forgotten = clock.GetUtcNow().UtcDateTime - TimeSpan.FromDays(1);
            await db.SitePauses.Where(p => p.FreeAt < forgotten).ExecuteDeleteAsync(cancellationToken);
        }
    }

    /// <summary>The page becomes the upload's bytes and the upload joins the ingest queue, in one transaction.</summary>
    private async Task QueueFetchedAsync(long id, string fileName, byte[] content, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        using (await writeTurns.TakeAsync(cancellationToken))
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Guarded by the status: a link retried or deleted meanwhile is left as it is.
            var updated = await db.Uploads.Where(u => u.Id == id && u.Status == UploadStatus.Fetching)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(u => u.Status, UploadStatus.Queued)
                    .SetProperty(u => u.FileName, fileName)
                    .SetProperty(u => u.Reason, (string?)null)
                    .SetProperty(u => u.NextFetchAt, (DateTime?)null), cancellationToken);
            if (updated == 0)
            {
                return;
            }
            db.UploadContents.Add(new UploadContent { UploadId = id, Content = content });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        // Told before the worker is woken: its "stored" must not overtake this "queued" on an open page.
        notifier.Publish(new UploadProcessed(id, UploadStatus.Queued, null, null));
        queue.Wake();
    }

    /// <summary>The stored article with the link's address (its canonical form), if any.</summary>
    private async Task<(long Id, string Title)?> StoredAsync(Uri url, CancellationToken cancellationToken)
    {
        if (NearDuplicates.CanonicalUrl(url.AbsoluteUri) is not { } key)
        {
            return null;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var article = await db.Articles.AsNoTracking().Where(a => a.CanonicalUrl == key).OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.Title }).FirstOrDefaultAsync(cancellationToken);
        return article is null ? null : (article.Id, article.Title);
    }

    /// <summary>A link whose story is stored by now is its duplicate, as when it is queued after it: not fetched.</summary>
    private async Task DuplicateAsync(long id, long articleId, string title, CancellationToken cancellationToken)
    {
        var reason = IngestQueue.LinkDuplicateReason(articleId, title);
        int updated;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            updated = await db.Uploads.Where(u => u.Id == id && u.Status == UploadStatus.Fetching)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(u => u.Status, UploadStatus.Duplicate)
                    .SetProperty(u => u.ArticleId, articleId)
                    .SetProperty(u => u.NextFetchAt, (DateTime?)null)
                    .SetProperty(u => u.ProcessedAt, clock.GetUtcNow().UtcDateTime)
                    .SetProperty(u => u.Reason, reason), cancellationToken);
        }
        if (updated == 1)
        {
            notifier.Publish(new UploadProcessed(id, UploadStatus.Duplicate, reason, articleId));
        }
    }

    private async Task FailAsync(long id, int attempts, WebFetchException failure, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var tried = attempts + 1;
        var again = WillTryAgain(failure, tried);
        var wait = again ? Backoff(tried, failure.RetryAfter) : TimeSpan.Zero;
        var reason = again ? Retrying(failure, tried, now + wait) : failure.Message + (tried > 1 ? $" (after {tried} tries)" : "");
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            await db.Uploads.Where(u => u.Id == id && u.Status == UploadStatus.Fetching)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(u => u.Status, again ? UploadStatus.Fetching : UploadStatus.Failed)
                    .SetProperty(u => u.FetchAttempts, tried)
                    .SetProperty(u => u.NextFetchAt, again ? now + wait : null)
                    .SetProperty(u => u.ProcessedAt, again ? null : now)
                    .SetProperty(u => u.Reason, reason), cancellationToken);
        }
        logger.LogInformation("Link upload {Id}: {Reason}", id, reason);
        notifier.Publish(new UploadProcessed(id, again ? UploadStatus.Fetching : UploadStatus.Failed, reason, null));
    }

    /// <summary>
    /// How long a picked link is held by this fetcher: its next fetch is moved this far ahead, so another fetcher on the
    /// same store (another instance, a second process) passes it by, and a fetch that died with its process is made
    /// again once the hold runs out.
    /// </summary>
    private TimeSpan Hold => TimeSpan.FromSeconds(Math.Max(60, 4 * configuration.GetValue("Dashboard:Feeds:TimeoutSeconds", 30.0)));

    /// <summary>The picked links this fetcher holds: each is taken only if it is still due, in one guarded update, so of two fetchers one gets it.</summary>
    private async Task<List<Link>> ClaimAsync(List<Link> picked, DateTime now, CancellationToken cancellationToken)
    {
        var held = new List<Link>();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            foreach (var link in picked)
            {
                var taken = await db.Uploads
                    .Where(u => u.Id == link.Id && u.Status == UploadStatus.Fetching && (u.NextFetchAt == null || u.NextFetchAt <= now))
                    .ExecuteUpdateAsync(set => set.SetProperty(u => u.NextFetchAt, now + Hold), cancellationToken);
                if (taken == 1)
                {
                    held.Add(link);
                }
            }
        }
        return held;
    }

    private string Retrying(WebFetchException failure, int tried, DateTime at) =>
        $"{failure.Message}; trying again at {at:yyyy-MM-dd HH:mm} UTC (try {tried + 1} of {MaxAttempts})";

    /// <summary>
    /// A link fetched at once ("Fetch article", <c>POST /api/uploads/link</c>, a link file) whose page could not be had
    /// for a reason that may pass: queued as if its first try had been the fetcher's, to be tried again later, so a
    /// site down for a minute does not lose the link. Null when the failure will not pass (or no second try is allowed):
    /// the caller reports it as failed.
    /// </summary>
    public async Task<Upload?> RetryLaterAsync(Uri url, WebFetchException failure, CancellationToken cancellationToken = default)
    {
        if (!failure.MayPass || MaxAttempts <= 1)
        {
            return null;
        }
        var at = clock.GetUtcNow().UtcDateTime + Backoff(1, failure.RetryAfter);
        return (await queue.EnqueueLinksAsync([url], cancellationToken, firstTry: new LinkRetry(Retrying(failure, 1, at), at)))[0];
    }

    /// <summary>The wait before the next try: what the site asked for, else one minute, four, sixteen...; six hours at most.</summary>
    private TimeSpan Backoff(int tried, TimeSpan? asked)
    {
        var wait = asked ?? FirstRetry * Math.Pow(4, tried - 1);
        return wait > LongestWait ? LongestWait : wait;
    }
}
