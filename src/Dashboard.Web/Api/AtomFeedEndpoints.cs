using System.Globalization;
using System.ServiceModel.Syndication;
using System.Xml;
using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Dashboard.Web.Monitoring;
using Microsoft.AspNetCore.Mvc;

namespace Dashboard.Web.Api;

/// <summary>
/// The timeline as an Atom feed, so a feed reader (or any alerting tool that polls feeds) follows a standing question:
/// any view by its filter (<c>/api/articles.atom?entity=country:IR&amp;days=7</c>) or a saved view by its id, titled
/// with its name. Each entry is an article, newest first, with its dashboard page as its id; the filter's grammar is
/// the dashboard's, so the query of a dashboard address makes a feed of that view.
/// </summary>
public static class AtomFeedEndpoints
{
    public const int DefaultEntries = 50;
    public const int MaxEntries = 500;

    public static IEndpointRouteBuilder MapAtomFeeds(this IEndpointRouteBuilder api)
    {
        api.MapGet("/articles.atom", async (HttpContext context, DashboardQueries queries, TimeProvider clock) =>
        {
            var query = context.Request.Query;
            if (!ApiEndpoints.TryReadFilter(query, out var filter, out var error) || !TryReadView(query, filter, Today(clock), out var view, out error)
                || !TryReadLimit(query, out var limit, out error))
            {
                return Results.BadRequest(new ProblemDetails { Status = 400, Title = "Bad request", Detail = error });
            }
            return await FeedAsync(context, queries, clock, view, limit, await TitleAsync(queries, view, context.RequestAborted));
        });
        api.MapGet("/views/{id:long}/articles.atom", async (long id, HttpContext context, SavedViews views, DashboardQueries queries, TimeProvider clock) =>
        {
            if (!TryReadLimit(context.Request.Query, out var limit, out var error))
            {
                return Results.BadRequest(new ProblemDetails { Status = 400, Title = "Bad request", Detail = error });
            }
            var saved = (await views.ListAsync(context.RequestAborted)).FirstOrDefault(v => v.Id == id);
            if (saved is null)
            {
                return Results.NotFound(new ProblemDetails { Status = 404, Title = $"no saved view with id {id}" });
            }
            // Read as the dashboard reads it today: a moving window moves.
            var view = DashboardUrl.ParseUrl(saved.Url, Today(clock));
            return await FeedAsync(context, queries, clock, view, limit, $"News Monitor: {saved.Name}");
        });
        return api;
    }

