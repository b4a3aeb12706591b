using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Web.Api;
using Dashboard.Web.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Api;

public sealed class ExportEndpointsTests : IAsyncLifetime
{
    private readonly DashboardAppFactory _app = new();
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _client = _app.CreateClient();
        var queue = _app.Services.GetRequiredService<IngestQueue>();
        await queue.EnqueueAsync("seed.txt", await File.ReadAllBytesAsync(TestPaths.SeedArticle));
        for (var i = 0; i < 1200; i++)
        {
            await queue.EnqueueAsync($"n{i}.txt", System.Text.Encoding.UTF8.GetBytes(
                $"date 2024-05-{1 + i % 28:D2} Report {i}: ministers of Kenya and Uganda met in Nairobi, \"officials\" said.\n\n=SUM(A1) appeared in paragraph {i}."));
        }
        // The app's own worker drains the queue; the ingestor is idempotent, so helping it along is safe.
        var ingestor = _app.Services.GetRequiredService<ArticleIngestor>();
        await ingestor.DrainAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Articles_export_has_every_row_of_the_filter_uncapped_with_the_view_in_its_header()
    {
        var all = await LinesAsync("/api/export/articles.csv");
        Assert.StartsWith("# News Monitor export articles.csv", all[0]);
        Assert.Equal("# view: (everything)", all[1]);
        Assert.Equal("id,date,title,source,url,author,countries,people,organizations,topics,story", all[2]);
        Assert.Equal(1201, all.Count - 3);

        var filtered = await LinesAsync("/api/export/articles.csv?entity=country:IR&from=2024-06-01");
        Assert.Equal("# view: entity=country:IR&from=2024-06-01", filtered[1]);
        var row = Assert.Single(filtered.Skip(3));
        Assert.Contains("IR", row);
        Assert.Contains("Ebrahim Raisi", row);
        var total = JsonDocument.Parse(await _client.GetStringAsync("/api/articles?entity=country:IR&from=2024-06-01")).RootElement.GetProperty("total").GetInt32();
        Assert.Equal(total, filtered.Count - 3);
    }

    [Fact]
    public async Task Counting_stories_the_articles_export_lists_one_row_per_story_as_the_timeline_does()
    {
        // A wire copy of the seed with a line added at its end: the same story.
        var seed = System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(TestPaths.SeedArticle));
        await _app.Services.GetRequiredService<IngestQueue>().EnqueueAsync("copy.txt", System.Text.Encoding.UTF8.GetBytes(seed + "\n\n(Reporting by the IRNA news agency.)"));
        await _app.Services.GetRequiredService<ArticleIngestor>().DrainAsync();

        var articles = (await LinesAsync("/api/export/articles.csv?entity=country:IR")).Skip(3).ToList();
        var stories = (await LinesAsync("/api/export/articles.csv?entity=country:IR&count=stories")).Skip(3).ToList();

