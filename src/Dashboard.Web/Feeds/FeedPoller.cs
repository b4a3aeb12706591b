using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Ingestion.Parsers;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Feeds;

/// <summary>How one poll of a feed ended.</summary>
public enum FeedPollOutcome
{
    /// <summary>A new document was read and queued.</summary>
    Fetched,

    /// <summary>The server answered 304: nothing new since the validators we sent.</summary>
    NotModified,

    /// <summary>The server sent the same bytes as last time: nothing was queued.</summary>
    Unchanged,

    Failed,
}

/// <summary>What one poll did: how many items the document carried, how many article pages it fetched, and when the feed is due again.</summary>
public sealed record FeedPollResult(long FeedId, FeedPollOutcome Outcome, int Items, int Pages, string? Error, DateTime NextPollAt);

/// <summary>
/// Polls the feed subscriptions that are due, one background loop for all of them. A fetched document goes into
/// the durable queue as one upload named after the feed (the pipeline splits it into items and drops the ones
/// already stored), so a feed is handled exactly like a feed file someone uploaded. Conditional requests keep an
/// unchanged feed at one 304; errors push the next poll out exponentially and a server's Retry-After is obeyed.
/// </summary>
public sealed partial class FeedPoller(
    IDbContextFactory<DashboardDb> dbFactory,
    IngestQueue queue,
    ArticleNotifier notifier,
    WriteTurns writeTurns,
    IHttpClientFactory httpFactory,
    IConfiguration configuration,
    TimeProvider clock,
    FullTextFetch fullText,
    ILogger<FeedPoller> logger) : BackgroundService
{
    /// <summary>The named HttpClient (User-Agent, decompression, redirects) registered for feeds and article pages.</summary>
    public const string HttpClientName = "feeds";

    public const string DefaultUserAgent = "NewsMonitor/1.0 (self-hosted news dashboard; feed poller)";

    /// <summary>The longest the backoff pushes a failing feed out.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(24);

    /// <summary>A Retry-After beyond this is a server's mistake rather than a plan: it is shortened to this.</summary>
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(7);

    private readonly ConcurrentDictionary<long, SemaphoreSlim> _feedLocks = new();

    /// <summary>When each article stored as its summary last had its page tried by a poll (see <see cref="UpgradeSummariesAsync"/>).</summary>
    private readonly ConcurrentDictionary<long, DateTime> _summaryTries = new();

    /// <summary>Articles stored as their summaries whose pages one poll tries, at most: the rest wait for the next polls.</summary>
    public const int SummaryUpgradesPerPoll = 5;

    /// <summary>How long an article stored as its summary waits before a poll tries its page again.</summary>
    public static readonly TimeSpan SummaryRetry = TimeSpan.FromDays(1);

    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TimeSpan Timeout => TimeSpan.FromSeconds(configuration.GetValue("Dashboard:Feeds:TimeoutSeconds", 30.0));

    private long MaxBytes => UploadLimits.MaxFeedBytes(configuration);

    /// <summary>Below this many characters an item's text is taken for a summary and, where the user asked, its page is fetched.</summary>
    private int SummaryChars => SummaryCharsOf(configuration);

    /// <summary><c>Dashboard:Feeds:SummaryChars</c>: also where the article page starts to call a stored text a likely summary.</summary>
    public static int SummaryCharsOf(IConfiguration configuration) => configuration.GetValue("Dashboard:Feeds:SummaryChars", 1000);

    private int MaxParallelPolls => Math.Max(1, configuration.GetValue("Dashboard:Feeds:MaxParallelPolls", 4));

    /// <summary>Makes the loop look at the schedule again now (a feed was added, enabled or asked to poll).</summary>
    public void Wake() => Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before polling: a Wake() during the polls is then seen by the wait below, never lost.
            var wake = Volatile.Read(ref _wake).Task;
            TimeSpan wait;
            try
            {
                await PollDueAsync(stoppingToken);
                wait = await UntilNextDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A store error must not end the service: log, and look again a little later.
                logger.LogError(ex, "Polling feeds failed; trying again shortly");
                wait = TimeSpan.FromSeconds(30);
            }
            using var sleep = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(wait, clock, sleep.Token);
            await Task.WhenAny(wake, delay);
            await sleep.CancelAsync();
        }
    }

    /// <summary>Polls every enabled feed whose time has come; returns what each poll did.</summary>
    public async Task<IReadOnlyList<FeedPollResult>> PollDueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<long> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            due = await db.Feeds.Where(f => f.Enabled && f.NextPollAt <= now).OrderBy(f => f.NextPollAt).Select(f => f.Id).ToListAsync(cancellationToken);
        }
        var results = new ConcurrentBag<FeedPollResult>();
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelPolls, CancellationToken = cancellationToken }, async (id, token) =>
        {
            if (await PollAsync(id, token) is { } result)
            {
                results.Add(result);
            }
        });
        return results.OrderBy(r => r.FeedId).ToList();
    }

    private async Task<TimeSpan> UntilNextDueAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var next = await db.Feeds.Where(f => f.Enabled).OrderBy(f => f.NextPollAt).Select(f => (DateTime?)f.NextPollAt).FirstOrDefaultAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        // With no feeds the loop sleeps until woken; the cap only bounds a clock jump's cost.
        var wait = next is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) - now : TimeSpan.FromHours(1);
        return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : wait;
    }

    /// <summary>Polls one feed now, whatever its schedule; null when there is no such feed.</summary>
    public async Task<FeedPollResult?> PollAsync(long feedId, CancellationToken cancellationToken = default)
    {
        // The loop and a "poll now" click must not fetch the same feed twice at once.
        var gate = _feedLocks.GetOrAdd(feedId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var feed = await db.Feeds.FirstOrDefaultAsync(f => f.Id == feedId, cancellationToken);
            if (feed is null)
            {
                return null;
            }
            var result = await FetchAsync(feed, cancellationToken);
            using (await writeTurns.TakeAsync(cancellationToken))
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            notifier.Publish(new FeedPolled(feed.Id));
            logger.LogInformation("Feed {Id} ({Url}): {Outcome}, {Items} items, {Pages} pages, next poll {Next:u} {Error}",
                feed.Id, feed.Url, result.Outcome, result.Items, result.Pages, result.NextPollAt, result.Error);
            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Fetches the feed and records the outcome on it; the caller saves. Queued uploads are committed before the validators move on.</summary>
    private async Task<FeedPollResult> FetchAsync(Feed feed, CancellationToken cancellationToken, bool followedFromPage = false)
    {
        var started = clock.GetUtcNow().UtcDateTime;
        feed.LastPolledAt = started;
        var client = httpFactory.CreateClient(HttpClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        TimeSpan? retryAfter = null;
        try
        {
            var (response, final, moved) = await WebFetch.GetFollowingAsync(client, new Uri(feed.Url), request =>
            {
                request.Headers.Accept.ParseAdd("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5");
                if (feed.ETag is { Length: > 0 } etag)
                {
                    request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                }
                if (feed.LastModified is { Length: > 0 } lastModified)
                {
                    request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
                }
            }, timeout.Token);
            using var answer = response;
            var now = clock.GetUtcNow().UtcDateTime;
            if (moved && (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified))
            {
                await FollowPermanentMoveAsync(feed, final, cancellationToken);
            }
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return Succeeded(feed, FeedPollOutcome.NotModified, 0, 0, now);
            }
            if (!response.IsSuccessStatusCode)
            {
                retryAfter = RetryAfter(response.Headers.RetryAfter, clock.GetUtcNow());
                throw new WebFetchException($"the server answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd());
            }
            var body = await WebFetch.ReadBoundedAsync(response, "the feed", MaxBytes, timeout.Token);
            if (ArticleParser.IsWebPage(body))
            {
                // A site's address instead of its feed's: follow the feed the page names, as feed readers do. Never
                // read the page itself as an article (a front page is not news), and never follow a second page.
                return await FollowFeedLinkAsync(feed, final, body, followedFromPage, cancellationToken);
            }
            var hash = Convert.ToHexStringLower(SHA256.HashData(body));
            if (hash == feed.LastContentHash)
            {
                KeepValidators(feed, response);
                return Succeeded(feed, FeedPollOutcome.Unchanged, 0, 0, now);
            }

            ParseResult read;
            try
            {
                read = ArticleParser.Read(FileNameFor(feed), body);
            }
            catch (ArticleParseException ex)
            {
                // Not a feed (an error page, a moved site): the feed's health says so; queuing it would only add a failed upload.
                throw new WebFetchException(ex.Message);
            }
            if (string.IsNullOrWhiteSpace(feed.Title) && read.Articles.FirstOrDefault(a => a.Source is { Length: > 0 })?.Source is { } title)
            {
                feed.Title = title;
            }
            var fileName = FileNameFor(feed);
            var linked = feed.FetchFullArticle ? await QueueFullArticlesAsync(feed, read.Articles, cancellationToken) : [];
            if (linked.Count == 0)
            {
                await queue.EnqueueManyAsync([(fileName, body)], cancellationToken, feed.Id);
            }
            else if (read.Articles.Where(i => !linked.Contains(i)).ToList() is { Count: > 0 } rest)
            {
                // The items left to the link queue must not also be stored from here as summaries: the ingestor keeps
                // the first copy of an address, and the full page is the copy worth keeping. The others go as JSON Lines.
                var lines = rest.Select(i => Encoding.UTF8.GetString(JsonArticleParser.ToUpload(i)));
                await queue.EnqueueManyAsync([(Path.ChangeExtension(fileName, ".jsonl"), Encoding.UTF8.GetBytes(string.Join('\n', lines)))], cancellationToken, feed.Id);
            }
            KeepValidators(feed, response);
            feed.LastContentHash = hash;
            return Succeeded(feed, FeedPollOutcome.Fetched, read.Articles.Count, linked.Count, now);
        }
        catch (Exception ex) when (WebFetch.IsFetchFailure(ex, cancellationToken))
        {
            return Failed(feed, WebFetch.Reason(ex, Timeout), retryAfter);
        }
    }

    /// <summary>
    /// A feed whose address answers "moved permanently" (every redirect 301 or 308) takes the new address, as the
    /// HTTP standard asks of clients, unless another subscription has it already.
    /// </summary>
    private async Task FollowPermanentMoveAsync(Feed feed, Uri final, CancellationToken cancellationToken)
    {
        var moved = final.AbsoluteUri;
        if (moved == feed.Url)
        {
            return;
        }
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Feeds.AnyAsync(f => f.Url == moved && f.Id != feed.Id, cancellationToken))
            {
                logger.LogInformation("Feed {Id}: {Url} moved permanently to {Moved}, which another subscription has; the address is kept", feed.Id, feed.Url, moved);
                return;
            }
        }
        logger.LogInformation("Feed {Id}: {Url} moved permanently to {Moved}; the subscription takes the new address", feed.Id, feed.Url, moved);
        feed.Url = moved;
    }

    /// <summary>
    /// A feed's first poll found a web page: the subscription moves to the first feed the page names (its own
    /// validators start afresh) and that feed is fetched now. A feed that has worked before and now answers with a
    /// page (a moved site, a login wall) is failing, not moved: its address stays, and its health says why.
    /// </summary>
    private async Task<FeedPollResult> FollowFeedLinkAsync(Feed feed, Uri page, byte[] body, bool followedFromPage, CancellationToken cancellationToken)
    {
        if (followedFromPage)
        {
            throw new WebFetchException($"the site's page names {feed.Url} as its feed, but that address answers with a web page too, not a feed");
        }
        if (feed.LastSuccessAt is not null)
        {
            throw new WebFetchException("the address now answers with a web page, not a feed (has the site moved its feed?)");
        }
        var found = FeedDiscovery.Find(page, ArticleParser.DecodeText(feed.Url, body));
        var target = found.Count > 0 ? found[0].Url : (await NewsSitemapsAsync(page, cancellationToken)).FirstOrDefault();
        if (target is null)
        {
            throw new WebFetchException("this address is a web page, not a feed, and the page names no feed (no <link rel=\"alternate\"> to RSS, Atom or JSON Feed) nor does the site's robots.txt list a news sitemap: subscribe to the feed's own address");
        }
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Feeds.AnyAsync(f => f.Url == target && f.Id != feed.Id, cancellationToken))
            {
                throw new WebFetchException($"the page names the feed {target}, which is already subscribed");
            }
        }
        logger.LogInformation("Feed {Id}: {Page} is a web page; subscribing to the feed it names, {Feed}", feed.Id, page, target);
        feed.Url = target;
        feed.ETag = null;
        feed.LastModified = null;
        feed.LastContentHash = null;
        return await FetchAsync(feed, cancellationToken, followedFromPage: true);
    }

    /// <summary>The news sitemaps the site's robots.txt lists; none when it has no robots.txt or cannot be had.</summary>
    private async Task<IReadOnlyList<string>> NewsSitemapsAsync(Uri page, CancellationToken cancellationToken)
    {
        var robots = new Uri(page, "/robots.txt");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var (response, landed, _) = await WebFetch.GetFollowingAsync(httpFactory.CreateClient(HttpClientName), robots, _ => { }, timeout.Token);
            using (response)
            {
                return response.IsSuccessStatusCode
                    ? FeedDiscovery.NewsSitemaps(landed, ArticleParser.DecodeText(robots.AbsoluteUri, await WebFetch.ReadBoundedAsync(response, "robots.txt", 1 << 20, timeout.Token)))
                    : [];
            }
        }
        catch (Exception ex) when (WebFetch.IsFetchFailure(ex, cancellationToken) || ex is ArticleParseException)
        {
            logger.LogInformation("Feed discovery: {Robots} could not be read ({Error})", robots, ex.Message);
            return [];
        }
    }

    private FeedPollResult Succeeded(Feed feed, FeedPollOutcome outcome, int items, int pages, DateTime now)
    {
        feed.LastSuccessAt = now;
        feed.ConsecutiveFailures = 0;
        feed.NextPollAt = now + TimeSpan.FromMinutes(Math.Max(1, feed.PollMinutes));
        return new FeedPollResult(feed.Id, outcome, items, pages, null, feed.NextPollAt);
    }

    private FeedPollResult Failed(Feed feed, string message, TimeSpan? retryAfter)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        feed.ConsecutiveFailures++;
        feed.LastError = message;
        feed.LastErrorAt = now;
        var wait = Backoff(TimeSpan.FromMinutes(Math.Max(1, feed.PollMinutes)), feed.ConsecutiveFailures);
        if (retryAfter is { } asked && asked > wait)
        {
            wait = asked;
        }
        feed.NextPollAt = now + wait;
        return new FeedPollResult(feed.Id, FeedPollOutcome.Failed, 0, 0, message, feed.NextPollAt);
    }

    /// <summary>The poll interval doubled per consecutive failure, never beyond <see cref="MaxBackoff"/>.</summary>
    public static TimeSpan Backoff(TimeSpan interval, int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures, 30));
        var ticks = interval.Ticks * factor;
        return ticks >= MaxBackoff.Ticks ? MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        var wait = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => (TimeSpan?)null,
        };
        return wait is null || wait <= TimeSpan.Zero ? null : wait > MaxRetryAfter ? MaxRetryAfter : wait;
    }

    private static void KeepValidators(Feed feed, HttpResponseMessage response)
    {
        feed.ETag = response.Headers.ETag?.ToString()
            ?? (response.Headers.TryGetValues("ETag", out var raw) ? raw.FirstOrDefault() : null);
        feed.LastModified = response.Content.Headers.TryGetValues("Last-Modified", out var modified) ? modified.FirstOrDefault() : null;
    }

    /// <summary>
    /// The items that carry only a summary and whose story is not stored yet: their pages are queued for the link
    /// fetcher (<see cref="LinkFetcher"/>), polite to the site (one request at a time, a pause between two) and tried
    /// again when the site is down for a moment. Each keeps its item's title, date, outlet and summary, and the
    /// summary is stored instead when the page cannot be had. An item whose page already waits is not queued twice.
    /// Returns the items left to the link queue.
    /// </summary>
    private async Task<HashSet<ParsedArticle>> QueueFullArticlesAsync(Feed feed, IReadOnlyList<ParsedArticle> items, CancellationToken cancellationToken)
    {
        var summaries = items
            .Where(i => i.Text.Length < SummaryChars && Uri.TryCreate(i.Url, UriKind.Absolute, out var link) && link.Scheme is "http" or "https")
            .Select(i => (Item: i, Canonical: NearDuplicates.CanonicalUrl(i.Url)))
            .Where(c => c.Canonical is not null)
            .ToList();
        var candidates = summaries.DistinctBy(c => c.Canonical).ToList();
        if (candidates.Count == 0)
        {
            return [];
        }
        var stored = new HashSet<string>(StringComparer.Ordinal);
        var storedAsSummaries = new List<long>();
        var summaryOf = candidates.ToDictionary(c => c.Canonical!, c => c.Item.Text, StringComparer.Ordinal);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            foreach (var chunk in candidates.Select(c => c.Canonical!).Chunk(500))
            {
                foreach (var article in await db.Articles.Where(a => a.CanonicalUrl != null && chunk.Contains(a.CanonicalUrl))
                    .Select(a => new { a.Id, a.CanonicalUrl, a.ContentHash }).ToListAsync(cancellationToken))
                {
                    stored.Add(article.CanonicalUrl!);
                    // Stored as the summary the feed still gives (not as a page that is short itself).
                    if (article.ContentHash == ArticleIngestor.ContentHash(summaryOf[article.CanonicalUrl!]))
                    {
                        storedAsSummaries.Add(article.Id);
                    }
                }
            }
        }
        await UpgradeSummariesAsync(feed, storedAsSummaries, cancellationToken);
        var fresh = candidates.Where(c => !stored.Contains(c.Canonical!)).Select(c => c.Item).ToList();
        if (fresh.Count == 0)
        {
            return [];
        }
        await queue.EnqueueLinksAsync(fresh.Select(i => new Uri(i.Url!)).ToList(), cancellationToken,
            fresh.Select(i => (LinkHints?)LinkHints.FeedItem(i, feed.Title)).ToList(), feedId: feed.Id);
        // An item listed twice under one address is left to the link queue in both places.
        return new HashSet<ParsedArticle>(summaries.Where(c => !stored.Contains(c.Canonical!)).Select(c => c.Item), ReferenceEqualityComparer.Instance);
    }

    /// <summary>
    /// Items of a feed with the full-article option that are stored as the summaries the feed gives (stored before the
    /// option was turned on, or when their page could not be had) get their page's text through <see cref="FullTextFetch"/>: a
    /// few per poll, each tried again a day later at the soonest, so a page that stays a teaser or stays down costs one
    /// request a day. The tries are remembered in memory; after a restart an article may be tried once more.
    /// </summary>
    private async Task UpgradeSummariesAsync(Feed feed, List<long> articleIds, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_summaryTries.Count > 10_000)
        {
            // Tries older than a day decide nothing any more.
            foreach (var (id, tried) in _summaryTries)
            {
                if (now - tried >= SummaryRetry)
                {
                    _summaryTries.TryRemove(id, out _);
                }
            }
        }
        var due = articleIds.Where(id => !_summaryTries.TryGetValue(id, out var tried) || now - tried >= SummaryRetry).Take(SummaryUpgradesPerPoll).ToList();
        foreach (var id in due)
        {
            _summaryTries[id] = now;
            try
            {
                var result = await fullText.FetchAsync(id, cancellationToken);
                logger.LogInformation("Feed {Feed}: article {Id} stored as its summary: {Reason}", feed.Id, id, result.Reason);
            }
            catch (FullTextException ex)
            {
                logger.LogInformation("Feed {Feed}: article {Id} stored as its summary keeps it: {Reason}", feed.Id, id, ex.Message);
            }
        }
    }

    /// <summary>The upload's name: the feed's title (or host), so the Upload page and reasons say which feed an item came from.</summary>
    public static string FileNameFor(Feed feed)
    {
        var name = feed.Title is { Length: > 0 } title ? title : Uri.TryCreate(feed.Url, UriKind.Absolute, out var uri) ? uri.Host : "feed";
        return Slug(name) + ".xml";
    }

    private static string Slug(string text)
    {
        var slug = NotInFileNames().Replace(text, "-").Trim(' ', '.', '-');
        if (slug.Length > 80)
        {
            slug = slug[..80].TrimEnd(' ', '.', '-');
        }
        return slug.Length > 0 ? slug : "feed";
    }

    [GeneratedRegex(@"[\\/:*?""<>|\x00-\x1F]+")]
    private static partial Regex NotInFileNames();

}
