using System.Globalization;
using System.ServiceModel.Syndication;
using Dashboard.Web.Data;
using Dashboard.Web.Model;

namespace Dashboard.Web.Api;

/// <summary>
/// What a person, organisation or country said (<see cref="Statements"/>): <c>GET /api/statements</c> for the latest, as
/// the entity page lists them, and <c>GET /api/export/statements.csv</c> for every one, copies included, no cap.
/// </summary>
public static class StatementEndpoints
{
    public const int DefaultLimit = 20;

    public static IEndpointRouteBuilder MapStatements(this IEndpointRouteBuilder api)
    {
        api.MapGet("/statements", LatestAsync);
        api.MapGet("/export/statements.csv", ExportAsync);
        api.MapGet("/voices", VoicesAsync);
        api.MapGet("/statements.atom", FeedAsync);
        return api;
    }

    private static async Task<IResult> LatestAsync(HttpRequest request, Statements statements, DashboardQueries queries, CancellationToken cancellationToken)
    {
        if (!TryReadSpeaker(request.Query, out var speaker, out var about, out var filter, out var error)
            || !ApiEndpoints.TryReadInt(request.Query, "limit", DefaultLimit, 1, 200, out var limit, out error))
        {
            return ApiEndpoints.Problem(error);
        }
        foreach (var entity in new[] { speaker, about })
        {
            if (entity is not null && await queries.EntityNameAsync(entity, cancellationToken) is null)
            {
                return Results.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 404, Title = $"nothing is stored as {entity}" });
            }
        }
        var page = await statements.LatestAsync(speaker, filter, about, limit, cancellationToken);
        return Results.Ok(new
        {
            speaker = speaker?.ToString(),
            about = about?.ToString(),
            articlesRead = page.ArticlesRead,
            readAll = page.ReadAll,
            statements = page.Statements.Select(s => new
            {
                speaker = new { kind = EntityRef.KindName(s.Speaker.Kind), key = s.Speaker.Key, name = s.SpeakerName },
                articleId = s.ArticleId,
                title = s.Title,
                date = s.Date,
                source = s.Source,
                url = s.Url,
                spokenAs = s.SpokenAs,
                verb = s.Verb,
                quoted = s.Quoted,
                quote = s.Quote,
                sentence = s.Sentence,
                copies = s.Copies,
            }),
        });
    }

    /// <summary>
    /// What a speaker says, as an Atom feed a feed reader follows: one entry per new statement, its words as the title and
    /// its sentence as the summary, linked to its article. Europe Media Monitor's quotation alerts, in any reader.
    /// </summary>
    private static async Task<IResult> FeedAsync(HttpContext context, Statements statements, DashboardQueries queries, TimeProvider clock)
    {
        var query = context.Request.Query;
        if (!TryReadSpeaker(query, out var speaker, out var about, out var filter, out var error)
            || !ApiEndpoints.TryReadInt(query, "limit", AtomFeedEndpoints.DefaultEntries, 1, AtomFeedEndpoints.MaxEntries, out var limit, out error))
        {
            return ApiEndpoints.Problem(error);
        }
        string? speakerName = null, aboutName = null;
        foreach (var (entity, assign) in new (EntityRef?, Action<string>)[] { (speaker, n => speakerName = n), (about, n => aboutName = n) })
        {
            if (entity is null)
            {
                continue;
            }
            if (await queries.EntityNameAsync(entity, context.RequestAborted) is not { } name)
            {
                return Results.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 404, Title = $"nothing is stored as {entity}" });
            }
            assign(name);
        }
        var page = await statements.LatestAsync(speaker, filter, about, limit, context.RequestAborted);
        var request = context.Request;
        var site = $"{request.Scheme}://{request.Host}{request.PathBase}";
        var self = new Uri(site + request.Path + request.QueryString);
        var items = page.Statements.Select(s =>
        {
            var articlePage = new Uri($"{site}/articles/{s.ArticleId}");
            var published = new DateTimeOffset(s.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var words = s.Quoted ? $"\u201C{s.Quote}\u201D" : s.Quote;
            var item = new SyndicationItem
            {
                // The article's page and the words' own fingerprint: the same words in the same article are one entry for good.
                Id = $"{articlePage.AbsoluteUri}#statement-{Fingerprint(s.SpeakerName + "\n" + s.Quote)}",
                Title = new TextSyndicationContent($"{s.SpeakerName} {s.Verb}: {words}"),
                Summary = new TextSyndicationContent($"{s.Sentence} ({s.Title}{(s.Source is null ? "" : ", " + s.Source)})"),
                PublishDate = published,
                LastUpdatedTime = published,
            };
            item.Links.Add(SyndicationLink.CreateAlternateLink(Uri.TryCreate(s.Url, UriKind.Absolute, out var original) ? original : articlePage));
            item.Links.Add(new SyndicationLink(articlePage, "related", "The article and who said what in it", "text/html", 0));
            item.Authors.Add(new SyndicationPerson { Name = s.SpeakerName });
            return item;
        }).ToList();
        var title = speakerName is null
            ? $"News Monitor: what was said{(aboutName is null ? "" : $" about {aboutName}")}"
            : $"News Monitor: what {speakerName} said{(aboutName is null ? "" : $" about {aboutName}")}";
        var feed = new SyndicationFeed(items)
        {
            Id = self.AbsoluteUri,
            Title = new TextSyndicationContent(title),
            Description = new TextSyndicationContent($"The latest {items.Count} statements, newest article first, from the newest {page.ArticlesRead:N0} articles.", TextSyndicationContentKind.Plaintext),
            Generator = "News Monitor",
            LastUpdatedTime = items.Count > 0 ? items.Max(i => i.LastUpdatedTime) : clock.GetUtcNow(),
        };
        feed.Links.Add(SyndicationLink.CreateSelfLink(self, "application/atom+xml"));
        if ((speaker ?? about) is { } followed)
        {
            var entityPage = site + DashboardUrl.EntityPage(followed) + (speaker is null ? "?statements=about" : about is null ? "" : $"?about={about}");
            feed.Links.Add(SyndicationLink.CreateAlternateLink(new Uri(entityPage), "text/html"));
        }
        return AtomFeedEndpoints.Atom(feed);
    }

    private static string Fingerprint(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Statements.Wording(text))))[..16];

    /// <summary>The most quoted of the filter's newest articles (<see cref="Statements.VoicesAsync"/>).</summary>
    private static async Task<IResult> VoicesAsync(HttpRequest request, Statements statements, CancellationToken cancellationToken)
    {
        if (!ApiEndpoints.TryReadFilter(request.Query, out var filter, out var error)
            || !ApiEndpoints.TryReadInt(request.Query, "limit", 10, 1, 500, out var limit, out error))
        {
            return ApiEndpoints.Problem(error);
        }
        var page = await statements.VoicesAsync(filter, limit, cancellationToken);
        return Results.Ok(new
        {
            articlesRead = page.ArticlesRead,
            voices = page.Voices.Select(v => new { kind = EntityRef.KindName(v.Entity.Kind), key = v.Entity.Key, name = v.Name, statements = v.Statements, articles = v.Articles }),
        });
    }

    /// <summary>Every statement of the speaker in the filter's articles, newest article first, streamed: one row per article it was found in.</summary>
    private static async Task ExportAsync(HttpContext context, Statements statements, DashboardQueries queries, TimeProvider clock)
    {
        if (!TryReadSpeaker(context.Request.Query, out var speaker, out var about, out var filter, out var error))
        {
            await ExportEndpoints.BadRequestAsync(context, error);
            return;
        }
        await using var writer = await ExportEndpoints.StartAsync(context, "statements.csv", clock);
        await writer.WriteLineAsync("article_id,date,title,source,url,speaker,speaker_key,spoken_as,verb,quoted,quote,sentence");
        await foreach (var s in statements.AllAsync(speaker, filter, about, context.RequestAborted))
        {
            await writer.WriteLineAsync(string.Join(",",
                s.ArticleId.ToString(CultureInfo.InvariantCulture), s.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ExportEndpoints.Csv(s.Title), ExportEndpoints.Csv(s.Source), ExportEndpoints.Csv(s.Url), ExportEndpoints.Csv(s.SpeakerName),
                ExportEndpoints.Csv(s.Speaker.ToString()), ExportEndpoints.Csv(s.SpokenAs), ExportEndpoints.Csv(s.Verb), s.Quoted ? "yes" : "no",
                ExportEndpoints.Csv(s.Quote), ExportEndpoints.Csv(s.Sentence)));
        }
    }

    /// <summary><c>speaker=kind:key</c> (a country, person or organisation), <c>about=kind:key</c> and the usual filter; without either, everyone's statements in the filter.</summary>
    private static bool TryReadSpeaker(IQueryCollection query, out EntityRef? speaker, out EntityRef? about, out ArticleFilter filter, out string error)
    {
        speaker = null;
        about = null;
        filter = ArticleFilter.All;
        foreach (var name in new[] { "speaker", "about" })
        {
            var text = query[name].ToString();
            if (text.Length == 0)
            {
                continue;
            }
            if (!EntityRef.TryParse(text, out var parsed, out var parseError))
            {
                error = $"{name}: {parseError}";
                return false;
            }
            if (name == "speaker")
            {
                if (parsed.Kind == EntityKind.Topic)
                {
                    error = $"speaker: {text} is a topic, and a topic says nothing; give a person, organization or country";
                    return false;
                }
                speaker = parsed;
            }
            else
            {
                about = parsed;
            }
        }
        return ApiEndpoints.TryReadFilter(query, out filter, out error);
    }
}
