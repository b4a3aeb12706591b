using System.Globalization;
using Dashboard.Web.Access;
using Dashboard.Web.Data;
using Dashboard.Web.Feeds;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Dashboard.Web.Api;

/// <summary>The HTTP API for programs: uploads in, articles and chart counts out.</summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        // A search the full-text engine cannot read is the caller's mistake: 400 with the reason, not 500.
        api.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (SearchQueryException ex)
            {
                return Problem(ex.Message);
            }
        });

        var uploads = api.MapGroup("/uploads").RequireAuthorization(DashboardPolicies.Upload);
        uploads.MapPost("", UploadAsync).DisableAntiforgery();
        uploads.MapGet("/{id:long}", GetUploadAsync);
        uploads.MapGet("", ListUploadsAsync);
        uploads.MapPost("/{id:long}/retry", RetryUploadAsync).DisableAntiforgery();
        uploads.MapPost("/retry-failed", RetryFailedUploadsAsync).DisableAntiforgery();
        uploads.MapPost("/link", LinkAsync).DisableAntiforgery();
        // ?list=ID forgets one list's waiting links (the listId of its answers), without it every list's.
        uploads.MapPost("/cancel-links", async (long? list, IngestQueue queue, CancellationToken cancellationToken) =>
            Results.Ok(new { cancelled = await queue.CancelWaitingLinksAsync(cancellationToken, list) })).DisableAntiforgery();
        uploads.MapGet("/lists/{id:long}", async (long id, IngestQueue queue, CancellationToken cancellationToken) =>
            await queue.ListProgressAsync(id, cancellationToken) is { Total: > 0 } progress
                ? Results.Ok(new { listId = id, progress.Stored, duplicates = progress.Duplicates, progress.Failed, waiting = progress.Waiting + progress.Queued, progress.Total })
                : Results.NotFound(new ProblemDetails { Status = 404, Title = $"no list of links with id {id}" }));

        api.MapGet("/articles", ListArticlesAsync);
        api.MapGet("/articles/{id:long}", GetArticleAsync);
        // An edit of the article (its text and mentions), so it stands behind the curation policy.
        api.MapPost("/articles/{id:long}/full-text", FetchFullTextAsync).RequireAuthorization(DashboardPolicies.Curate).DisableAntiforgery();
        api.MapGet("/mentions", MentionsAsync);
        api.MapGet("/volume", VolumeAsync);
        api.MapGet("/sources", (HttpRequest request, DashboardQueries queries, CancellationToken cancellationToken) =>
            NamedCountsAsync(request, (filter, limit) => queries.TopSourcesAsync(filter, limit, cancellationToken)));
        api.MapGet("/authors", (HttpRequest request, DashboardQueries queries, CancellationToken cancellationToken) =>
            NamedCountsAsync(request, (filter, limit) => queries.TopAuthorsAsync(filter, limit, cancellationToken)));
        api.MapGet("/words", WordsAsync);
        api.MapGet("/rising", RisingAsync);
        api.MapExports();
        api.MapCuration();
        api.MapSavedViews();
        api.MapAnnotations();
        api.MapStatements();
        api.MapAtomFeeds();
        api.MapFeeds();
        return app;
    }

    /// <summary>The answer for one uploaded file, or for one web address (<see cref="Url"/>, and when it is next fetched while it waits for its page).</summary>
    public sealed record UploadAnswer(long Id, string FileName, string Status, string? Reason, long? ArticleId, DateTime ReceivedAt, DateTime? ProcessedAt,
        string? Url = null, DateTime? NextFetchAt = null, long? ListId = null)
    {
        public static UploadAnswer From(Upload u) =>
            new(u.Id, u.FileName, u.Status.ToString().ToLowerInvariant(), u.Reason, u.ArticleId, u.ReceivedAt, u.ProcessedAt, u.Url, u.NextFetchAt, u.ListId);
    }

    /// <summary>
    /// A list of links (one address per line) sent as a file: each address is queued for the link fetcher and
    /// answered on its own, or the list is refused whole when it is longer than the queue takes at once.
    /// </summary>
    private static async Task<IReadOnlyList<UploadAnswer>?> LinkListAnswersAsync(string fileName, ReadOnlyMemory<byte> content, IngestQueue queue, CancellationToken cancellationToken)
    {
        if (!Ingestion.Parsers.LinkFiles.TryReadList(content.Span, out var urls))
        {
            return null;
        }
        if (urls.Count > IngestQueue.MaxLinks)
        {
            return [new UploadAnswer(0, fileName, "failed", $"{fileName}: a list of {urls.Count:N0} web addresses, more than the {IngestQueue.MaxLinks:N0} taken at once: split it", null, DateTime.UtcNow, null)];
        }
        return (await queue.EnqueueLinkListAsync(urls, cancellationToken)).Answers.Select(UploadAnswer.From).ToList();
    }

    private static async Task<IResult> UploadAsync(HttpRequest request, IngestQueue queue, ArticleLinks links, LinkFetcher fetcher, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var limit = UploadLimits.MaxUploadBytes(configuration);
        // Kestrel's 30 MB default would cut a large archive off with a bare 413: the request may carry the
        // configured per-file limit and some room for the other files; each file is checked against the limit below.
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = Math.Max(limit, 0) + (256L << 20);
        }
        if (!request.HasFormContentType)
        {
            return await UploadBodyAsync(request, queue, limit, cancellationToken);
        }
        // Form files over 64 KB are buffered to temporary files by ASP.NET, never held in memory whole.
        var form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = long.MaxValue }, cancellationToken);
        if (form.Files.Count == 0)
        {
            return Problem("the request has no files");
        }
        // Files over the limit are answered as failed in place; small ones are queued together in one transaction,
        // large ones are spooled to disk one by one.
        var answers = new UploadAnswer?[form.Files.Count];
        // A list of links is answered by one entry per address, in its place among the files.
        var linkLists = new Dictionary<int, IReadOnlyList<UploadAnswer>>();
        var accepted = new List<(int Index, string FileName, byte[] Content)>();
        for (var i = 0; i < form.Files.Count; i++)
        {
            var file = form.Files[i];
            if (file.Length > limit)
            {
                answers[i] = new UploadAnswer(0, file.FileName, "failed", $"{file.FileName}: {file.Length:N0} bytes is over the upload limit of {limit:N0} bytes", null, DateTime.UtcNow, null);
                continue;
            }
            if (file.Length > UploadSpool.InlineLimit)
            {
                await using var stream = file.OpenReadStream();
                answers[i] = UploadAnswer.From(await queue.EnqueueStreamAsync(file.FileName, stream, file.Length, limit, cancellationToken));
                continue;
            }
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken);
            if (Ingestion.Parsers.LinkFiles.TryRead(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), out var link))
            {
                // A link file (.url, .webloc): the page it points to is the article, fetched as POST /uploads/link does.
                answers[i] = await LinkAnswerAsync(links, fetcher, link, cancellationToken);
                continue;
            }
            if (await LinkListAnswersAsync(file.FileName, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), queue, cancellationToken) is { } listed)
            {
                linkLists[i] = listed;
                continue;
            }
            accepted.Add((i, file.FileName, buffer.ToArray()));
        }
        if (accepted.Count > 0)
        {
            var uploads = await queue.EnqueueManyAsync(accepted.Select(a => (a.FileName, a.Content)).ToList(), cancellationToken);
            for (var i = 0; i < accepted.Count; i++)
            {
                answers[accepted[i].Index] = UploadAnswer.From(uploads[i]);
            }
        }
        return Results.Ok(answers.SelectMany((answer, i) => linkLists.TryGetValue(i, out var listed) ? listed : [answer!]));
    }

    /// <summary>
    /// One file sent as the request's body (<c>curl --data-binary @story.json</c>, a webhook posting an article as
    /// JSON), named by <c>?fileName=</c>, else by its Content-Disposition, else after its content type. The format is
    /// still read from the content; the name is what the Upload page and the reasons show.
    /// </summary>
    private static async Task<IResult> UploadBodyAsync(HttpRequest request, IngestQueue queue, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0)
        {
            return Problem("the request has no body: send the file as the body, or the files as multipart/form-data");
        }
        var fileName = BodyFileName(request);
        if (request.ContentLength > limit)
        {
            return Results.Ok(new[] { new UploadAnswer(0, fileName, "failed", $"{fileName}: {request.ContentLength:N0} bytes is over the upload limit of {limit:N0} bytes", null, DateTime.UtcNow, null) });
        }
        try
        {
            if (request.ContentLength is { } length and <= UploadSpool.InlineLimit)
            {
                // Small enough to look at first: a list of links sent as the body is queued address by address.
                var content = new byte[length];
                await request.Body.ReadExactlyAsync(content, cancellationToken);
                return Results.Ok(await LinkListAnswersAsync(fileName, content, queue, cancellationToken)
                    ?? [UploadAnswer.From(await queue.EnqueueAsync(fileName, content, cancellationToken))]);
            }
            return Results.Ok(new[] { UploadAnswer.From(await queue.EnqueueStreamAsync(fileName, request.Body, request.ContentLength, limit, cancellationToken)) });
        }
        catch (UploadTooLargeException ex)
        {
            return Results.Ok(new[] { new UploadAnswer(0, fileName, "failed", ex.Message, null, DateTime.UtcNow, null) });
        }
    }

    /// <summary>
    /// The article at a web address (<c>?url=</c>, or <c>{"url": "..."}</c> as the body), fetched now and queued: the
    /// same answer as an upload, with a failed status and the reason when the page cannot be had or read.
    /// </summary>
    private static async Task<IResult> LinkAsync(HttpRequest request, ArticleLinks links, LinkFetcher fetcher, IngestQueue queue, CancellationToken cancellationToken)
    {
        List<string?> addresses = [.. request.Query["url"]];
        var background = request.Query["queue"].ToString() is "true" or "1";
        if (addresses.Count == 0 && request.HasJsonContentType())
        {
            try
            {
                var body = await request.ReadFromJsonAsync<LinkRequest>(cancellationToken);
                addresses = [.. (body?.Urls ?? []).Prepend(body?.Url).Where(a => a is not null)];
                background |= body?.Queue == true;
            }
            catch (System.Text.Json.JsonException ex)
            {
                return Problem($"the body is not valid JSON: {ex.Message}");
            }
        }
        if (addresses.Count == 0)
        {
            return Problem("no address: give ?url=, or {\"url\": \"...\"} or {\"urls\": [...]} as the body");
        }
        if (background ? addresses.Count > IngestQueue.MaxLinks : addresses.Count > MaxLinksPerRequest)
        {
            return Problem(background
                ? $"{addresses.Count:N0} addresses in one request, more than the {IngestQueue.MaxLinks:N0} queued at once: send them in parts"
                : $"{addresses.Count:N0} addresses in one request, more than the {MaxLinksPerRequest} fetched while the request waits: add \"queue\": true to have them fetched in the background, or send them in parts");
        }
        // Every address is checked before any page is fetched: a typo is answered at once, not after the others.
        var urls = new List<Uri>();
        foreach (var address in addresses)
        {
            if (!ArticleLinks.TryRead(address, out var url, out var error))
            {
                return Problem(error);
            }
            urls.Add(url);
        }
        if (background)
        {
            // Answered at once: each address waits for its page as status "fetching" (GET /api/uploads/{id} follows it).
            return Results.Ok((urls.Count > 1 ? (await queue.EnqueueLinkListAsync(urls, cancellationToken)).Answers : await queue.EnqueueLinksAsync(urls, cancellationToken)).Select(UploadAnswer.From));
        }
        var answers = new List<UploadAnswer>();
        foreach (var url in urls)
        {
            answers.Add(await LinkAnswerAsync(links, fetcher, url, cancellationToken));
        }
        return Results.Ok(answers);
    }

    /// <summary>Pages fetched in one request, one after another, while the caller waits.</summary>
    private const int MaxLinksPerRequest = 50;

    /// <summary>A link fetched now; when its page cannot be had for a reason that may pass, it is queued to be tried again later (status fetching).</summary>
    private static async Task<UploadAnswer> LinkAnswerAsync(ArticleLinks links, LinkFetcher fetcher, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            return UploadAnswer.From(await links.SubmitAsync(url, cancellationToken));
        }
        catch (WebFetchException ex)
        {
            return await fetcher.RetryLaterAsync(url, ex, cancellationToken) is { } later
                ? UploadAnswer.From(later)
                : new UploadAnswer(0, url.AbsoluteUri, "failed", ex.Message, null, DateTime.UtcNow, null);
        }
    }

    private sealed record LinkRequest(string? Url, List<string?>? Urls, bool? Queue);

    private static string BodyFileName(HttpRequest request)
    {
        var named = request.Query["fileName"].ToString();
        if (named.Length == 0 && ContentDispositionHeaderValue.TryParse(request.Headers.ContentDisposition.ToString(), out var disposition))
        {
            named = (disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : disposition.FileName.Value)?.Trim('"') ?? "";
        }
        // Only a name, never a path: it is shown to people and used for nothing on disk.
        named = Path.GetFileName(named.Replace('\\', '/')).Trim();
        if (named.Length > 0 && !named.Any(char.IsControl))
        {
            return named.Length > 200 ? named[..200] : named;
        }
        var type = MediaTypeHeaderValue.TryParse(request.ContentType, out var media) ? media.MediaType.Value?.ToLowerInvariant() : null;
        return "upload" + type switch
        {
            "application/json" or "application/x-ndjson" or "application/jsonl" or "application/feed+json" => ".json",
            "text/html" or "application/xhtml+xml" => ".html",
            "application/rss+xml" or "application/atom+xml" or "application/rdf+xml" or "application/xml" or "text/xml" => ".xml",
            "application/zip" or "application/x-zip-compressed" => ".zip",
            "application/gzip" or "application/x-gzip" => ".gz",
            "application/x-tar" => ".tar",
            "application/pdf" => ".pdf",
            "message/rfc822" => ".eml",
            _ => ".txt",
        };
    }

    private static async Task<IResult> GetUploadAsync(long id, IngestQueue queue, CancellationToken cancellationToken) =>
        await queue.FindAsync(id, cancellationToken) is { } upload
            ? Results.Ok(UploadAnswer.From(upload))
            : Results.NotFound(new ProblemDetails { Status = 404, Title = $"no upload with id {id}" });

    private static async Task<IResult> ListUploadsAsync(HttpRequest request, IngestQueue queue, CancellationToken cancellationToken)
    {
        var statusText = request.Query["status"].ToString();
        if (!Enum.TryParse<UploadStatus>(statusText, ignoreCase: true, out var status) || !Enum.IsDefined(status))
        {
            return Problem($"status must be fetching, queued, stored, duplicate or failed, not '{statusText}'");
        }
        if (!TryReadInt(request.Query, "limit", 100, 1, 1000, out var limit, out var error))
        {
            return Problem(error);
        }
        var uploads = await queue.RecentAsync(status, limit, cancellationToken);
        return Results.Ok(uploads.Select(UploadAnswer.From));
    }

    private static async Task<IResult> RetryUploadAsync(long id, IngestQueue queue, CancellationToken cancellationToken)
    {
        var (upload, refusal) = await queue.RetryAsync(id, cancellationToken);
        return upload is not null
            ? Results.Ok(UploadAnswer.From(upload))
            : refusal!.StartsWith("no upload", StringComparison.Ordinal)
                ? Results.NotFound(new ProblemDetails { Status = 404, Title = refusal })
                : Problem(refusal);
    }

    private static async Task<IResult> RetryFailedUploadsAsync(IngestQueue queue, CancellationToken cancellationToken)
    {
        var (requeued, withoutFile) = await queue.RetryAllFailedAsync(cancellationToken);
        return Results.Ok(new { requeued = requeued.Count, withoutFile });
    }

    private static async Task<IResult> ListArticlesAsync(HttpRequest request, DashboardQueries queries, CancellationToken cancellationToken)
    {
        if (!TryReadFilter(request.Query, out var filter, out var error))
        {
            return Problem(error);
        }
        if (!TryReadInt(request.Query, "offset", 0, 0, int.MaxValue, out var offset, out error)
            || !TryReadInt(request.Query, "limit", 100, 1, 1000, out var limit, out error))
        {
            return Problem(error);
        }
        if (!TryReadStories(request.Query, out var stories, out error))
        {
            return Problem(error);
        }
        // count=stories: one row per story (its earliest copy the filter matches), as the dashboard lists them.
        var page = await queries.TimelineAsync(filter, offset, limit, cancellationToken, oneRowPerStory: stories);
        return Results.Ok(new
        {
            total = page.Total,
            offset,
            limit,
            articles = page.Articles.Select(a => new
            {
                id = a.Id,
                title = a.Title,
                date = a.PublishedDate,
                source = a.Source,
                url = a.Url,
                author = a.Author,
                snippet = string.Concat(a.Snippet.Select(p => p.Text)),
                storyCopies = a.StoryCopies,
                entities = a.Entities.Select(e => new { kind = EntityRef.KindName(e.Kind), key = e.Key, name = e.Name }),
            }),
        });
    }

    /// <summary>
    /// Fetches the article's page and keeps its text when it says more than the stored one (a feed's summary): 200 with
    /// <c>updated</c> true or false and the reason, or a problem naming why the page gave nothing (404 no article, 422
    /// no web address, 502 the page could not be had or read, 409 its text is stored as another article).
    /// </summary>
    private static async Task<IResult> FetchFullTextAsync(long id, Feeds.FullTextFetch fullText, CancellationToken cancellationToken)
    {
        try
        {
            var result = await fullText.FetchAsync(id, cancellationToken);
            return Results.Ok(new { id = result.ArticleId, updated = result.Updated, charsBefore = result.CharsBefore, charsAfter = result.CharsAfter, reason = result.Reason });
        }
        catch (Feeds.FullTextException ex)
        {
            return Results.Problem(title: ex.Message, statusCode: ex.Status);
        }
    }

    private static async Task<IResult> GetArticleAsync(long id, DashboardQueries queries, Curation.ArticleRemoval removal, CancellationToken cancellationToken) =>
        await queries.ArticleAsync(id, cancellationToken) is not { } stored
            ? Results.NotFound(new ProblemDetails
            {
                Status = 404,
                // A deleted article's old links say what became of it.
                Title = await removal.FindAsync(id, cancellationToken) is { } deleted
                    ? $"article {id} (\"{deleted.Title}\") was deleted on {deleted.DeletedAt:yyyy-MM-dd}"
                    : $"no article with id {id}",
            })
            : stored is var article
            && await queries.StoryCopiesAsync(id, 1000, cancellationToken) is { } story
            ? Results.Ok(new
            {
                id = article.Id,
                title = article.Title,
                text = article.Text,
                date = article.PublishedDate,
                dateIsFallback = article.DateIsFallback,
                source = article.Source,
                url = article.Url,
                author = article.Author,
                ingestedAt = article.IngestedAt,
                mentions = article.Mentions.Select(m => new
                {
                    kind = EntityRef.KindName(m.Kind),
                    key = m.Key,
                    name = m.Name,
                    count = m.Count,
                    focus = m.IsFocus,
                    score = m.Score,
                    spans = m.Spans,
                }),
                // The other articles of its story (near copies), oldest first; the first copy stands for the story.
                story = new
                {
                    copies = story.Total,
                    articles = story.Copies.Select(c => new { id = c.Id, title = c.Title, date = c.PublishedDate, source = c.Source, first = c.IsFirst }),
                },
            })
            : Results.NotFound(new ProblemDetails { Status = 404, Title = $"no article with id {id}" });

    private static async Task<IResult> MentionsAsync(HttpRequest request, DashboardQueries queries, CancellationToken cancellationToken)
    {
        var kindText = request.Query["kind"].ToString();
        if (!EntityRef.TryParseKind(kindText, out var kind))
        {
            return Problem(string.IsNullOrEmpty(kindText)
                ? "kind is required: country, person, organization or topic"
                : $"'{kindText}' is not an entity kind: expected country, person, organization or topic");
        }
        if (!TryReadFilter(request.Query, out var filter, out var error)
            || !TryReadInt(request.Query, "limit", 20, 1, 10_000, out var limit, out error))
        {
            return Problem(error);
        }
        var count = request.Query["count"].ToString();
        if (count is not ("" or "articles" or "mentions" or "stories"))
        {
            return Problem($"count must be articles, mentions or stories, not '{count}'");
        }
        var countries = request.Query["countries"].ToString();
        if (countries is not ("" or "mentioned" or "about"))
        {
            return Problem($"countries must be mentioned or about, not '{countries}'");
        }
        var rows = await queries.TopEntitiesAsync(kind, filter, limit, countMentions: count == "mentions",
            focusOnly: kind == EntityKind.Country && countries == "about", cancellationToken, countStories: count == "stories");
        return Results.Ok(rows.Select(r => new { key = r.Key, name = r.Name, count = r.Count }));
    }

    /// <summary>The outlets or bylines with the most articles in the filter: the sources and authors charts' numbers.</summary>
    private static async Task<IResult> NamedCountsAsync(HttpRequest request, Func<ArticleFilter, int, Task<IReadOnlyList<NamedCount>>> top)
    {
        if (!TryReadFilter(request.Query, out var filter, out var error)
            || !TryReadInt(request.Query, "limit", 20, 1, 10_000, out var limit, out error))
        {
            return Problem(error);
        }
        var rows = await top(filter, limit);
        return Results.Ok(rows.Select(r => new { name = r.Name, articles = r.Articles }));
    }

    /// <summary>The Words card: the words the filter's articles use far more than articles in general (the most used ones without a filter).</summary>
    private static async Task<IResult> WordsAsync(HttpRequest request, DashboardQueries queries, CancellationToken cancellationToken)
    {
        if (!TryReadFilter(request.Query, out var filter, out var error)
            || !TryReadInt(request.Query, "limit", 24, 1, 200, out var limit, out error))
        {
            return Problem(error);
        }
        var words = await queries.DistinctiveWordsAsync(filter, limit, cancellationToken);
        return Results.Ok(words.Select(w => new { word = w.Word, articles = w.Articles, share = Math.Round(w.Share, 4), usual = Math.Round(w.Usual, 4), score = Math.Round(w.Score, 4) }));
    }

    /// <summary>
    /// The Rising and fading card: the entities whose attention changed most between the filter's period and the one
    /// of the same length before it (the last week against the week before, without a start date).
    /// </summary>
    private static async Task<IResult> RisingAsync(HttpRequest request, DashboardQueries queries, CancellationToken cancellationToken)
    {
        if (!TryReadFilter(request.Query, out var filter, out var error)
            || !TryReadInt(request.Query, "limit", 10, 1, 500, out var limit, out error)
            || !TryReadStories(request.Query, out var stories, out error))
        {
            return Problem(error);
        }
        if (await queries.AttentionShiftAsync(filter, limit, stories, cancellationToken) is not { } shift)
        {
            return Results.Ok(new { from = (DateOnly?)null, to = (DateOnly?)null, rising = Array.Empty<object>(), fading = Array.Empty<object>() });
        }
        object Row(AttentionChange c) => new
        {
            kind = EntityRef.KindName(c.Entity.Kind),
            key = c.Entity.Key,
            name = c.Name,
            count = c.Articles,
            before = c.Before,
            expected = Math.Round(c.Expected, 2),
            score = Math.Round(c.Score, 2),
        };
        return Results.Ok(new
        {
            from = shift.From,
            to = shift.To,
            beforeFrom = shift.BeforeFrom,
            beforeTo = shift.BeforeTo,
            articles = shift.Articles,
            articlesBefore = shift.ArticlesBefore,
            rising = shift.Rising.Select(Row),
            fading = shift.Fading.Select(Row),
        });
    }

    private static async Task<IResult> VolumeAsync(HttpRequest request, DashboardQueries queries, CancellationToken cancellationToken)
    {
        if (!TryReadFilter(request.Query, out var filter, out var error))
        {
            return Problem(error);
        }
        var points = await queries.VolumeAsync(filter, cancellationToken);
        return Results.Ok(points.Select(p => new { date = p.Day, articles = p.Articles }));
    }

    /// <summary>Reads from, to, entity, exclude, source and author exactly as the dashboard's URL carries them.</summary>
    public static bool TryReadFilter(IQueryCollection query, out ArticleFilter filter, out string error)
    {
        filter = ArticleFilter.All;
        if (!TryReadDate(query, "from", out var from, out error) || !TryReadDate(query, "to", out var to, out error))
        {
            return false;
        }
        if (from is not null && to is not null && from > to)
        {
            error = $"from ({from:yyyy-MM-dd}) is after to ({to:yyyy-MM-dd})";
            return false;
        }
        var included = new List<EntityRef>();
        var excluded = new List<EntityRef>();
        foreach (var (name, list) in new[] { ("entity", included), ("exclude", excluded) })
        {
            foreach (var value in query[name])
            {
                if (!EntityRef.TryParse(value, out var entity, out var parseError))
                {
                    error = $"{name}: {parseError}";
                    return false;
                }
                list.Add(entity);
            }
        }
        var source = query["source"].ToString();
        var author = query["author"].ToString().Trim();
        var text = query["q"].ToString().Trim();
        if (text.Length > 500)
        {
            error = "q: the search is longer than 500 characters";
            return false;
        }
        filter = new ArticleFilter
        {
            From = from,
            To = to,
            Entities = included,
            Excluded = excluded,
            Source = source.Length == 0 ? null : source,
            Author = author.Length == 0 ? null : author,
            Text = text.Length == 0 ? null : text,
        };
        return true;
    }

    private static bool TryReadDate(IQueryCollection query, string name, out DateOnly? date, out string error)
    {
        date = null;
        error = "";
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return true;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            date = parsed;
            return true;
        }
        error = $"{name}: '{text}' is not a date; expected YYYY-MM-DD";
        return false;
    }

    /// <summary>
    /// A list of articles' <c>count=</c>: <c>stories</c> lists each story once, <c>articles</c> (or nothing) every article;
    /// <c>mentions</c>, the dashboard's other counting, lists articles too where <paramref name="mentionsAreArticles"/>.
    /// </summary>
    internal static bool TryReadStories(IQueryCollection query, out bool stories, out string error, bool mentionsAreArticles = false)
    {
        var count = query["count"].ToString();
        stories = count == "stories";
        error = count is "" or "articles" or "stories" || (mentionsAreArticles && count == "mentions") ? "" : $"count must be articles or stories, not '{count}'";
        return error.Length == 0;
    }

    internal static bool TryReadInt(IQueryCollection query, string name, int fallback, int min, int max, out int value, out string error)
    {
        value = fallback;
        error = "";
        var text = query[name].ToString();
        if (text.Length == 0)
        {
            return true;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }
        error = $"{name}: '{text}' must be a whole number from {min} to {max}";
        return false;
    }

    /// <summary>A 400 with the reason, as every endpoint answers input it cannot read.</summary>
    internal static IResult Problem(string message) =>
        Results.BadRequest(new ProblemDetails { Status = 400, Title = "Bad request", Detail = message });
}
