using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEndTests;

/// <summary>The dashboard's controls in a real browser: presets, chips, drag, map, search, URL round trip, export, entity page.</summary>
[Collection(AppCollection.Name)]
public sealed class DashboardFeatureTests(AppFixture app)
{
    private static string NewTag() => "t" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_time_preset_writes_from_and_to_and_drops_older_articles()
    {
        var tag = NewTag();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(
            app.WriteArticle(today, $"Preset check {tag} today: the foreign minister of Chile spoke in Santiago. He spoke about copper."),
            app.WriteArticle("2018-01-10", $"Preset check {tag} long ago: the foreign minister of Chile spoke in Santiago. He spoke about wine."));
        await page.OpenAsync($"/?q={tag}");
        await Expect(page.TimelineRow($"Preset check {tag} long ago")).ToBeVisibleAsync();

        await page.Locator("[data-preset=last-7-days]").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($@"from=\d{{4}}-\d{{2}}-\d{{2}}&to={today}&q={tag}"));
        await Expect(page.TimelineRow($"Preset check {tag} today")).ToBeVisibleAsync();
        await Expect(page.TimelineRow($"Preset check {tag} long ago")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-preset=last-7-days]")).ToHaveAttributeAsync("aria-pressed", "true");
    }

    [Fact]
    public async Task An_entity_chip_filters_and_its_exclude_button_turns_it_into_an_exclusion()
    {
        var tag = NewTag();
        const string day = "2018-02-14";
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(
            app.WriteArticle(day, $"Chip check {tag} Paris: the foreign ministers of France and Germany met in Paris. They agreed on a joint statement."),
            app.WriteArticle(day, $"Chip check {tag} Berlin: the trade ministers of Germany and Japan met in Berlin. They signed a trade accord."));
        await page.OpenAsync($"/?from={day}&to={day}");
        var paris = page.TimelineRow($"Chip check {tag} Paris");
        var berlin = page.TimelineRow($"Chip check {tag} Berlin");
        await page.WaitForViewAsync($"/?from={day}&to={day}");

        await paris.Locator("[data-entity='country:FR']").ClickAsync();
        await page.WaitForViewAsync($"/?from={day}&to={day}&entity=country:FR");
        await Expect(berlin).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-filter-rule]")).ToContainTextAsync("all of these, none of those");

        await page.Locator("[data-action=exclude][data-target='country:FR']").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("exclude=country:FR"));
        await Expect(berlin).ToBeVisibleAsync();
        await Expect(paris).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-active-filters] [data-exclude='country:FR'] s")).ToHaveTextAsync("France");
    }

    [Fact]
    public async Task A_chart_category_can_be_picked_with_the_keyboard()
    {
        var tag = NewTag();
        const string day = "2018-09-09";
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(
            app.WriteArticle(day, $"Keyboard check {tag} Hanoi: the foreign ministers of Vietnam and Laos met in Hanoi. They agreed on rice."),
            app.WriteArticle(day, $"Keyboard check {tag} Bangkok: the foreign ministers of Thailand and Cambodia met in Bangkok. They agreed on roads."));
        await page.OpenAsync($"/?from={day}&to={day}");
        await page.WaitForViewAsync($"/?from={day}&to={day}");

        var vietnam = page.Locator("[data-chart=countries] .chart-data button").Filter(new() { HasText = "Vietnam" });
        await vietnam.FocusAsync();
        await Expect(page.Locator("[data-chart=countries] .chart-data")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex("entity=country:VN"));
        await Expect(page.TimelineRow($"Keyboard check {tag} Bangkok")).ToHaveCountAsync(0);
        await Expect(page.TimelineRow($"Keyboard check {tag} Hanoi")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Dragging_across_the_volume_chart_narrows_the_dates_and_a_click_zooms_into_one_bar()
    {
        var tag = NewTag();
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(
            app.WriteArticle("2018-05-02", $"Drag check {tag} early: the president of Peru spoke in Lima. He spoke about mining."),
            app.WriteArticle("2018-05-08", $"Drag check {tag} late: the president of Peru spoke in Lima. He spoke about fishing."));
        await page.OpenAsync($"/?from=2018-05-01&to=2018-05-10&q={tag}");
        await page.WaitForViewAsync($"/?from=2018-05-01&to=2018-05-10&q={tag}");
        var volume = await page.DrawnChartAsync("volume");
        await Expect(volume).ToHaveAttributeAsync("data-points", "10");

        // Ten day bars across the plot: drag from the middle of the first to the middle of the fifth.
        var plot = await volume.Locator(".apexcharts-grid").First.BoundingBoxAsync() ?? throw new InvalidOperationException("no plot area");
        var bar = plot.Width / 10;
        var y = plot.Y + plot.Height / 2;
        await page.Mouse.MoveAsync(plot.X + bar * 0.5f, y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(plot.X + bar * 2.5f, y, new() { Steps = 5 });
        await page.Mouse.MoveAsync(plot.X + bar * 4.5f, y, new() { Steps = 5 });
        await page.Mouse.UpAsync();

        await Expect(page).ToHaveURLAsync(new Regex("from=2018-05-01&to=2018-05-05"));
        await Expect(page.TimelineRow($"Drag check {tag} early")).ToBeVisibleAsync();
        await Expect(page.TimelineRow($"Drag check {tag} late")).ToHaveCountAsync(0);

        // A plain click on one bar still zooms into that bar's day.
        await page.WaitForViewAsync($"/?from=2018-05-01&to=2018-05-05&q={tag}");
        await page.ClickBarAsync("volume", "2018-05-02");

        await Expect(page).ToHaveURLAsync(new Regex("from=2018-05-02&to=2018-05-02"));
        await Expect(page.TimelineRow($"Drag check {tag} early")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Clicking_a_country_on_the_map_filters_by_it()
    {
        var tag = NewTag();
        const string day = "2018-03-21";
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(
            app.WriteArticle(day, $"Map check {tag} Brazil: the president of Brazil spoke in Brasilia. He spoke about the Amazon."),
            app.WriteArticle(day, $"Map check {tag} Kenya: the president of Kenya spoke in Nairobi. He spoke about tea."),
            app.WriteArticle(day, $"Map check {tag} Singapore: the prime minister of Singapore spoke about shipping."));
        await page.OpenAsync($"/?from={day}&to={day}");
        await page.WaitForViewAsync($"/?from={day}&to={day}");
        var map = await page.DrawnChartAsync("map");
        await Expect(map.DataTable()).ToContainTextAsync("Brazil");
        await map.ScrollIntoViewIfNeededAsync();
        await map.ScreenshotAsync(new() { Path = Path.Combine(AppFixture.RepoRoot, "artifacts", "screenshots", "map.png") });

        // Too small for a shape at this scale: listed under the map, and clickable like a shape.
        await Expect(map.Locator("[data-offmap-country=SG]")).ToContainTextAsync("Singapore (1)");

        // A country's shape can span oceans (overseas territories), so its box centre is not always on it: dispatch the click on the shape.
        await map.Locator("path[data-code=BR]").DispatchEventAsync("click");

        await Expect(page).ToHaveURLAsync(new Regex("entity=country:BR"));
        await Expect(page.TimelineRow($"Map check {tag} Brazil")).ToBeVisibleAsync();
        await Expect(page.TimelineRow($"Map check {tag} Kenya")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_copied_url_reopens_the_same_view_in_a_new_page_and_back_restores_the_previous_one()
    {
        var tag = NewTag();
        const string day = "2018-04-04";
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(
            app.WriteArticle(day, $"Round trip {tag} Oslo: the prime ministers of Norway and Sweden met in Oslo. They agreed on fishing."),
            app.WriteArticle(day, $"Round trip {tag} Madrid: the prime ministers of Spain and Portugal met in Madrid. They agreed on trains."));
        await page.OpenAsync($"/?from={day}&to={day}&q={tag}");
        await page.WaitForViewAsync($"/?from={day}&to={day}&q={tag}");
        await page.Locator("[data-switch=count] [data-value=mentions]").ClickAsync();
        await page.WaitForViewAsync($"/?from={day}&to={day}&q={tag}&count=mentions");
        await page.TimelineRow($"Round trip {tag} Oslo").Locator("[data-entity='country:NO']").ClickAsync();
        var view = $"/?from={day}&to={day}&entity=country:NO&q={tag}&count=mentions";
        await page.WaitForViewAsync(view);
        var countries = await page.Locator("[data-chart=countries] .chart-data").InnerTextAsync();

        var copy = await app.NewPageAsync();
        await copy.OpenAsync(page.Url);

        await copy.WaitForViewAsync(view);
        await Expect(copy.TimelineRow($"Round trip {tag} Oslo")).ToBeVisibleAsync();
        await Expect(copy.TimelineRow($"Round trip {tag} Madrid")).ToHaveCountAsync(0);
        Assert.Equal(countries, await copy.Locator("[data-chart=countries] .chart-data").InnerTextAsync());
        await Expect(copy.Locator("[data-switch=count] [data-value=mentions]")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(copy.Locator("#filter-q")).ToHaveValueAsync(tag);

        await page.GoBackAsync();

        await page.WaitForViewAsync($"/?from={day}&to={day}&q={tag}&count=mentions");
        await Expect(page.TimelineRow($"Round trip {tag} Madrid")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_malformed_search_shows_a_readable_message()
    {
        var page = await app.NewPageAsync();
        await page.OpenAsync("/");

        await page.Locator("#filter-q").FillAsync("\"humanitarian aid");
        await page.Locator("#filter-q").PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(new Regex("q=%22humanitarian"));
        await Expect(page.Locator("[data-search-error]")).ToContainTextAsync("a quotation mark is not closed");
        await AppFixture.ScreenshotAsync(page, "search-error.png");
    }

    [Fact]
    public async Task The_timeline_export_downloads_every_article_of_the_filter_and_no_other()
    {
        var tag = NewTag();
        const string day = "2018-06-06";
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(
            app.WriteArticle(day, $"Export check {tag} Athens: the foreign ministers of Greece and Cyprus met in Athens. They agreed on shipping."),
            app.WriteArticle(day, $"Export check {tag} Rome: the foreign ministers of Italy and Malta met in Rome. They agreed on migration."));
        await page.OpenAsync($"/?from={day}&to={day}&entity=country:GR");
        await page.WaitForViewAsync($"/?from={day}&to={day}&entity=country:GR");
        await Expect(page.Locator("[data-export=articles]")).ToHaveAttributeAsync("href", $"/api/export/articles.csv?from={day}&to={day}&entity=country:GR");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-export=articles]").ClickAsync());

        var path = await download.PathAsync();
        var csv = await File.ReadAllTextAsync(path);
        Assert.Contains($"Export check {tag} Athens", csv);
        Assert.DoesNotContain($"Export check {tag} Rome", csv);

        // The same articles with their text, as JSON Lines another News Monitor can import.
        var withText = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-export=articles-text]").ClickAsync());
        Assert.Equal("articles.jsonl", withText.SuggestedFilename);
        var line = System.Text.Json.JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(await withText.PathAsync()), l => l.Contains(tag))).RootElement;
        Assert.Contains("They agreed on shipping.", line.GetProperty("text").GetString());
        Assert.Equal(day, line.GetProperty("date").GetString());
    }

    [Fact]
    public async Task A_chart_or_the_map_is_saved_as_a_png_picture_under_its_caption()
    {
        var tag = NewTag();
        const string day = "2018-06-16";
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(
            app.WriteArticle(day, $"Image check {tag} Athens: the foreign ministers of Greece and Cyprus met in Athens."),
            app.WriteArticle(day, $"Image check {tag} Rome: the foreign ministers of Italy and Greece met in Rome."));
        var view = $"/?from={day}&to={day}&q={tag}";
        await page.OpenAsync(view);
        await page.WaitForViewAsync(view);

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-image=countries]").ClickAsync());

        Assert.Equal("countries.png", download.SuggestedFilename);
        var png = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        // Drawn at twice the chart's size, with room for its caption above.
        var (width, height) = (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        var box = await page.Locator("[data-chart=countries] .apex-chart-canvas").BoundingBoxAsync();
        Assert.InRange(width, 2 * box!.Width - 4, 2 * box.Width + 4);
        Assert.True(height > 2 * 320, $"{width}x{height}");
        Directory.CreateDirectory(Path.Combine(AppFixture.RepoRoot, "artifacts", "screenshots"));
        await File.WriteAllBytesAsync(Path.Combine(AppFixture.RepoRoot, "artifacts", "screenshots", "chart-image.png"), png);

        // The map too, its countries in their shades.
        var map = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-image=map]").ClickAsync());
        Assert.Equal("map.png", map.SuggestedFilename);
        var mapPng = await File.ReadAllBytesAsync(await map.PathAsync());
        Assert.Equal(png[..8], mapPng[..8]);
        var mapBox = await page.Locator("[data-chart=map] .world-map-canvas svg").BoundingBoxAsync();
        Assert.InRange(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(mapPng.AsSpan(16)), 2 * mapBox!.Width - 4, 2 * mapBox.Width + 4);
        await File.WriteAllBytesAsync(Path.Combine(AppFixture.RepoRoot, "artifacts", "screenshots", "map-image.png"), mapPng);
    }

    [Fact]
    public async Task The_entity_page_shows_the_entity_and_leads_back_to_a_filtered_dashboard()
    {
        var tag = NewTag();
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(
            app.WriteArticle("2018-07-01", $"Entity check {tag} first: the foreign ministers of Argentina and Uruguay met in Buenos Aires. They agreed on beef."),
            app.WriteArticle("2018-07-09", $"Entity check {tag} second: the president of Argentina spoke in Cordoba. He spoke about wheat."));

        await page.OpenAsync("/entities/country/AR");

        await Expect(page.Locator(".entity-name")).ToHaveTextAsync("Argentina");
        await Expect(page.TimelineRow($"Entity check {tag} second")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-comentioned] [data-comention='country:UY']")).ToBeVisibleAsync();
        await page.DrawnChartAsync("trend");
        await AppFixture.ScreenshotAsync(page, "entity.png");

        await page.Locator("[data-action=filter-dashboard]").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"/\?entity=country:AR$"));
        await page.WaitForViewAsync("/?entity=country:AR");
        await Expect(page.Locator("[data-active-filters] [data-filter='country:AR']")).ToContainTextAsync("Argentina");
    }

    [Fact]
    public async Task What_a_person_said_is_listed_on_their_page_and_narrowed_to_what_they_said_about_a_country()
    {
        var tag = NewTag();
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(
            app.WriteArticle("2019-04-02", $"Statement check {tag} one: Finance Minister Ottoline Brisk said the budget of Norway would grow next year.\n\n\u201CSweden must pay its share of the bridge,\u201D Brisk told reporters in Oslo."),
            app.WriteArticle("2019-04-03", $"Statement check {tag} two: Ottoline Brisk warned that the fishing quotas would be cut again."));

        // On the dashboard of these articles, Brisk is the one voice: three statements; a click filters by her.
        var view = $"/?q={tag}";
        await page.OpenAsync(view);
        await page.WaitForViewAsync(view);
        var voices = page.Locator("[data-voices]");
        await Expect(voices.Locator("[data-voice]")).ToHaveCountAsync(1);
        await Expect(voices.Locator("[data-voice='person:ottoline-brisk']")).ToContainTextAsync("3 statements");
        await voices.ScreenshotAsync(new() { Path = Path.Combine(AppFixture.RepoRoot, "artifacts", "screenshots", "voices.png") });
        await voices.Locator("[data-voice='person:ottoline-brisk']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape($"/?entity=person:ottoline-brisk&q={tag}") + "$"));
        await Expect(page.Locator("[data-active-filters] [data-filter='person:ottoline-brisk']")).ToBeVisibleAsync();

        await page.OpenAsync("/entities/person/ottoline-brisk");

        var card = page.Locator("[data-statements]");
        await Expect(card.Locator("[data-statement]")).ToHaveCountAsync(3);
        await Expect(card.Locator("[data-statement]").First).ToContainTextAsync("warned the fishing quotas would be cut again");
        await Expect(card.Locator("[data-statement] q")).ToHaveTextAsync("Sweden must pay its share of the bridge");
        // A headline that is the text's first line says it once, not as a copy of itself.
        await Expect(card.Locator("[data-statement-copies]")).ToHaveCountAsync(0);
        await card.ScreenshotAsync(new() { Path = Path.Combine(AppFixture.RepoRoot, "artifacts", "screenshots", "statements.png") });

        await card.Locator("[data-statement-about='country:SE']").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape("/entities/person/ottoline-brisk?about=country:SE") + "$"));
        await Expect(card.Locator(".mud-typography-subtitle1")).ToHaveTextAsync("What Ottoline Brisk said about Sweden");
        await Expect(card.Locator("[data-statement]")).ToHaveCountAsync(1);
        await Expect(card.Locator("[data-statement-about='country:SE']")).ToHaveAttributeAsync("aria-current", "true");

        // The article it was said in is one click away.
        await card.Locator("[data-statement] a").ClickAsync();

        await Expect(page.Locator(".article-title")).ToContainTextAsync($"Statement check {tag} one");
        // Its page says who said what in it: both of Brisk's statements, each speaker leading to their page.
        await Expect(page.Locator("[data-article-statements] [data-article-statement='person:ottoline-brisk']")).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-article-statements] q")).ToHaveTextAsync("Sweden must pay its share of the bridge");
        await AppFixture.ScreenshotAsync(page, "article-statements.png");

        // Sweden's page, the other way round: what was said about Sweden, and by whom.
        await page.OpenAsync("/entities/country/SE");
        await page.Locator("[data-statements-mode=about]").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape("/entities/country/SE?statements=about") + "$"));
        var aboutSweden = page.Locator("[data-statements=about] [data-statement-speaker='person:ottoline-brisk']");
        await Expect(aboutSweden).ToHaveCountAsync(1);
        await Expect(aboutSweden.Locator("q")).ToHaveTextAsync("Sweden must pay its share of the bridge");
    }

    [Fact]
    public async Task An_articles_byline_opens_the_dashboard_of_that_author()
    {
        var tag = NewTag();
        var author = $"Reporter {tag}";
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(
            app.WriteFile($"byline-{tag}-a.json", System.Text.Encoding.UTF8.GetBytes(
                $$"""{"title": "Byline check {{tag}} first: Ghana and Togo open a border post", "text": "Ghana and Togo opened a joint border post.", "date": "2019-03-04", "author": "{{author}}"}""")),
            app.WriteFile($"byline-{tag}-b.json", System.Text.Encoding.UTF8.GetBytes(
                $$"""{"title": "Byline check {{tag}} second: Peru and Chile sign a deal", "text": "Peru and Chile signed a border deal.", "date": "2019-03-05", "author": "Someone Else {{tag}}"}""")));

        await page.OpenAsync("/?q=" + tag);
        await page.TimelineRow($"Byline check {tag} first").GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/articles?/\d+"));
        await page.WaitUntilInteractiveAsync();
        await page.Locator("[data-field=author] a").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"/\?author=Reporter%20" + tag + "$"));
        await Expect(page.Locator("[data-filter-author]")).ToContainTextAsync(author);
        await Expect(page.TimelineRow($"Byline check {tag} first")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-article-id]")).ToHaveCountAsync(1);
        await AppFixture.ScreenshotAsync(page, "author.png");
    }

    [Fact]
    public async Task A_bar_of_the_sources_chart_filters_by_that_outlet_and_one_of_the_authors_chart_by_that_byline()
    {
        var tag = NewTag();
        var page = await app.NewPageAsync();
        string Json(string letter, string outlet, string author) => $$"""{"title": "Outlet check {{tag}} {{letter}}: Ghana and Togo open a border post", "text": "Ghana and Togo opened a joint border post, report {{letter}}.", "date": "2019-04-0{{letter[0] - 'a' + 1}}", "source": "{{outlet}} {{tag}}", "author": "{{author}} {{tag}}"}""";
        await page.UploadStoredAsync(
            app.WriteFile($"outlet-{tag}-a.json", System.Text.Encoding.UTF8.GetBytes(Json("a", "Coast Herald", "Ama Owusu"))),
            app.WriteFile($"outlet-{tag}-b.json", System.Text.Encoding.UTF8.GetBytes(Json("b", "Coast Herald", "Kofi Mensah"))),
            app.WriteFile($"outlet-{tag}-c.json", System.Text.Encoding.UTF8.GetBytes(Json("c", "Lome Daily", "Ama Owusu"))));

        await page.OpenAsync("/?q=" + tag);
        await page.WaitForViewAsync("/?q=" + tag);
        await Expect((await page.DrawnChartAsync("sources")).DataTable()).ToContainTextAsync($"Coast Herald {tag}");
        await Expect((await page.DrawnChartAsync("authors")).DataTable()).ToContainTextAsync($"Kofi Mensah {tag}");
        await page.Locator("[data-chart-card=sources]").ScrollIntoViewIfNeededAsync();
        await AppFixture.ScreenshotAsync(page, "sources-authors.png", fullPage: false);
        await page.ClickBarAsync("sources", $"Lome Daily {tag}");

        await Expect(page).ToHaveURLAsync(new Regex("source=Lome%20Daily%20" + tag));
        await Expect(page.Locator("[data-filter-source]")).ToContainTextAsync($"Lome Daily {tag}");
        await Expect(page.Locator("[data-article-id]")).ToHaveCountAsync(1);
        await Expect(page.TimelineRow($"Outlet check {tag} c")).ToBeVisibleAsync();

        await page.OpenAsync("/?q=" + tag);
        await page.WaitForViewAsync("/?q=" + tag);
        await page.ClickBarAsync("authors", $"Ama Owusu {tag}");

        await Expect(page).ToHaveURLAsync(new Regex("author=Ama%20Owusu%20" + tag));
        await Expect(page.Locator("[data-filter-author]")).ToContainTextAsync($"Ama Owusu {tag}");
        await Expect(page.Locator("[data-article-id]")).ToHaveCountAsync(2);
        await Expect(page.TimelineRow($"Outlet check {tag} b")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_wire_copy_is_marked_on_the_timeline_and_its_article_page_lists_the_other_copy()
    {
        var tag = NewTag();
        var page = await app.NewPageAsync();
        var text = $"Wire check {tag}. The foreign ministers of Kenya and Tanzania met in Arusha on Tuesday to discuss a new railway line "
            + "linking the two countries, officials said. The talks lasted four hours and ended with a joint statement on financing, "
            + "customs posts and the timetable of the works, which are due to start next spring after a survey of the route.";
        string Json(string title, string body, string date, string outlet) =>
            System.Text.Json.JsonSerializer.Serialize(new { title, text = body, date, source = outlet });
        await page.UploadStoredAsync(
            app.WriteFile($"wire-{tag}-a.json", System.Text.Encoding.UTF8.GetBytes(Json($"Wire check {tag}: Kenya and Tanzania plan a railway", text, "2017-09-04", "Wire Service"))));
        await page.UploadStoredAsync(
            app.WriteFile($"wire-{tag}-b.json", System.Text.Encoding.UTF8.GetBytes(Json($"UPDATE Wire check {tag}: ministers agree on railway", text + "\n\n(Reporting by the Nairobi bureau.)", "2017-09-05", "Coast Daily"))));

        await page.OpenAsync("/?q=" + tag);
        var copy = page.TimelineRow($"UPDATE Wire check {tag}");
        await Expect(copy.Locator("[data-story-copies]")).ToHaveTextAsync("+1 copy");
        await copy.Locator("[data-story-copies]").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"/articles/\d+#story$"));
        await page.WaitUntilInteractiveAsync();
        var story = page.Locator("[data-story]");
        await Expect(story).ToContainTextAsync($"Wire check {tag}: Kenya and Tanzania plan a railway");
        await Expect(story).ToContainTextAsync("first copy");
        await Expect(story).ToContainTextAsync("Wire Service");
        await AppFixture.ScreenshotAsync(page, "story.png");
    }

    [Fact]
    public async Task An_article_deleted_from_its_page_leaves_the_timeline_and_the_corrections_page_can_allow_it_again()
    {
        var tag = NewTag();
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(app.WriteArticle("2013-03-03", $"Delete check {tag}: a test upload about Norway and Sweden, written in Oslo."));
        await page.OpenAsync("/?q=" + tag);
        await page.WaitForViewAsync("/?q=" + tag);

        await page.TimelineRow($"Delete check {tag}").Locator("a[href^='/articles/']").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/articles/[0-9]+$"));
        await page.WaitUntilInteractiveAsync();
        await page.Locator("[data-action=delete-article]").ClickAsync();
        await page.Locator("[data-action=confirm-delete-article]").ClickAsync();

        await Expect(page.Locator("[data-empty=article-deleted]")).ToContainTextAsync("was deleted on");
        await AppFixture.ScreenshotAsync(page, "article-deleted.png", fullPage: false);
        await page.OpenAsync("/?q=" + tag);
        await page.WaitForViewAsync("/?q=" + tag);
        await Expect(page.Locator("[data-article-id]")).ToHaveCountAsync(0);

        await page.OpenAsync("/corrections");
        var row = page.Locator("[data-deleted-article]", new() { HasText = $"Delete check {tag}" });
        await row.Locator("[data-action=allow-article-again]").ClickAsync();
        await Expect(page.Locator("[data-correction-message]")).ToContainTextAsync("will be stored again");
        await Expect(row).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Every_article_of_a_searched_view_is_deleted_from_the_timeline_after_confirming_their_number()
    {
        var tag = NewTag();
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(
            app.WriteArticle("2013-04-04", $"Bad import {tag} one: a test row about Finland, written in Helsinki."),
            app.WriteArticle("2013-04-05", $"Bad import {tag} two: a test row about Estonia, written in Tallinn."));
        await page.OpenAsync("/?q=" + tag);
        await page.WaitForViewAsync("/?q=" + tag);
        await Expect(page.Locator("[data-article-id]")).ToHaveCountAsync(2);

        await page.Locator("[data-action=delete-view-articles]").ClickAsync();
        await Expect(page.Locator("[data-action=confirm-delete-view-articles]")).ToHaveTextAsync("Delete 2 articles");
        await AppFixture.ScreenshotAsync(page, "delete-view.png", fullPage: false);
        await page.Locator("[data-action=confirm-delete-view-articles]").ClickAsync();

        await Expect(page.Locator("[data-delete-view-message]")).ToHaveTextAsync("2 articles deleted.");
        await Expect(page.Locator("[data-empty=no-match]")).ToBeVisibleAsync();
        await page.OpenAsync("/?q=" + tag);
        await page.WaitForViewAsync("/?q=" + tag);
        await Expect(page.Locator("[data-article-id]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_name_set_aside_on_its_page_leaves_the_dashboard_and_its_page_offers_to_count_it_again()
    {
        var tag = NewTag();
        var page = await app.NewPageAsync();
        // A made-up name only this test uses: the browser tests share one store.
        await page.UploadStoredAsync(app.WriteArticle("2016-02-02",
            $"Set-aside check {tag}: foreign minister Barnaby Quillfeather of Ghana met officials in Accra. Quillfeather said the talks went well."));
        await page.OpenAsync("/?q=" + tag);
        await page.WaitForViewAsync("/?q=" + tag);
        await Expect((await page.DrawnChartAsync("actors")).DataTable()).ToContainTextAsync("Barnaby Quillfeather");

        await page.OpenAsync("/entities/person/barnaby-quillfeather");
        await page.Locator("[data-action=ignore]").ClickAsync();
        await page.Locator("[data-action=confirm-ignore]").ClickAsync();

        await Expect(page.Locator("[data-ignored-entity='person:barnaby-quillfeather']")).ToContainTextAsync("“Barnaby Quillfeather” is set aside");
        await Expect(page.Locator("[data-action=restore-entity]")).ToBeVisibleAsync();
        await AppFixture.ScreenshotAsync(page, "entity-set-aside.png");
        await page.OpenAsync("/?q=" + tag);
        await page.WaitForViewAsync("/?q=" + tag);
        await Expect(page.TimelineRow($"Set-aside check {tag}")).ToBeVisibleAsync();
        await Expect(page.TimelineRow($"Set-aside check {tag}").Locator("[data-entity='person:barnaby-quillfeather']")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-chart=actors] .chart-data")).Not.ToContainTextAsync("Barnaby Quillfeather");

        // The list of corrections shows it, and counts it again from there.
        await page.GetByRole(AriaRole.Link, new() { Name = "Corrections" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/corrections$"));
        await page.WaitUntilInteractiveAsync();
        var row = page.Locator("[data-set-aside='person:barnaby-quillfeather']");
        await Expect(row).ToContainTextAsync("Barnaby Quillfeather");
        await AppFixture.ScreenshotAsync(page, "corrections.png");
        await row.Locator("[data-action=restore-entity]").ClickAsync();

        await Expect(page.Locator("[data-correction-message]")).ToContainTextAsync("is counted again");
        await Expect(row).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_view_saved_under_a_name_reopens_from_its_link_with_its_filters()
    {
        var tag = NewTag();
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(app.WriteArticle("2015-05-05", $"Saved view check {tag}: the foreign ministers of Chile and Peru met in Lima. They agreed on fishing rights."));
        var view = $"/?from=2015-05-05&to=2015-05-05&entity=country:PE&q={tag}";
        await page.OpenAsync(view);
        await page.WaitForViewAsync(view);

        await page.Locator("[data-action=save-view]").ClickAsync();
        await page.Locator("#view-name").FillAsync($"Peru {tag}");
        await page.Locator("[data-action=confirm-save-view]").ClickAsync();
        await Expect(page.Locator("[data-view-message]")).ToContainTextAsync($"Saved as “Peru {tag}”");

        // An article arriving in the view is counted beside its link on the unfiltered dashboard.
        await page.UploadStoredAsync(app.WriteArticle("2015-05-05", $"Saved view check {tag} again: Peru and Bolivia opened a border post."));
        await page.OpenAsync("/");
        await page.WaitForViewAsync("/");
        await Expect(page.Locator($"[data-saved-view='Peru {tag}'] + [data-saved-view-new]")).ToHaveTextAsync("+1");
        await AppFixture.ScreenshotAsync(page, "saved-views.png", fullPage: false);

        // Its link brings its dates, entity and search back, and opening it clears the count.
        await page.Locator($"[data-saved-view='Peru {tag}']").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(view) + "$"));
        await page.WaitForViewAsync(view);
        await Expect(page.Locator("[data-active-filters] [data-filter='country:PE']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-article-id]")).ToHaveCountAsync(2);
        await Expect(page.Locator("[data-saved-views] .saved-view-current")).ToContainTextAsync($"Peru {tag}");
        await Expect(page.Locator($"[data-saved-view='Peru {tag}'] + [data-saved-view-new]")).ToHaveCountAsync(0);

        // Its Feed button opens the saved view as an Atom feed, titled with its name, for a feed reader to follow.
        await Expect(page.Locator("[data-export=atom]")).ToHaveAttributeAsync("href", new Regex(@"^/api/views/[0-9]+/articles\.atom$"));
        var feed = await page.RunAndWaitForPopupAsync(() => page.Locator("[data-export=atom]").ClickAsync());
        await feed.WaitForLoadStateAsync();
        var xml = await feed.ContentAsync();
        Assert.Contains($"News Monitor: Peru {tag}", xml);
        Assert.Contains($"Saved view check {tag} again", xml);
        await feed.CloseAsync();
    }

    [Fact]
    public async Task A_telling_word_of_a_view_narrows_its_search_to_the_articles_using_it()
    {
        var tag = NewTag();
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(
            app.WriteArticle("2012-02-02", $"Words check {tag} one: Chile and Peru argued over anchovy quotas in Lima."),
            app.WriteArticle("2012-02-03", $"Words check {tag} two: Peru cut the anchovy season short after warm currents."),
            app.WriteArticle("2012-02-04", $"Words check {tag} three: fishing fleets in Callao waited for news."));
        await page.OpenAsync("/?q=" + tag);
        await page.WaitForViewAsync("/?q=" + tag);

        await page.Locator("[data-words] [data-word=anchovy]").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape($"q={tag}%20anchovy") + "$"));
        await page.WaitForViewAsync($"/?q={tag}%20anchovy");
        await Expect(page.Locator("[data-article-id]")).ToHaveCountAsync(2);
        await page.Locator("[data-words]").ScreenshotAsync(new() { Path = Path.Combine(AppFixture.RepoRoot, "artifacts", "screenshots", "words.png") });
    }

    [Fact]
    public async Task Rising_and_fading_list_what_the_week_gained_against_the_week_before_and_a_click_filters_by_it()
    {
        var tag = NewTag();
        var page = await app.NewPageAsync();
        var files = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            files.Add(app.WriteArticle($"2011-03-0{i + 1}", $"Rising check {tag} Tokyo {i}: Japan signed an export accord in Tokyo."));
            files.Add(app.WriteArticle($"2011-03-{i + 8:D2}", $"Rising check {tag} Lima {i}: Peru and Chile argued over anchovy quotas in Lima."));
        }
        await page.UploadStoredAsync([.. files]);
        var view = $"/?from=2011-03-08&to=2011-03-14&q={tag}";
        await page.OpenAsync(view);
        await page.WaitForViewAsync(view);

        var card = page.Locator("[data-shifts]");
        await Expect(card).ToContainTextAsync("8 Mar – 14 Mar 2011 against the 7 days before");
        await Expect(card.Locator("[data-shift-list=rising] [data-shift='country:PE']")).ToContainTextAsync("6, was 0");
        await Expect(card.Locator("[data-shift-list=fading] [data-shift='country:JP']")).ToContainTextAsync("0, was 6");
        await card.ScreenshotAsync(new() { Path = Path.Combine(AppFixture.RepoRoot, "artifacts", "screenshots", "rising.png") });

        await card.Locator("[data-shift='country:PE']").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape($"/?from=2011-03-08&to=2011-03-14&entity=country:PE&q={tag}") + "$"));
        await Expect(page.Locator("[data-active-filters] [data-filter='country:PE']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-article-id]")).ToHaveCountAsync(6);
        await Expect(page.Locator("[data-shifts] [data-empty=no-earlier-period]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_event_marked_on_the_timeline_is_drawn_over_its_day_for_everyone()
    {
        var tag = NewTag();
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(
            app.WriteArticle("2010-05-03", $"Event check {tag} one: Chile and Peru argued over anchovy quotas in Lima."),
            app.WriteArticle("2010-05-05", $"Event check {tag} two: Peru cut the anchovy season short."),
            app.WriteArticle("2010-05-05", $"Event check {tag} three: fleets in Callao waited for news from Peru."));
        var view = $"/?from=2010-05-01&to=2010-05-07&q={tag}";
        await page.OpenAsync(view);
        await page.WaitForViewAsync(view);

        await page.Locator("[data-event-marks] [data-action=mark-event]").ClickAsync();
        await page.Locator("[data-mark-event-day]").FillAsync("2010-05-05");
        await page.Locator("[data-mark-event-label]").FillAsync($"Season cut {tag}");
        await page.Locator("[data-action=save-event]").ClickAsync();

        await Expect(page.Locator("[data-event-marks] [data-event-mark]")).ToContainTextAsync($"5 May 2010 Season cut {tag}");
        await Expect(page.Locator("[data-chart=volume][data-rendered=true]")).ToHaveAttributeAsync("data-markers", "1");
        await Expect(page.Locator("[data-chart=volume] .apexcharts-xaxis-annotations")).ToContainTextAsync($"Season cut {tag}");
        await page.Locator("[data-chart=volume]").Locator("xpath=ancestor::div[contains(@class,'mud-paper')][1]")
            .ScreenshotAsync(new() { Path = Path.Combine(AppFixture.RepoRoot, "artifacts", "screenshots", "event-marks.png") });

        // Another reader opening the view sees it too; removing it takes it off the chart.
        var other = await app.NewPageAsync();
        await other.OpenAsync(view);
        await other.WaitForViewAsync(view);
        await Expect(other.Locator("[data-chart=volume] .apexcharts-xaxis-annotations")).ToContainTextAsync($"Season cut {tag}");
        await other.Locator("[data-event-mark] [data-action=delete-event]").ClickAsync();
        await Expect(other.Locator("[data-event-mark]")).ToHaveCountAsync(0);
        await Expect(other.Locator("[data-chart=volume][data-rendered=true]")).ToHaveAttributeAsync("data-markers", "0");
    }

    [Fact]
    public async Task The_trend_chart_switches_to_shares_of_all_the_days_articles()
    {
        var tag = NewTag();
        const string day = "2014-04-14";
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(
            app.WriteArticle(day, $"Share check {tag} Athens: the foreign ministers of Greece and Cyprus met in Athens. They agreed on shipping."),
            app.WriteArticle(day, $"Share check {tag} Rome: the foreign ministers of Italy and Malta met in Rome. They agreed on migration."),
            app.WriteArticle("2014-04-15", $"Share check {tag} Piraeus: Greece opened a new ferry terminal at Piraeus."),
            app.WriteArticle("2014-04-16", $"Share check {tag} Salonica: Greece and Italy signed a rail accord in Thessaloniki."),
            app.WriteArticle("2014-04-16", $"Share check {tag} Milan: Italy's fashion week opened in Milan."),
            app.WriteArticle("2014-04-16", $"Share check {tag} Turin: Italy and France opened a tunnel near Turin."));
        var view = $"/?from={day}&to=2014-04-16&compare=country:GR&compare=country:IT";
        await page.OpenAsync(view);
        await page.WaitForViewAsync(view);
        await Expect(page.Locator("[data-chart=trends] table tbody td").First).ToHaveTextAsync("1");

        await page.Locator("[data-switch=trend] [data-value=share]").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(view + "&trend=share") + "$"));
        // Greece is in one of the day's two articles.
        await Expect(page.Locator("[data-chart=trends] table tbody td").First).ToHaveTextAsync("50%");
        await Expect(page.Locator("[data-chart=trends]")).ToHaveAttributeAsync("data-rendered", "true");
        await Expect(page.Locator("[data-switch=trend] [data-value=share]")).ToHaveAttributeAsync("aria-pressed", "true");
        // The other days: Greece in all of one day's articles, in one of three the next; Italy alongside.
        await Expect(page.Locator("[data-chart=trends] table tbody tr")).ToHaveTextAsync([new Regex("50%.*50%"), new Regex("100%.*0%"), new Regex("33.33%.*100%")]);
        var card = page.Locator(".mud-paper", new() { Has = page.Locator("[data-switch=trend]") });
        await card.ScrollIntoViewIfNeededAsync();
        await card.ScreenshotAsync(new() { Path = Path.Combine(AppFixture.RepoRoot, "artifacts", "screenshots", "trends-share.png") });
    }

    [Fact]
    public async Task The_countries_tile_lists_every_country_of_the_view_and_a_name_found_there_opens_its_page()
    {
        var tag = NewTag();
        var page = await app.NewPageAsync();
        await page.UploadStoredAsync(app.WriteArticle("2014-04-04",
            $"List check {tag}: the foreign ministers of Mongolia, Kazakhstan, Kyrgyzstan, Tajikistan, Uzbekistan, Turkmenistan, Azerbaijan, Armenia, Georgia, Belarus, Moldova and Latvia met in Ulaanbaatar."));
        await page.OpenAsync("/?q=" + tag);
        await page.WaitForViewAsync("/?q=" + tag);
        // Twelve countries: the chart shows ten, the list all of them.
        await page.Locator("[data-summary-list=countries]").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex(@"/entities\?kind=country&q=" + tag + "$"));
        await page.WaitUntilInteractiveAsync();
        await Expect(page.Locator("[data-entity-row]")).ToHaveCountAsync(12);
        await AppFixture.ScreenshotAsync(page, "entities.png");
        await page.Locator("#entity-search").FillAsync("kyr");
        await Expect(page.Locator("[data-entity-row]")).ToHaveCountAsync(1);
        await page.Locator("[data-entity-row='country:KG'] a").First.ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/entities/country/KG$"));
        await Expect(page.Locator(".entity-name")).ToHaveTextAsync("Kyrgyzstan");
    }

    [Fact]
    public async Task The_dashboard_fits_a_phone_and_follows_the_dark_theme()
    {
        var tag = NewTag();
        var setup = await app.NewPageAsync();
        await setup.UploadStoredAsync(
            app.WriteArticle("2018-08-08", $"Phone check {tag}: the foreign ministers of India and Nepal met in Kathmandu. They agreed on power lines."));

        var page = await app.NewPageAsync(new ViewportSize { Width = 375, Height = 812 });
        await page.OpenAsync("/");
        await page.WaitForViewAsync("/");
        foreach (var chart in new[] { "volume", "countries", "actors", "topics", "map" })
        {
            await page.DrawnChartAsync(chart);
        }
        // Nothing wider than the phone: the page never scrolls sideways.
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than the phone");
        // Every navigation link shows its whole label (squeezed buttons clip their text without widening the page).
        var clipped = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('.mud-appbar .mud-button-root')].filter(b => b.scrollWidth > b.clientWidth + 1).map(b => b.textContent)");
        Assert.True(clipped.Length == 0, "clipped in the navigation: " + string.Join(", ", clipped));
        await AppFixture.ScreenshotAsync(page, "dashboard-phone.png");
        await AppFixture.ScreenshotAsync(page, "dashboard-phone-screen.png", fullPage: false);

        await page.GetByLabel("Switch light and dark theme").ClickAsync();
        await Expect(page.Locator("body")).ToHaveCSSAsync("background-color", new Regex(@"rgb\([1-7]?\d, [1-7]?\d, [1-7]?\d\)"));
        await page.Locator("[data-chart=countries]").ScrollIntoViewIfNeededAsync();
        await AppFixture.ScreenshotAsync(page, "dashboard-dark-screen.png", fullPage: false);
        await page.Locator("[data-chart=map]").ScreenshotAsync(new() { Path = Path.Combine(AppFixture.RepoRoot, "artifacts", "screenshots", "map-dark-phone.png") });
    }
}
