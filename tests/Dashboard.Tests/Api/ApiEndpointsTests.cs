using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Api;

public sealed class ApiEndpointsTests : IAsyncLifetime
{
    private readonly DashboardAppFactory _app = new();
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _app.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Upload_is_acknowledged_with_a_queue_id_then_stored_and_visible_to_every_query()
    {
        var answer = await UploadAsync(("seed.txt", await File.ReadAllBytesAsync(TestPaths.SeedArticle)));
        var item = Assert.Single(answer.EnumerateArray());
        var id = item.GetProperty("id").GetInt64();
        Assert.Equal("seed.txt", item.GetProperty("fileName").GetString());
        Assert.Contains(item.GetProperty("status").GetString(), new[] { "queued", "stored" });

        var status = await WaitUntilProcessedAsync(id);
        Assert.Equal("stored", status.GetProperty("status").GetString());
        var articleId = status.GetProperty("articleId").GetInt64();

        var countries = await GetJsonAsync("/api/mentions?kind=country&from=2024-06-01&to=2024-06-01");
        var keys = countries.EnumerateArray().Select(c => c.GetProperty("key").GetString()).ToList();
        Assert.Contains("IR", keys);
        Assert.Contains("DZ", keys);
        Assert.All(countries.EnumerateArray(), c => Assert.Equal(1, c.GetProperty("count").GetInt32()));
        Assert.Equal("Iran", countries.EnumerateArray().Single(c => c.GetProperty("key").GetString() == "IR").GetProperty("name").GetString());

        var filtered = await GetJsonAsync("/api/articles?from=2024-06-01&to=2024-06-01&entity=country:IR");
        Assert.Equal(1, filtered.GetProperty("total").GetInt32());
        var row = Assert.Single(filtered.GetProperty("articles").EnumerateArray());
        Assert.Equal(articleId, row.GetProperty("id").GetInt64());
        Assert.Contains(row.GetProperty("entities").EnumerateArray(), e => e.GetProperty("kind").GetString() == "country" && e.GetProperty("key").GetString() == "DZ");

        // Lower-case country keys work; an entity the article lacks, an excluded one and another day give nothing.
        Assert.Equal(1, (await GetJsonAsync("/api/articles?entity=country:ir")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await GetJsonAsync("/api/articles?entity=country:BR")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await GetJsonAsync("/api/articles?exclude=country:IR")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await GetJsonAsync("/api/articles?from=2024-06-02")).GetProperty("total").GetInt32());

        var article = await GetJsonAsync($"/api/articles/{articleId}");
        Assert.StartsWith("The talks", article.GetProperty("text").GetString());
    }

