using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Api;

/// <summary>
/// Exports of the current view: every article of a filter (streamed, no cap; as CSV, or with its text as JSON
/// Lines) and the numbers behind each chart, as CSV. The filter is written into the file's first lines so a number can be traced to its view.
/// </summary>
public static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder api)
    {
        api.MapGet("/export/articles.csv", (HttpContext context, IDbContextFactory<DashboardDb> dbFactory, TimeProvider clock) => ArticlesAsync(context, dbFactory, clock, withText: false));
        api.MapGet("/export/articles.jsonl", (HttpContext context, IDbContextFactory<DashboardDb> dbFactory, TimeProvider clock) => ArticlesAsync(context, dbFactory, clock, withText: true));
        api.MapGet("/export/mentions.csv", MentionsAsync);
        api.MapGet("/export/volume.csv", VolumeAsync);
        api.MapGet("/export/sources.csv", (HttpContext context, DashboardQueries queries, TimeProvider clock) =>
            NamedCountsAsync(context, clock, "sources.csv", "source", filter => queries.TopSourcesAsync(filter, int.MaxValue, context.RequestAborted)));
        api.MapGet("/export/authors.csv", (HttpContext context, DashboardQueries queries, TimeProvider clock) =>
            NamedCountsAsync(context, clock, "authors.csv", "author", filter => queries.TopAuthorsAsync(filter, int.MaxValue, context.RequestAborted)));
        api.MapGet("/export/trends.csv", TrendsAsync);
        return api;
    }

    /// <summary>
    /// Every article of the filter: a CSV table of its metadata and entities, or (<paramref name="withText"/>) JSON
    /// Lines with the whole text, one article per line in the fields an upload reads, so a collection can move to
    /// another News Monitor (or any tool that reads JSON Lines) and be imported there as it is.
    /// </summary>
    private static async Task ArticlesAsync(HttpContext context, IDbContextFactory<DashboardDb> dbFactory, TimeProvider clock, bool withText)
    {
        if (!ApiEndpoints.TryReadFilter(context.Request.Query, out var filter, out var error))
        {
            await BadRequestAsync(context, error);
            return;
        }
        if (!ApiEndpoints.TryReadStories(context.Request.Query, out var stories, out error))
        {
            await BadRequestAsync(context, error);
            return;
        }
        await using var db = await dbFactory.CreateDbContextAsync(context.RequestAborted);
        IQueryable<Article> articles;
        try
        {
            articles = await DashboardQueries.FilterAsync(db, filter, context.RequestAborted);
            if (stories)
            {
                // One row per story, its earliest copy the filter matches: the timeline as the dashboard lists it then.
                articles = DashboardQueries.FirstCopies(articles);
            }
        }
        catch (SearchQueryException ex)
        {
            await BadRequestAsync(context, ex.Message);
            return;
        }

        StreamWriter writer;
        if (withText)
        {
            // No comment lines in JSON Lines: every line must be an article for the file to be read back.
            writer = Start(context, "articles.jsonl", "application/x-ndjson");
        }
        else
        {
            writer = await StartAsync(context, "articles.csv", clock);
            await writer.WriteLineAsync("id,date,title,source,url,author,countries,people,organizations,topics,story");
        }
        await using (writer)
        {
            // Rows stream in pages of ids so a million-article export never sits in memory; the texts are read a page at a time.
            var ordered = articles.OrderByDescending(a => a.PublishedDate).ThenByDescending(a => a.Id)
                .Select(a => new ExportRow(a.Id, a.PublishedDate, a.DateIsFallback, a.PublishedAt, a.Title, a.Source, a.Url, a.Author, a.StoryId ?? a.Id));
            var page = new List<ExportRow>(500);
            await foreach (var row in ordered.AsAsyncEnumerable().WithCancellation(context.RequestAborted))
            {
                page.Add(row);
                if (page.Count == 500)
                {
                    await WritePageAsync(dbFactory, writer, page, withText, context.RequestAborted);
                    page.Clear();
                }
            }
            await WritePageAsync(dbFactory, writer, page, withText, context.RequestAborted);
        }
    }

    /// <param name="Story">The story's first article (the article itself when it is no copy): rows with the same story are copies of one.</param>
    private sealed record ExportRow(long Id, DateOnly Date, bool DateIsFallback, DateTimeOffset? PublishedAt, string Title, string? Source, string? Url, string? Author, long Story);

    private static async Task WritePageAsync(IDbContextFactory<DashboardDb> dbFactory, StreamWriter writer, List<ExportRow> page, bool withText, CancellationToken cancellationToken)
    {
        if (page.Count == 0)
        {
            return;
        }
        var ids = page.Select(p => p.Id).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mentions = (await db.Mentions.Where(m => ids.Contains(m.ArticleId))
                .Select(m => new { m.ArticleId, m.Entity!.Kind, m.Entity.Key, m.Entity.Name, m.Count, m.Score })
                .ToListAsync(cancellationToken))
            .ToLookup(m => (m.ArticleId, m.Kind));
        var texts = withText
            ? await db.Articles.Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.Text }).ToDictionaryAsync(a => a.Id, a => a.Text, cancellationToken)
            : null;
        foreach (var row in page)
        {
            IEnumerable<(string Key, string Name)> Entities(EntityKind kind) => mentions[(row.Id, kind)]
                .OrderByDescending(m => kind == EntityKind.Topic ? m.Score : m.Count).ThenBy(m => m.Name, StringComparer.Ordinal)
                .Select(m => (m.Key, m.Name));
            if (texts is not null)
            {
                object Named(EntityKind kind) => Entities(kind).Select(e => new { key = e.Key, name = e.Name });
                await writer.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    id = row.Id,
                    title = row.Title,
                    text = texts[row.Id],
                    // The instant with its own offset when the source gave one; a borrowed date is said to be one.
                    date = row.PublishedAt?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture) ?? row.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    date_is_fallback = row.DateIsFallback,
                    url = row.Url,
                    source = row.Source,
                    author = row.Author,
                    countries = Named(EntityKind.Country),
                    people = Named(EntityKind.Person),
                    organizations = Named(EntityKind.Organization),
                    topics = Named(EntityKind.Topic),
                    story = row.Story,
                }, JsonLine));
                continue;
            }
            string Names(EntityKind kind, bool keys) => string.Join("; ", Entities(kind).Select(e => keys ? e.Key : e.Name));
            await writer.WriteLineAsync(string.Join(",",
                row.Id.ToString(CultureInfo.InvariantCulture), row.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Csv(row.Title), Csv(row.Source), Csv(row.Url), Csv(row.Author),
                Csv(Names(EntityKind.Country, keys: true)), Csv(Names(EntityKind.Person, keys: false)),
                Csv(Names(EntityKind.Organization, keys: false)), Csv(Names(EntityKind.Topic, keys: true)),
                row.Story.ToString(CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>Readable text in the file (no \u escapes for accents or quotes), still one line per article.</summary>
    private static readonly JsonSerializerOptions JsonLine = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static async Task MentionsAsync(HttpContext context, DashboardQueries queries, TimeProvider clock)
    {
        var query = context.Request.Query;
        if (!EntityRef.TryParseKind(query["kind"], out var kind))
        {
            await BadRequestAsync(context, "kind is required: country, person, organization or topic");
            return;
        }
        if (!ApiEndpoints.TryReadFilter(query, out var filter, out var error))
        {
            await BadRequestAsync(context, error);
            return;
        }
        IReadOnlyList<EntityCount> rows;
        try
        {
            rows = await queries.TopEntitiesAsync(kind, filter, int.MaxValue,
                countMentions: query["count"] == "mentions",
                focusOnly: kind == EntityKind.Country && query["countries"] == "about",
                context.RequestAborted,
                countStories: query["count"] == "stories");
        }
        catch (SearchQueryException ex)
        {
            await BadRequestAsync(context, ex.Message);
            return;
        }
        await using var writer = await StartAsync(context, $"{EntityRef.KindName(kind)}-mentions.csv", clock);
        await writer.WriteLineAsync($"key,name,{(query["count"].ToString() is "mentions" or "stories" ? query["count"].ToString() : "articles")}");
        foreach (var row in rows)
        {
            await writer.WriteLineAsync($"{Csv(row.Key)},{Csv(row.Name)},{row.Count}");
        }
    }

    /// <summary>Every outlet or byline of the filter with its articles, most first: the sources and authors charts in full.</summary>
    private static async Task NamedCountsAsync(HttpContext context, TimeProvider clock, string file, string column, Func<ArticleFilter, Task<IReadOnlyList<NamedCount>>> top)
    {
        if (!ApiEndpoints.TryReadFilter(context.Request.Query, out var filter, out var error))
        {
            await BadRequestAsync(context, error);
            return;
        }
        IReadOnlyList<NamedCount> rows;
        try
        {
            rows = await top(filter);
        }
        catch (SearchQueryException ex)
        {
            await BadRequestAsync(context, ex.Message);
            return;
        }
        await using var writer = await StartAsync(context, file, clock);
        await writer.WriteLineAsync($"{column},articles");
        foreach (var row in rows)
        {
            await writer.WriteLineAsync($"{Csv(row.Name)},{row.Articles}");
        }
    }

    private static async Task VolumeAsync(HttpContext context, DashboardQueries queries, TimeProvider clock)
    {
        if (!ApiEndpoints.TryReadFilter(context.Request.Query, out var filter, out var error))
        {
            await BadRequestAsync(context, error);
            return;
        }
        IReadOnlyList<VolumePoint> points;
        try
        {
            points = await queries.VolumeAsync(filter, context.RequestAborted);
        }
        catch (SearchQueryException ex)
        {
            await BadRequestAsync(context, ex.Message);
            return;
        }
        await using var writer = await StartAsync(context, "volume.csv", clock);
        await writer.WriteLineAsync("date,articles");
        foreach (var point in points)
        {
            await writer.WriteLineAsync($"{point.Day:yyyy-MM-dd},{point.Articles}");
        }
    }

    /// <summary>The trend chart's numbers: one row per bucket, one column per compared entity (<c>compare=kind:key</c>, up to five).</summary>
    private static async Task TrendsAsync(HttpContext context, DashboardQueries queries, TimeProvider clock)
    {
        var query = context.Request.Query;
        if (!ApiEndpoints.TryReadFilter(query, out var filter, out var error))
        {
            await BadRequestAsync(context, error);
            return;
        }
        var compared = new List<EntityRef>();
        foreach (var text in query["compare"])
        {
            if (!EntityRef.TryParse(text, out var entity, out error))
            {
                await BadRequestAsync(context, $"compare: {error}");
                return;
            }
            compared.Add(entity);
        }
        compared = compared.Distinct().ToList();
        if (compared.Count == 0)
        {
            // As on the dashboard: without a choice, the filter's own entities are compared.
            compared = filter.Entities.Take(5).ToList();
        }
        if (compared.Count is 0 or > 5)
        {
            await BadRequestAsync(context, compared.Count == 0
                ? "compare is required (kind:key, up to five) when the filter names no entity"
                : $"compare names {compared.Count} entities; the trend chart compares up to five");
            return;
        }
        var trend = query["trend"].ToString();
        if (trend is not ("" or "articles" or "share"))
        {
            await BadRequestAsync(context, $"trend must be articles or share, not '{trend}'");
            return;
        }
        var share = trend == "share";
        EntityTrends trends;
        try
        {
            trends = await queries.TrendsAsync(compared, filter, context.RequestAborted, withShares: share);
        }
        catch (SearchQueryException ex)
        {
            await BadRequestAsync(context, ex.Message);
            return;
        }
        await using var writer = await StartAsync(context, "trends.csv", clock);
        // Shares are percentages of the last column, every article of the bucket, so they can be checked and recounted.
        await writer.WriteLineAsync($"{trends.Bucket.ToString().ToLowerInvariant()}," + string.Join(",", trends.Series.Select(s => Csv(share ? $"{s.Name} ({s.Entity}) %" : $"{s.Name} ({s.Entity})")))
            + (share ? ",all articles" : ""));
        var shares = share ? trends.Series.Select(trends.Shares).ToList() : [];
        for (var i = 0; i < trends.Starts.Count; i++)
        {
            await writer.WriteLineAsync($"{trends.Starts[i]:yyyy-MM-dd}," + (share
                ? string.Join(",", shares.Select(s => s[i].ToString("0.##", CultureInfo.InvariantCulture))) + $",{trends.AllArticles[i]}"
                : string.Join(",", trends.Series.Select(s => s.Counts[i]))));
        }
    }

    /// <summary>Starts a CSV download whose first lines say when it was made and for which view.</summary>
    private static StreamWriter Start(HttpContext context, string fileName, string contentType)
    {
        context.Response.ContentType = contentType + "; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        return new StreamWriter(context.Response.Body, new UTF8Encoding(false), 64 * 1024) { NewLine = "\n" };
    }

    internal static async Task<StreamWriter> StartAsync(HttpContext context, string fileName, TimeProvider clock)
    {
        var writer = Start(context, fileName, "text/csv");
        var view = context.Request.QueryString.HasValue ? Uri.UnescapeDataString(context.Request.QueryString.Value!.TrimStart('?')) : "(everything)";
        await writer.WriteLineAsync($"# News Monitor export {fileName}, made {clock.GetUtcNow():yyyy-MM-dd HH:mm:ss}Z");
        await writer.WriteLineAsync($"# view: {view}");
        return writer;
    }

    /// <summary>Quotes a field when it needs it, and defuses text a spreadsheet would run as a formula.</summary>
    public static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    internal static async Task BadRequestAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.Response.WriteAsJsonAsync(new { status = 400, title = "Bad request", detail = message });
    }
}