        Assert.Equal(2, articles.Count);
        // Both rows name the first copy as their story; counting stories keeps that one.
        var first = articles.Select(r => long.Parse(r[..r.IndexOf(',')])).Min();
        Assert.All(articles, r => Assert.EndsWith($",{first}", r));
        Assert.StartsWith($"{first},", Assert.Single(stories));
        var timeline = JsonDocument.Parse(await _client.GetStringAsync("/api/articles?entity=country:IR&count=stories")).RootElement;
        Assert.Equal(1, timeline.GetProperty("total").GetInt32());
        var lines = (await _client.GetStringAsync("/api/export/articles.jsonl?entity=country:IR&count=stories")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(first, JsonDocument.Parse(Assert.Single(lines)).RootElement.GetProperty("story").GetInt64());

        var refused = await _client.GetAsync("/api/export/articles.csv?count=words");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("count must be articles or stories", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Articles_with_their_text_export_as_json_lines_that_another_store_imports_as_they_were()
    {
        // One article gives no date: it is dated by its upload, and the export and the import both say so.
        await _app.Services.GetRequiredService<IngestQueue>().EnqueueAsync("undated.txt", System.Text.Encoding.UTF8.GetBytes("Ministers of Chile and Peru met in Lima on fisheries."));
        await _app.Services.GetRequiredService<ArticleIngestor>().DrainAsync();
        var response = await _client.GetAsync("/api/export/articles.jsonl");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("articles.jsonl", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var body = await response.Content.ReadAsByteArrayAsync();
        var lines = System.Text.Encoding.UTF8.GetString(body).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1202, lines.Length);
        Assert.True(JsonDocument.Parse(Assert.Single(lines, l => l.Contains("Lima on fisheries"))).RootElement.GetProperty("date_is_fallback").GetBoolean());
        var seed = lines.Select(l => JsonDocument.Parse(l).RootElement).Single(l => l.GetProperty("text").GetString()!.Contains("Rafah"));
        Assert.Equal("2024-06-01", seed.GetProperty("date").GetString());
        Assert.False(seed.GetProperty("date_is_fallback").GetBoolean());
        Assert.Contains(seed.GetProperty("countries").EnumerateArray(), c => c.GetProperty("key").GetString() == "IR" && c.GetProperty("name").GetString() == "Iran");
        Assert.Contains(seed.GetProperty("people").EnumerateArray(), p => p.GetProperty("name").GetString() == "Ebrahim Raisi");

        // The filter applies as to every export.
        var filtered = (await _client.GetStringAsync("/api/export/articles.jsonl?entity=country:IR&from=2024-06-01")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(seed.GetProperty("id").GetInt64(), JsonDocument.Parse(Assert.Single(filtered)).RootElement.GetProperty("id").GetInt64());

        // Uploaded to another store, the file gives the same articles back.
        await using var other = new TestStore();
        var services = await other.StartAsync();
        var upload = await services.GetRequiredService<IngestQueue>().EnqueueAsync("articles.jsonl", body);
        await services.GetRequiredService<ArticleIngestor>().DrainAsync();
        var imported = (await services.GetRequiredService<IngestQueue>().FindAsync(upload.Id))!;
        Assert.StartsWith("1202 articles stored", imported.Reason);
        var exportedAgain = await JsonLinesOf(services);
        var original = await JsonLinesOf(_app.Services);
        Assert.Equal(original, exportedAgain);
    }

    /// <summary>Title, date (and whether it was borrowed) and text of every article in a store, in one order.</summary>
    private static async Task<List<string>> JsonLinesOf(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Dashboard.Web.Data.DashboardDb>>().CreateDbContextAsync();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.Articles.OrderBy(a => a.Title).ThenBy(a => a.Text).Select(a => a.Title + "|" + a.PublishedDate + "|" + a.DateIsFallback + "|" + a.Text));
    }

    [Fact]
    public async Task Trends_export_has_a_column_per_compared_entity_and_a_row_per_bucket()
    {
        var csv = await LinesAsync("/api/export/trends.csv?from=2024-05-01&to=2024-05-31&compare=country:KE&compare=country:IR");
        Assert.Equal("# view: from=2024-05-01&to=2024-05-31&compare=country:KE&compare=country:IR", csv[1]);
        Assert.Equal("day,Kenya (country:KE),Iran (country:IR)", csv[2]);
        Assert.Equal(31, csv.Count - 3);
        Assert.Equal("2024-05-01,43,0", csv[3]);
        Assert.Equal(1200, csv.Skip(3).Sum(line => int.Parse(line.Split(',')[1])));

        // Without a choice the filter's entities are compared, as on the dashboard; a bad reference is a readable 400.
        var filtered = await LinesAsync("/api/export/trends.csv?entity=country:IR&from=2024-06-01&to=2024-06-01");
        Assert.Equal(["day,Iran (country:IR)", "2024-06-01,1"], filtered.Skip(2));
        // As shares: percentages of the last column, every article of the bucket, whatever the filter's entities.
        await _app.Services.GetRequiredService<IngestQueue>().EnqueueAsync("kenya.txt", "date 2024-06-01 Kenya's cabinet met in Nairobi on Saturday."u8.ToArray());
        await _app.Services.GetRequiredService<ArticleIngestor>().DrainAsync();
        var shares = await LinesAsync("/api/export/trends.csv?entity=country:IR&from=2024-06-01&to=2024-06-01&trend=share");
        Assert.Equal("day,Iran (country:IR) %,all articles", shares[2]);
        Assert.Equal("2024-06-01,50,2", shares[3]);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/export/trends.csv?compare=country:IR&trend=percent")).StatusCode);

        var bad = await _client.GetAsync("/api/export/trends.csv?compare=planet:mars");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'planet' is not an entity kind", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Chart_exports_match_the_api_numbers()
    {
        var csv = await LinesAsync("/api/export/mentions.csv?kind=country");
        Assert.Equal("key,name,articles", csv[2]);
        Assert.Contains("KE,Kenya,1200", csv);
        Assert.Contains("IR,Iran,1", csv);

        var volume = await LinesAsync("/api/export/volume.csv?from=2024-05-01&to=2024-05-01");
        Assert.Equal(["date,articles", "2024-05-01,43"], volume.Skip(2));

        // Every outlet, however many (the chart shows ten): the export has no cap.
        var queue = _app.Services.GetRequiredService<IngestQueue>();
        for (var i = 0; i < 14; i++)
        {
            await queue.EnqueueAsync($"outlet{i}.json", System.Text.Encoding.UTF8.GetBytes(
                $$"""{"title": "Chile and Peru, part {{i}}", "text": "Chile and Peru met again, round {{i}}.", "date": "2024-04-{{1 + i:D2}}", "source": "Outlet {{i % 12:D2}}"}"""));
        }
        await _app.Services.GetRequiredService<ArticleIngestor>().DrainAsync();
        var sources = await LinesAsync("/api/export/sources.csv");
        Assert.Equal("source,articles", sources[2]);
        var api = (await _client.GetFromJsonAsync<JsonElement>("/api/sources?limit=10000")).EnumerateArray()
            .Select(r => $"{r.GetProperty("name").GetString()},{r.GetProperty("articles").GetInt32()}");
        Assert.Equal(api, sources.Skip(3));
        Assert.Equal(12, sources.Count - 3);
        Assert.Equal(["Outlet 00,2", "Outlet 01,2", "Outlet 02,1"], sources.Skip(3).Take(3));
        Assert.Equal(["author,articles"], (await LinesAsync("/api/export/authors.csv?from=2024-06-01&to=2024-06-01")).Skip(2));
    }

    [Fact]
    public async Task Bad_parameters_are_400_before_any_row_is_written()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/export/articles.csv?from=yesterday")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/export/articles.csv?q=%22open")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/export/mentions.csv?kind=planet")).StatusCode);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a, b", "\"a, b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=SUM(A1)", "'=SUM(A1)")]
    [InlineData("-1+2", "'-1+2")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    public void Fields_are_quoted_and_formulas_defused(string value, string expected) =>
        Assert.Equal(expected, ExportEndpoints.Csv(value));

    private async Task<List<string>> LinesAsync(string url)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