    [Fact]
    public async Task An_author_filters_articles_and_mentions_as_on_the_dashboard()
    {
        var answer = await UploadAsync(
            ("karimi.json", System.Text.Encoding.UTF8.GetBytes("""{"title": "Kenya and Uganda talk trade", "text": "Kenya and Uganda agreed to cut tariffs.", "date": "2024-06-01", "author": "Sara Karimi", "source": "Daily Nation"}""")),
            ("other.json", System.Text.Encoding.UTF8.GetBytes("""{"title": "Peru and Chile sign a deal", "text": "Peru and Chile signed a border deal.", "date": "2024-06-01", "author": "Ana Ruiz", "source": "El Comercio"}""")),
            ("karimi-2.json", System.Text.Encoding.UTF8.GetBytes("""{"title": "Kenya opens a port", "text": "Kenya opened a port in Lamu.", "date": "2024-06-02", "author": "Sara Karimi", "source": "El Comercio"}""")));
        foreach (var item in answer.EnumerateArray())
        {
            Assert.Equal("stored", (await WaitUntilProcessedAsync(item.GetProperty("id").GetInt64())).GetProperty("status").GetString());
        }

        var articles = await GetJsonAsync("/api/articles?author=Sara%20Karimi");
        Assert.Equal(2, articles.GetProperty("total").GetInt32());
        Assert.Equal(["Kenya opens a port", "Kenya and Uganda talk trade"], articles.GetProperty("articles").EnumerateArray().Select(a => a.GetProperty("title").GetString()));
        var countries = (await GetJsonAsync("/api/mentions?kind=country&author=Sara%20Karimi&to=2024-06-01")).EnumerateArray().Select(c => c.GetProperty("key").GetString());
        Assert.Equal(["KE", "UG"], countries.Order());

        // The authors and sources charts' numbers: most articles first, ties by name, within the filter.
        static List<(string?, int)> Bars(JsonElement rows) => rows.EnumerateArray().Select(r => (r.GetProperty("name").GetString(), r.GetProperty("articles").GetInt32())).ToList();
        Assert.Equal([("Sara Karimi", 2), ("Ana Ruiz", 1)], Bars(await GetJsonAsync("/api/authors")));
        Assert.Equal([("Ana Ruiz", 1), ("Sara Karimi", 1)], Bars(await GetJsonAsync("/api/authors?to=2024-06-01")));
        Assert.Equal([("El Comercio", 2), ("Daily Nation", 1)], Bars(await GetJsonAsync("/api/sources")));
        Assert.Equal([("Daily Nation", 1), ("El Comercio", 1)], Bars(await GetJsonAsync("/api/sources?author=Sara%20Karimi")));
        Assert.Equal([("El Comercio", 2)], Bars(await GetJsonAsync("/api/sources?limit=1")));
        Assert.Equal([("Sara Karimi", 2)], Bars(await GetJsonAsync("/api/authors?entity=country:KE")));
        Assert.Equal(0, (await GetJsonAsync("/api/articles?author=Nobody")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task An_article_names_the_other_copies_of_its_story_and_list_rows_count_them()
    {
        var seed = await File.ReadAllTextAsync(TestPaths.SeedArticle);
        var original = (await WaitUntilProcessedAsync(Assert.Single((await UploadAsync(("seed.txt", System.Text.Encoding.UTF8.GetBytes(seed)))).EnumerateArray()).GetProperty("id").GetInt64())).GetProperty("articleId").GetInt64();
        var copy = (await WaitUntilProcessedAsync(Assert.Single((await UploadAsync(("copy.txt", System.Text.Encoding.UTF8.GetBytes(seed.TrimEnd() + "\n\n(Reporting by the foreign desk.)")))).EnumerateArray()).GetProperty("id").GetInt64())).GetProperty("articleId").GetInt64();

        var story = (await GetJsonAsync($"/api/articles/{copy}")).GetProperty("story");
        Assert.Equal(1, story.GetProperty("copies").GetInt32());
        var first = Assert.Single(story.GetProperty("articles").EnumerateArray());
        Assert.Equal(original, first.GetProperty("id").GetInt64());
        Assert.True(first.GetProperty("first").GetBoolean());
        Assert.Equal(copy, Assert.Single((await GetJsonAsync($"/api/articles/{original}")).GetProperty("story").GetProperty("articles").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.All((await GetJsonAsync("/api/articles")).GetProperty("articles").EnumerateArray(), row => Assert.Equal(1, row.GetProperty("storyCopies").GetInt32()));
        var stories = await GetJsonAsync("/api/articles?count=stories");
        Assert.Equal(1, stories.GetProperty("total").GetInt32());
        Assert.Equal(original, Assert.Single(stories.GetProperty("articles").EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Several_files_in_one_request_each_get_a_status_and_a_bad_one_does_not_stop_the_rest()
    {
        var answer = await UploadAsync(
            ("good.txt", "date 2024-05-01 Brazil and Argentina agreed on a trade deal in Brasilia."u8.ToArray()),
            ("bad.txt", "date 2024-05-32 The date is wrong."u8.ToArray()));
        var ids = answer.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(2, ids.Count);

        var good = await WaitUntilProcessedAsync(ids[0]);
        var bad = await WaitUntilProcessedAsync(ids[1]);
        Assert.Equal("stored", good.GetProperty("status").GetString());
        Assert.Equal("failed", bad.GetProperty("status").GetString());
        Assert.Contains("bad.txt", bad.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_failed_upload_is_listed_and_can_be_retried_but_a_stored_one_cannot()
    {
        var answer = await UploadAsync(
            ("bad.txt", "date 2024-05-32 The date is wrong."u8.ToArray()),
            ("good.txt", "date 2024-05-01 Chile and Peru signed a deal in Lima."u8.ToArray()));
        var ids = answer.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).ToList();
        await WaitUntilProcessedAsync(ids[0]);
        await WaitUntilProcessedAsync(ids[1]);

        var failed = await GetJsonAsync("/api/uploads?status=failed");
        Assert.Contains(failed.EnumerateArray(), u => u.GetProperty("id").GetInt64() == ids[0]);

        var retried = await _client.PostAsync($"/api/uploads/{ids[0]}/retry", null);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        // Still a bad date, so it fails again, with the same reason: the retry really went through the queue.
        var again = await WaitUntilProcessedAsync(ids[0]);
        Assert.Equal("failed", again.GetProperty("status").GetString());
        Assert.Contains("2024-05-32", again.GetProperty("reason").GetString());

        var refused = await _client.PostAsync($"/api/uploads/{ids[1]}/retry", null);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("only failed uploads", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync("/api/uploads/987654/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/uploads?status=lost")).StatusCode);
    }

    [Fact]
    public async Task An_article_posted_as_the_request_body_is_queued_under_the_name_given_and_stored()
    {
        var json = new StringContent("""{"title": "Chile and Peru sign a trade deal", "text": "Chile and Peru signed a trade deal in Lima on Monday.", "date": "2024-05-01", "url": "https://wire.example/chile-peru"}""",
            System.Text.Encoding.UTF8, "application/json");

        var response = await _client.PostAsync("/api/uploads?fileName=wire-42.json", json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var item = Assert.Single(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray());
        Assert.Equal("wire-42.json", item.GetProperty("fileName").GetString());
        var status = await WaitUntilProcessedAsync(item.GetProperty("id").GetInt64());
        Assert.Equal("stored", status.GetProperty("status").GetString());
        var article = await GetJsonAsync($"/api/articles/{status.GetProperty("articleId").GetInt64()}");
        Assert.Equal("Chile and Peru sign a trade deal", article.GetProperty("title").GetString());
        Assert.Equal("2024-05-01", article.GetProperty("date").GetString());
    }

    [Fact]
    public async Task A_link_is_fetched_and_queued_and_a_bad_one_is_answered_with_the_reason()
    {
        var html = Feeds.TestPages.ChileAndPeru();
        await using var server = await Feeds.LocalWebServer.StartAsync(context => context.Request.Path == "/gone"
            ? Feeds.LocalWebServer.SendAsync(context, [], "text/plain", 410)
            : Feeds.LocalWebServer.SendAsync(context, html, "text/html"));

        var byBody = await _client.PostAsync("/api/uploads/link", JsonContent(new { url = server.Url("news/chile-peru") }));
        var gone = await _client.PostAsync($"/api/uploads/link?url={Uri.EscapeDataString(server.Url("gone"))}", null);
        var notAnAddress = await _client.PostAsync("/api/uploads/link?url=chile-peru.html", null);

        var item = Assert.Single(JsonDocument.Parse(await byBody.Content.ReadAsStringAsync()).RootElement.EnumerateArray());
        var status = await WaitUntilProcessedAsync(item.GetProperty("id").GetInt64());
        Assert.Equal("stored", status.GetProperty("status").GetString());
        var article = await GetJsonAsync($"/api/articles/{status.GetProperty("articleId").GetInt64()}");
        Assert.Equal(server.Url("news/chile-peru"), article.GetProperty("url").GetString());
        var failed = Assert.Single(JsonDocument.Parse(await gone.Content.ReadAsStringAsync()).RootElement.EnumerateArray());
        Assert.Equal(("failed", 0L), (failed.GetProperty("status").GetString(), failed.GetProperty("id").GetInt64()));
        Assert.Contains("answered HTTP 410", failed.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, notAnAddress.StatusCode);
        Assert.Contains("is not a web address", await notAnAddress.Content.ReadAsStringAsync());

        // Several addresses in one request, each answered in order; one that is not an address refuses the request
        // before anything is fetched.
        var several = await _client.PostAsync("/api/uploads/link", JsonContent(new { urls = new[] { server.Url("news/peru-one"), server.Url("gone") } }));
        var severalAnswers = JsonDocument.Parse(await several.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        Assert.Equal(["queued", "failed"], severalAnswers.Select(a => a.GetProperty("status").GetString()));
        var oneBad = await _client.PostAsync("/api/uploads/link", JsonContent(new { urls = new[] { server.Url("news/peru-two"), "peru.html" } }));
        Assert.Equal(HttpStatusCode.BadRequest, oneBad.StatusCode);
        Assert.DoesNotContain(server.Requests, r => r.Path == "/news/peru-two");

        // A link file uploaded beside an article: its page is fetched, the article is queued as it is.
        var shortcut = System.Text.Encoding.UTF8.GetBytes($"[InternetShortcut]\r\nURL={server.Url("news/chile-peru-2")}\r\n");
        var answers = (await UploadAsync(("Chile and Peru.url", shortcut), ("seed.txt", await File.ReadAllBytesAsync(TestPaths.SeedArticle)))).EnumerateArray().ToList();
        Assert.Equal(2, answers.Count);
        Assert.Equal("queued", answers[0].GetProperty("status").GetString());
        Assert.EndsWith("chile-peru-2.json", answers[0].GetProperty("fileName").GetString());
        Assert.Equal("seed.txt", answers[1].GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task A_list_of_links_is_answered_address_by_address_at_once_and_each_page_is_fetched_in_the_background()
    {
        await using var server = await Feeds.LocalWebServer.StartAsync(context => Feeds.LocalWebServer.SendAsync(context, context.Request.Path.Value switch
        {
            "/news/chile-peru" => Feeds.TestPages.ChileAndPeru(),
            "/news/ghana-togo" => Feeds.TestPages.GhanaAndTogo(),
            _ => Feeds.TestPages.ChileAndPeru("Arica"),
        }, "text/html"));
        var list = System.Text.Encoding.UTF8.GetBytes($"{server.Url("news/chile-peru")}\n{server.Url("news/ghana-togo")}\n");

        var answers = (await UploadAsync(("reading-list.txt", list), ("seed.txt", await File.ReadAllBytesAsync(TestPaths.SeedArticle)))).EnumerateArray().ToList();

        Assert.Equal(3, answers.Count);
        Assert.Equal(["fetching", "fetching"], answers.Take(2).Select(a => a.GetProperty("status").GetString()));
        Assert.Equal([server.Url("news/chile-peru"), server.Url("news/ghana-togo")], answers.Take(2).Select(a => a.GetProperty("url").GetString()));
        Assert.Equal("127.0.0.1 - chile-peru.html", answers[0].GetProperty("fileName").GetString());
        Assert.Equal("seed.txt", answers[2].GetProperty("fileName").GetString());
        foreach (var answer in answers.Take(2))
        {
            var done = await WaitUntilDoneAsync(answer.GetProperty("id").GetInt64());
            Assert.Equal("stored", done.GetProperty("status").GetString());
        }
        // The list's two links are one list, named by the first, and its progress can be asked for.
        var listId = answers[0].GetProperty("listId").GetInt64();
        Assert.Equal(answers[0].GetProperty("id").GetInt64(), listId);
        Assert.Equal(listId, answers[1].GetProperty("listId").GetInt64());
        Assert.Equal(JsonValueKind.Null, answers[2].GetProperty("listId").ValueKind);
        var progress = await GetJsonAsync($"/api/uploads/lists/{listId}");
        Assert.Equal((2, 0, 2), (progress.GetProperty("stored").GetInt32(), progress.GetProperty("waiting").GetInt32(), progress.GetProperty("total").GetInt32()));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/uploads/lists/987654")).StatusCode);

        // The same addresses again, posted to the link endpoint for the background: known ones are not fetched again.
        var fetches = server.Requests.Count;
        var queued = await _client.PostAsync("/api/uploads/link", JsonContent(new { urls = new[] { server.Url("news/chile-peru"), server.Url("news/ghana-togo"), server.Url("news/arica") }, queue = true }));
        var queuedAnswers = JsonDocument.Parse(await queued.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        Assert.Equal(["duplicate", "duplicate", "fetching"], queuedAnswers.Select(a => a.GetProperty("status").GetString()));
        Assert.Equal("stored", (await WaitUntilDoneAsync(queuedAnswers[2].GetProperty("id").GetInt64())).GetProperty("status").GetString());
        Assert.Equal(fetches + 1, server.Requests.Count);

        // A list sent as the request's body is read the same way.
        var body = await _client.PostAsync("/api/uploads?fileName=links.txt", new StringContent(server.Url("news/lima"), System.Text.Encoding.UTF8, "text/plain"));
        var bodyAnswer = Assert.Single(JsonDocument.Parse(await body.Content.ReadAsStringAsync()).RootElement.EnumerateArray());
        Assert.Equal((server.Url("news/lima"), "fetching"), (bodyAnswer.GetProperty("url").GetString(), bodyAnswer.GetProperty("status").GetString()));

        // Waiting links forgotten through the API: the one just queued from the body, by its list, then any left.
        var cancelList = await _client.PostAsync($"/api/uploads/cancel-links?list={bodyAnswer.GetProperty("listId").GetInt64()}", null);
        Assert.True(JsonDocument.Parse(await cancelList.Content.ReadAsStringAsync()).RootElement.GetProperty("cancelled").GetInt32() <= 1);
        var cancel = await _client.PostAsync("/api/uploads/cancel-links", null);
        Assert.True(JsonDocument.Parse(await cancel.Content.ReadAsStringAsync()).RootElement.GetProperty("cancelled").GetInt32() <= 1);
        Assert.Empty((await GetJsonAsync("/api/uploads?status=fetching")).EnumerateArray());

        // More than are fetched while the request waits, without asking for the background: refused with the way out.
        var many = await _client.PostAsync("/api/uploads/link", JsonContent(new { urls = Enumerable.Range(0, 51).Select(i => server.Url($"news/{i}")).ToArray() }));
        Assert.Equal(HttpStatusCode.BadRequest, many.StatusCode);
        Assert.Contains("\\\"queue\\\": true", await many.Content.ReadAsStringAsync());
    }

    /// <summary>Waits until an upload is stored, a duplicate or failed (a link passes through fetching and queued first).</summary>
    private async Task<JsonElement> WaitUntilDoneAsync(long id)
    {
        var notifier = _app.Services.GetRequiredService<ArticleNotifier>();
        var done = new TaskCompletionSource();
        void OnProcessed(UploadProcessed p)
        {
            if (p.UploadId == id && p.Status is UploadStatus.Stored or UploadStatus.Duplicate or UploadStatus.Failed)
            {
                done.TrySetResult();
            }
        }
        notifier.UploadProcessed += OnProcessed;
        try
        {
            // Subscribed first: an outcome reached before the read below is seen by it, one reached after by the handler.
            var status = await GetJsonAsync($"/api/uploads/{id}");
            if (status.GetProperty("status").GetString() is "stored" or "duplicate" or "failed")
            {
                return status;
            }
            await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return await GetJsonAsync($"/api/uploads/{id}");
        }
        finally
        {
            notifier.UploadProcessed -= OnProcessed;
        }
    }

    private static StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_body_without_a_name_is_named_after_its_type_or_its_content_disposition_and_never_a_path()
    {
        var plain = await _client.PostAsync("/api/uploads", new StringContent("date 2024-05-01\n\nKenya and Uganda met in Nairobi.", System.Text.Encoding.UTF8, "text/plain"));
        Assert.Equal("upload.txt", JsonDocument.Parse(await plain.Content.ReadAsStringAsync()).RootElement[0].GetProperty("fileName").GetString());

        var disposed = new StringContent("<html><head><title>Page</title></head><body><p>Text.</p></body></html>", System.Text.Encoding.UTF8, "text/html");
        disposed.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = "\"../../etc/saved page.html\"" };
        var named = await _client.PostAsync("/api/uploads", disposed);
        Assert.Equal("saved page.html", JsonDocument.Parse(await named.Content.ReadAsStringAsync()).RootElement[0].GetProperty("fileName").GetString());

        var empty = await _client.PostAsync("/api/uploads", new ByteArrayContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("no body", await empty.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_failed_upload_can_be_retried_at_once_and_the_answer_counts_them()
    {
        var answer = await UploadAsync(
            ("bad-1.txt", "date 2024-05-32 The date is wrong."u8.ToArray()),
            ("bad-2.txt", "date 2024-13-01 So is this one."u8.ToArray()),
            ("good.txt", "date 2024-05-01 Chile and Peru signed a deal in Lima."u8.ToArray()));
        var ids = answer.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).ToList();
        foreach (var id in ids)
        {
            await WaitUntilProcessedAsync(id);
        }

        var retried = await _client.PostAsync("/api/uploads/retry-failed", null);

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var counts = JsonDocument.Parse(await retried.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, counts.GetProperty("requeued").GetInt32());
        Assert.Equal(0, counts.GetProperty("withoutFile").GetInt32());
        // Both went through the queue again and failed again with their own reasons; the stored one was left alone.
        Assert.Contains("2024-05-32", (await WaitUntilProcessedAsync(ids[0])).GetProperty("reason").GetString());
        Assert.Contains("2024-13-01", (await WaitUntilProcessedAsync(ids[1])).GetProperty("reason").GetString());
        Assert.Equal("stored", (await WaitUntilProcessedAsync(ids[2])).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Rising_names_what_gained_attention_against_the_days_before_with_both_periods()
    {
        // The seed (Iran and Algeria, 1 June 2024) and six of Peru that week; the week before, six of Japan and one of Iran.
        var files = new List<(string, byte[])> { ("seed.txt", await File.ReadAllBytesAsync(TestPaths.SeedArticle)) };
        for (var i = 0; i < 6; i++)
        {
            files.Add(($"peru{i}.txt", System.Text.Encoding.UTF8.GetBytes($"date 2024-06-0{i + 2}\n\nPeru and Chile argued over anchovy quotas in Lima, round {i}.")));
            files.Add(($"japan{i}.txt", System.Text.Encoding.UTF8.GetBytes($"date 2024-05-{i + 25}\n\nJapan signed an export accord in Tokyo, part {i}.")));
        }
        files.Add(("iran.txt", System.Text.Encoding.UTF8.GetBytes("date 2024-05-31\n\nIran's foreign minister spoke in Tehran.")));
        foreach (var item in (await UploadAsync([.. files])).EnumerateArray())
        {
            await WaitUntilProcessedAsync(item.GetProperty("id").GetInt64());
        }

        var shift = await GetJsonAsync("/api/rising?from=2024-06-01&to=2024-06-07");

        Assert.Equal(("2024-05-25", "2024-05-31"), (shift.GetProperty("beforeFrom").GetString(), shift.GetProperty("beforeTo").GetString()));
        Assert.Equal((7, 7), (shift.GetProperty("articles").GetInt32(), shift.GetProperty("articlesBefore").GetInt32()));
        var peru = shift.GetProperty("rising").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "PE");
        Assert.Equal(("country", "Peru", 6, 0), (peru.GetProperty("kind").GetString(), peru.GetProperty("name").GetString(), peru.GetProperty("count").GetInt32(), peru.GetProperty("before").GetInt32()));
        Assert.Equal(6.0, peru.GetProperty("score").GetDouble());
        var japan = shift.GetProperty("fading").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "JP");
        Assert.Equal((0, 6, 6.0), (japan.GetProperty("count").GetInt32(), japan.GetProperty("before").GetInt32(), japan.GetProperty("expected").GetDouble()));
        // Iran, in one article of each week, neither rose nor fell.
        Assert.DoesNotContain(shift.GetProperty("rising").EnumerateArray().Concat(shift.GetProperty("fading").EnumerateArray()), r => r.GetProperty("key").GetString() == "IR");

        // Without dates: the last seven days up to the newest article, marked by their dates; a limit cuts the lists.
        var latest = await GetJsonAsync("/api/rising?limit=1");
        Assert.Equal(("2024-06-01", "2024-06-07"), (latest.GetProperty("from").GetString(), latest.GetProperty("to").GetString()));
        Assert.Single(latest.GetProperty("rising").EnumerateArray());
    }

    [Fact]
    public async Task Statements_list_what_a_speaker_said_once_per_wording_about_a_subject_and_export_every_copy()
    {
        const string Copy = """
            date 2024-06-02

            Algeria's Foreign Minister Ahmed Attaf spoke to reporters in Algiers on Sunday about the ceasefire talks and refugees.

            About the attacks on Rafah, Attaf said his country welcomes and supports any initiative to be made by the OIC to reach ceasefire and relieve the pain of the Palestinians in Gaza.

            “Israel must stop its attacks on Rafah now,” Attaf told reporters.
            """;
        foreach (var item in (await UploadAsync(("seed.txt", await File.ReadAllBytesAsync(TestPaths.SeedArticle)), ("attaf.txt", System.Text.Encoding.UTF8.GetBytes(Copy)))).EnumerateArray())
        {
            await WaitUntilProcessedAsync(item.GetProperty("id").GetInt64());
        }

        var said = await GetJsonAsync("/api/statements?speaker=person:ahmed-attaf");

        Assert.Equal(("person:ahmed-attaf", 2, true), (said.GetProperty("speaker").GetString(), said.GetProperty("articlesRead").GetInt32(), said.GetProperty("readAll").GetBoolean()));
        var statements = said.GetProperty("statements").EnumerateArray().ToList();
        Assert.All(statements, s => Assert.Equal("Ahmed Attaf", s.GetProperty("speaker").GetProperty("name").GetString()));
        // The newest article first; the seed's identical words are that statement's copy, not a second statement.
        Assert.Equal(2, statements.Count);
        Assert.Equal(("his country welcomes and supports any initiative to be made by the OIC to reach ceasefire and relieve the pain of the Palestinians in Gaza", "said", false, 1),
            (statements[0].GetProperty("quote").GetString(), statements[0].GetProperty("verb").GetString(), statements[0].GetProperty("quoted").GetBoolean(), statements[0].GetProperty("copies").GetInt32()));
        Assert.Equal(("Israel must stop its attacks on Rafah now", "told", true, "2024-06-02"),
            (statements[1].GetProperty("quote").GetString(), statements[1].GetProperty("verb").GetString(), statements[1].GetProperty("quoted").GetBoolean(), statements[1].GetProperty("date").GetString()));

        // About Israel: only the words that name it, not a sentence that names it before the attribution.
        var aboutIsrael = (await GetJsonAsync("/api/statements?speaker=person:ahmed-attaf&about=country:IL")).GetProperty("statements").EnumerateArray().ToList();
        Assert.Equal("Israel must stop its attacks on Rafah now", Assert.Single(aboutIsrael).GetProperty("quote").GetString());
        // About Israel without a speaker: whoever said it.
        var saidAboutIsrael = (await GetJsonAsync("/api/statements?about=country:IL")).GetProperty("statements").EnumerateArray().ToList();
        Assert.Equal(("person:ahmed-attaf", "Israel must stop its attacks on Rafah now"),
            (saidAboutIsrael.Single().GetProperty("speaker").GetProperty("kind").GetString() + ":" + saidAboutIsrael.Single().GetProperty("speaker").GetProperty("key").GetString(),
             saidAboutIsrael.Single().GetProperty("quote").GetString()));
        // A date filter as on the dashboard: the seed's day alone.
        var seedDay = (await GetJsonAsync("/api/statements?speaker=person:ahmed-attaf&to=2024-06-01")).GetProperty("statements").EnumerateArray().ToList();
        Assert.Equal(0, Assert.Single(seedDay).GetProperty("copies").GetInt32());

        // The export has every statement with every copy: one row per article it was found in, under the two comment lines.
        var csv = (await _client.GetStringAsync("/api/export/statements.csv?speaker=person:ahmed-attaf")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("article_id,date,title,source,url,speaker,speaker_key,spoken_as,verb,quoted,quote,sentence", csv[2]);
        Assert.Equal(3, csv.Length - 3);
        Assert.Single(csv, l => l.Contains(",2024-06-01,", StringComparison.Ordinal) && l.Contains("his country welcomes", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/statements?speaker=person:nobody-at-all")).StatusCode);

        // Followed in a feed reader: one entry per statement, its words as the title, linked to its article.
        var atom = await _client.GetAsync("/api/statements.atom?speaker=person:ahmed-attaf");
        Assert.Equal("application/atom+xml", atom.Content.Headers.ContentType!.MediaType);
        using (var reader = System.Xml.XmlReader.Create(await atom.Content.ReadAsStreamAsync()))
        {
            var feed = System.ServiceModel.Syndication.SyndicationFeed.Load(reader);
            Assert.Equal("News Monitor: what Ahmed Attaf said", feed.Title.Text);
            Assert.Equal(["Ahmed Attaf said: his country welcomes and supports any initiative to be made by the OIC to reach ceasefire and relieve the pain of the Palestinians in Gaza",
                "Ahmed Attaf told: \u201CIsrael must stop its attacks on Rafah now\u201D"], feed.Items.Select(i => i.Title.Text));
            Assert.All(feed.Items, i => Assert.Contains("/articles/", i.Links.Single(l => l.RelationshipType == "related").Uri.AbsoluteUri));
            Assert.Equal(2, feed.Items.Select(i => i.Id).Distinct().Count());
        }

        // Voices: Attaf's two distinct statements in two articles (the seed's copy of his words counts once).
        var voices = (await GetJsonAsync("/api/voices")).GetProperty("voices").EnumerateArray().ToList();
        var attafVoice = voices.Single(v => v.GetProperty("key").GetString() == "ahmed-attaf");
        Assert.Equal(("person", "Ahmed Attaf", 2, 2), (attafVoice.GetProperty("kind").GetString(), attafVoice.GetProperty("name").GetString(),
            attafVoice.GetProperty("statements").GetInt32(), attafVoice.GetProperty("articles").GetInt32()));
        Assert.Contains(voices, v => v.GetProperty("key").GetString() == "ali-bagheri-kani");
    }

    [Fact]
    public async Task Events_are_marked_listed_within_dates_and_removed_and_bad_ones_get_400()
    {
        var marked = await _client.PostAsync("/api/annotations", JsonContent("""{"date": "2024-06-01", "label": "Iran and Algeria talk in Tehran"}"""));
        Assert.Equal(HttpStatusCode.OK, marked.StatusCode);
        var id = JsonDocument.Parse(await marked.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();

        var listed = await GetJsonAsync("/api/annotations?from=2024-05-01&to=2024-06-30");
        var one = Assert.Single(listed.EnumerateArray());
        Assert.Equal(("2024-06-01", "Iran and Algeria talk in Tehran"), (one.GetProperty("date").GetString(), one.GetProperty("label").GetString()));
        Assert.Empty((await GetJsonAsync("/api/annotations?from=2024-06-02")).EnumerateArray());

        var noDate = await _client.PostAsync("/api/annotations", JsonContent("""{"date": "June 1st", "label": "Talks"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, noDate.StatusCode);
        Assert.Contains("YYYY-MM-DD", await noDate.Content.ReadAsStringAsync());
        var noLabel = await _client.PostAsync("/api/annotations", JsonContent("""{"date": "2024-06-01", "label": " "}"""));
        Assert.Contains("1 to 120 characters", await noLabel.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/annotations?from=2024-13-01")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/api/annotations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.DeleteAsync($"/api/annotations/{id}")).StatusCode);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("/api/articles?from=notadate", "notadate")]
    [InlineData("/api/articles?from=2024-06-05&to=2024-06-01", "after")]
    [InlineData("/api/articles?entity=nocolon", "kind:key")]
    [InlineData("/api/articles?entity=planet:mars", "planet")]
    [InlineData("/api/articles?limit=0", "limit")]
    [InlineData("/api/mentions?kind=planet", "planet")]
    [InlineData("/api/mentions", "kind is required")]
    [InlineData("/api/mentions?kind=country&count=words", "count")]
    [InlineData("/api/mentions?kind=country&to=2024-13-01", "2024-13-01")]
    [InlineData("/api/articles?q=%22humanitarian+aid", "quotation mark")]
    [InlineData("/api/mentions?kind=topic&q=rafah+OR", "not valid search syntax")]
    [InlineData("/api/articles?count=mentions", "count must be articles or stories")]
    [InlineData("/api/sources?limit=0", "limit")]
    [InlineData("/api/authors?from=2024-02-30", "2024-02-30")]
    [InlineData("/api/authors?q=rafah+OR", "not valid search syntax")]
    [InlineData("/api/rising?limit=501", "limit")]
    [InlineData("/api/rising?count=mentions", "count must be articles or stories")]
    [InlineData("/api/rising?entity=planet:mars", "planet")]
    [InlineData("/api/voices?limit=0", "limit")]
    [InlineData("/api/voices?entity=planet:mars", "planet")]
    [InlineData("/api/statements?speaker=topic:armed-conflict", "a topic says nothing")]
    [InlineData("/api/statements?speaker=person:x&limit=0", "limit")]
    [InlineData("/api/statements?speaker=person:x&about=planet:mars", "planet")]
    [InlineData("/api/export/statements.csv?speaker=nocolon", "kind:key")]
    public async Task Invalid_parameters_get_400_with_a_message(string url, string expected)
    {
        var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_ids_are_404_and_an_upload_form_without_files_is_400()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/uploads/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/articles/999999")).StatusCode);
        var empty = await _client.PostAsync("/api/uploads", new MultipartFormDataContent { { new StringContent("x"), "note" } });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("the request has no files", await empty.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_large_upload_is_spooled_with_a_small_one_beside_it_and_both_are_stored()
    {
        var lines = new System.Text.StringBuilder();
        for (var i = 0; lines.Length < 9_000_000; i++)
        {
            lines.Append("{\"title\": \"Wire ").Append(i).Append("\", \"date\": \"2024-02-05\", \"text\": \"Wire ").Append(i)
                .Append(": Kenya and Uganda signed a rail deal in Nairobi. ").Append(string.Join(' ', Enumerable.Repeat($"w{i}", 400))).Append("\"}\n");
        }

        var answer = await UploadAsync(("wire.jsonl", System.Text.Encoding.UTF8.GetBytes(lines.ToString())), ("seed.txt", await File.ReadAllBytesAsync(TestPaths.SeedArticle)));

        var ids = answer.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(2, ids.Count);
        var large = await WaitUntilProcessedAsync(ids[0]);
        Assert.Equal("stored", large.GetProperty("status").GetString());
        Assert.Matches(@"^\d{4,} articles stored$", large.GetProperty("reason").GetString());
        Assert.Equal("stored", (await WaitUntilProcessedAsync(ids[1])).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Fetching_an_articles_full_text_answers_what_changed_or_a_problem_naming_why_not()
    {
        await using var server = await Feeds.LocalWebServer.StartAsync(context => Feeds.LocalWebServer.SendAsync(context, Feeds.TestPages.ChileAndPeru(), "text/html"));
        var teaser = System.Text.Encoding.UTF8.GetBytes($$"""{"title": "Chile signs a trade deal", "text": "Chile signed a trade deal on Monday.", "url": "{{server.Url("news/chile-peru")}}", "date": "2026-03-02"}""");
        var uploaded = await UploadAsync(("teaser.json", teaser), ("note.txt", System.Text.Encoding.UTF8.GetBytes("date 2024-06-01\n\nThe foreign ministers of Iran and Algeria met in Tehran.")));
        var teaserId = (await WaitUntilProcessedAsync(uploaded[0].GetProperty("id").GetInt64())).GetProperty("articleId").GetInt64();
        var noteId = (await WaitUntilProcessedAsync(uploaded[1].GetProperty("id").GetInt64())).GetProperty("articleId").GetInt64();

        var first = await _client.PostAsync($"/api/articles/{teaserId}/full-text", null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var answer = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((teaserId, true, 36L), (answer.GetProperty("id").GetInt64(), answer.GetProperty("updated").GetBoolean(), (long)answer.GetProperty("charsBefore").GetInt32()));
        Assert.StartsWith("Chile and Peru signed a trade deal in Lima", (await GetJsonAsync($"/api/articles/{teaserId}")).GetProperty("text").GetString());
        var second = JsonDocument.Parse(await (await _client.PostAsync($"/api/articles/{teaserId}/full-text", null)).Content.ReadAsStringAsync()).RootElement;
        Assert.False(second.GetProperty("updated").GetBoolean());

        var noAddress = await _client.PostAsync($"/api/articles/{noteId}/full-text", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noAddress.StatusCode);
        Assert.Contains($"article {noteId} has no web address", await noAddress.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync("/api/articles/999/full-text", null)).StatusCode);
    }

    private async Task<JsonElement> UploadAsync(params (string Name, byte[] Bytes)[] files)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, bytes) in files)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            form.Add(content, "files", name);
        }
        var response = await _client.PostAsync("/api/uploads", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Waits on the app's own notifier rather than polling on a timer.</summary>
    private async Task<JsonElement> WaitUntilProcessedAsync(long id)
    {
        var notifier = _app.Services.GetRequiredService<ArticleNotifier>();
        var done = new TaskCompletionSource();
        void OnProcessed(UploadProcessed p)
        {
            if (p.UploadId == id)
            {
                done.TrySetResult();
            }
        }
        notifier.UploadProcessed += OnProcessed;
        try
        {
            var status = await GetJsonAsync($"/api/uploads/{id}");
            if (status.GetProperty("status").GetString() != "queued")
            {
                return status;
            }
            await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return await GetJsonAsync($"/api/uploads/{id}");
        }
        finally
        {
            notifier.UploadProcessed -= OnProcessed;
        }
    }

    private async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await _client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
