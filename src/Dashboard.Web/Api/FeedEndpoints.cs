using Dashboard.Web.Access;
using Dashboard.Web.Feeds;
using Dashboard.Web.Ingestion;
using Microsoft.AspNetCore.Mvc;

namespace Dashboard.Web.Api;

/// <summary>Feed subscriptions over HTTP: list with health, add, change, remove, poll now, OPML in and out.</summary>
public static class FeedEndpoints
{
    /// <summary>The body of <c>POST /api/feeds</c>.</summary>
    public sealed record NewFeed(string? Url, string? Title, bool? FetchFullArticle, int? PollMinutes);

    /// <summary>The body of <c>PATCH /api/feeds/{id}</c>: what is given changes, the rest stays.</summary>
    public sealed record FeedChange(bool? Enabled, bool? FetchFullArticle, int? PollMinutes, string? Title);

    public static RouteGroupBuilder MapFeeds(this RouteGroupBuilder api)
    {
        var feeds = api.MapGroup("/feeds");
        feeds.MapGet("", ListAsync);
        feeds.MapGet("/opml", ExportOpmlAsync);

        var changes = feeds.MapGroup("").RequireAuthorization(DashboardPolicies.Upload).DisableAntiforgery();
        changes.MapPost("", AddAsync);
        changes.MapPatch("/{id:long}", UpdateAsync);
        changes.MapDelete("/{id:long}", RemoveAsync);
        changes.MapPost("/{id:long}/poll", PollAsync);
        changes.MapPost("/opml", ImportOpmlAsync);
        return api;
    }

    private static async Task<IResult> ListAsync(FeedSubscriptions subscriptions, CancellationToken cancellationToken) =>
        Results.Ok((await subscriptions.ListAsync(cancellationToken)).Select(Answer));

    private static async Task<IResult> AddAsync(NewFeed? body, FeedSubscriptions subscriptions, CancellationToken cancellationToken)
    {
        var (feed, refusal) = await subscriptions.AddAsync(body?.Url, body?.Title, body?.FetchFullArticle ?? false, body?.PollMinutes, cancellationToken);
        if (feed is null)
        {
            return ApiEndpoints.Problem(refusal!);
        }
        var health = (await subscriptions.ListAsync(cancellationToken)).First(f => f.Id == feed.Id);
        return Results.Created($"/api/feeds/{feed.Id}", Answer(health));
    }

    private static async Task<IResult> UpdateAsync(long id, FeedChange body, FeedSubscriptions subscriptions, CancellationToken cancellationToken)
    {
        var (found, refusal) = await subscriptions.UpdateAsync(id, body.Enabled, body.FetchFullArticle, body.PollMinutes, body.Title, cancellationToken);
        if (refusal is not null)
        {
            return ApiEndpoints.Problem(refusal);
        }
        return found
            ? Results.Ok(Answer((await subscriptions.ListAsync(cancellationToken)).First(f => f.Id == id)))
            : NotFound(id);
    }

    private static async Task<IResult> RemoveAsync(long id, FeedSubscriptions subscriptions, CancellationToken cancellationToken) =>
        await subscriptions.RemoveAsync(id, cancellationToken) ? Results.NoContent() : NotFound(id);

    /// <summary>Polls at once and answers with what the poll did; the items are then in the queue like any upload.</summary>
    private static async Task<IResult> PollAsync(long id, FeedPoller poller, CancellationToken cancellationToken) =>
        await poller.PollAsync(id, cancellationToken) is { } result
            ? Results.Ok(new
            {
                id = result.FeedId,
                outcome = result.Outcome.ToString().ToLowerInvariant(),
                items = result.Items,
                pages = result.Pages,
                error = result.Error,
                nextPollAt = result.NextPollAt,
            })
            : NotFound(id);

    /// <summary>Takes the OPML as a multipart file (any field name) or as the request body.</summary>
    private static async Task<IResult> ImportOpmlAsync(HttpRequest request, FeedSubscriptions subscriptions, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var limit = UploadLimits.MaxFeedBytes(configuration);
        string fileName;
        byte[] content;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            if (form.Files.Count == 0)
            {
                return ApiEndpoints.Problem("the request has no OPML file");
            }
            var file = form.Files[0];
            if (file.Length > limit)
            {
                return ApiEndpoints.Problem($"{file.FileName}: {file.Length:N0} bytes is over the upload limit of {limit:N0} bytes");
            }
            fileName = file.FileName;
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            content = buffer.ToArray();
        }
        else
        {
            fileName = "subscriptions.opml";
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken);
            if (buffer.Length > limit)
            {
                return ApiEndpoints.Problem($"the OPML is over the upload limit of {limit:N0} bytes");
            }
            content = buffer.ToArray();
        }
        try
        {
            var import = await subscriptions.ImportOpmlAsync(fileName, content, cancellationToken);
            return Results.Ok(new
            {
                added = import.Added.Select(f => new { id = f.Id, url = f.Url, title = f.Title }),
                alreadySubscribed = import.AlreadySubscribed,
                refused = import.Refused,
            });
        }
        catch (ArticleParseException ex)
        {
            return ApiEndpoints.Problem(ex.Message);
        }
    }

    private static async Task<IResult> ExportOpmlAsync(FeedSubscriptions subscriptions, CancellationToken cancellationToken) =>
        Results.File(System.Text.Encoding.UTF8.GetBytes(await subscriptions.ExportOpmlAsync(cancellationToken)), "text/x-opml; charset=utf-8", "feeds.opml");

    private static object Answer(FeedHealth f) => new
    {
        id = f.Id,
        url = f.Url,
        title = f.Title,
        enabled = f.Enabled,
        fetchFullArticle = f.FetchFullArticle,
        pollMinutes = f.PollMinutes,
        addedAt = f.AddedAt,
        health = f.Health,
        lastPolledAt = f.LastPolledAt,
        lastSuccessAt = f.LastSuccessAt,
        lastError = f.LastError,
        lastErrorAt = f.LastErrorAt,
        consecutiveFailures = f.ConsecutiveFailures,
        nextPollAt = f.NextPollAt,
        itemsLastWeek = f.ItemsLastWeek,
        itemsPerDay = f.ItemsPerDay.Select(d => new { date = d.Day, items = d.Items }),
        pagesWaiting = f.PagesWaiting,
    };

    private static IResult NotFound(long id) => Results.NotFound(new ProblemDetails { Status = 404, Title = $"no feed with id {id}" });
}