    /// <summary>The view's latest articles as an Atom document.</summary>
    private static async Task<IResult> FeedAsync(HttpContext context, DashboardQueries queries, TimeProvider clock, DashboardView view, int limit, string title)
    {
        var page = await queries.TimelineAsync(view.Filter, 0, limit, context.RequestAborted, oneRowPerStory: view.CountStories);
        var request = context.Request;
        var site = $"{request.Scheme}://{request.Host}{request.PathBase}";
        var self = new Uri(site + request.Path + request.QueryString);
        var items = page.Articles.Select(article =>
        {
            var dashboardPage = new Uri($"{site}/articles/{article.Id}");
            var published = new DateTimeOffset(article.PublishedDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var item = new SyndicationItem
            {
                // The article's page here names it for good; its own address may be missing, or shared by copies.
                Id = dashboardPage.AbsoluteUri,
                Title = new TextSyndicationContent(article.Title),
                Summary = new TextSyndicationContent(string.Concat(article.Snippet.Select(s => s.Text)).Trim()),
                PublishDate = published,
                LastUpdatedTime = published,
            };
            item.Links.Add(SyndicationLink.CreateAlternateLink(Uri.TryCreate(article.Url, UriKind.Absolute, out var original) ? original : dashboardPage));
            item.Links.Add(new SyndicationLink(dashboardPage, "related", "Countries, actors and topics found in it", "text/html", 0));
            if (article.Author is { Length: > 0 } author)
            {
                item.Authors.Add(new SyndicationPerson { Name = author });
            }
            if (article.Source is { Length: > 0 } source)
            {
                item.Contributors.Add(new SyndicationPerson { Name = source });
            }
            foreach (var entity in article.Entities)
            {
                item.Categories.Add(new SyndicationCategory(entity.Key, $"{site}/entities/{EntityRef.KindName(entity.Kind)}", entity.Name));
            }
            return item;
        }).ToList();
        var feed = new SyndicationFeed(items)
        {
            Id = self.AbsoluteUri,
            Title = new TextSyndicationContent(title),
            Description = new TextSyndicationContent($"{page.Total:N0} {(view.CountStories ? "stories" : "articles")} in this view; the latest {items.Count} here, newest first.",
                TextSyndicationContentKind.Plaintext),
            Generator = "News Monitor",
            LastUpdatedTime = items.Count > 0 ? items.Max(i => i.LastUpdatedTime) : clock.GetUtcNow(),
        };
        feed.Links.Add(SyndicationLink.CreateSelfLink(self, "application/atom+xml"));
        feed.Links.Add(SyndicationLink.CreateAlternateLink(new Uri(site + DashboardUrl.For(view)), "text/html"));
        return Atom(feed);
    }

    /// <summary>A feed as the Atom document a feed reader is given.</summary>
    internal static IResult Atom(SyndicationFeed feed)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false) }))
        {
            new Atom10FeedFormatter(feed).WriteTo(writer);
        }
        return Results.Bytes(buffer.ToArray(), "application/atom+xml; charset=utf-8");
    }

    /// <summary>The dashboard's switches that change the list: a moving window (<c>days=N</c>) and one row per story (<c>count=stories</c>).</summary>
    private static bool TryReadView(IQueryCollection query, ArticleFilter filter, DateOnly today, out DashboardView view, out string error)
    {
        view = new DashboardView(filter);
        // A dashboard address's query may count mentions: its list of articles is the same.
        if (!ApiEndpoints.TryReadStories(query, out var stories, out error, mentionsAreArticles: true)
            || !ApiEndpoints.TryReadInt(query, "days", 0, 1, DashboardView.MaxDays, out var days, out error))
        {
            return false;
        }
        view = DashboardUrl.ParseView(filter, stories ? "stories" : null, null, null, days == 0 ? null : days.ToString(CultureInfo.InvariantCulture), today);
        return true;
    }

    private static bool TryReadLimit(IQueryCollection query, out int limit, out string error) =>
        ApiEndpoints.TryReadInt(query, "limit", DefaultEntries, 1, MaxEntries, out limit, out error);

    /// <summary>"News Monitor: Iran, Gaza (search "ceasefire"), last 7 days": the view in words, entity names and all.</summary>
    private static async Task<string> TitleAsync(DashboardQueries queries, DashboardView view, CancellationToken cancellationToken)
    {
        var filter = view.Filter;
        var parts = new List<string>();
        foreach (var entity in filter.Entities)
        {
            parts.Add(await queries.EntityNameAsync(entity, cancellationToken) ?? entity.ToString());
        }
        foreach (var entity in filter.Excluded)
        {
            parts.Add("not " + (await queries.EntityNameAsync(entity, cancellationToken) ?? entity.ToString()));
        }
        if (filter.Text is { } text)
        {
            parts.Add($"search \"{text}\"");
        }
        if (filter.Source is { } source)
        {
            parts.Add($"from {source}");
        }
        if (filter.Author is { } author)
        {
            parts.Add($"by {author}");
        }
        if (view.Days is { } days)
        {
            parts.Add(days == 1 ? "today" : $"last {days} days");
        }
        else if (filter.From is not null || filter.To is not null)
        {
            parts.Add($"{DashboardUrl.FormatDate(filter.From) ?? "…"} to {DashboardUrl.FormatDate(filter.To) ?? "…"}");
        }
        return "News Monitor: " + (parts.Count == 0 ? "every article" : string.Join(", ", parts));
    }

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
