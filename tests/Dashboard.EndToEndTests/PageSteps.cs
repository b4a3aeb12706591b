using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.EndToEndTests;

/// <summary>The DOM contract the pages promise the browser tests, in one place: markers, rows, charts.</summary>
public static class PageSteps
{
    /// <summary>Opens a page and waits until its Blazor circuit is live; clicks before that are lost.</summary>
    public static async Task OpenAsync(this IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.WaitUntilInteractiveAsync();
    }

    public static async Task WaitUntilInteractiveAsync(this IPage page) =>
        await Expect(page.Locator("[data-interactive=true]")).ToBeAttachedAsync();

    /// <summary>Opens the Upload page and hands the files to its file input, as a reader picking them would.</summary>
    public static async Task UploadAsync(this IPage page, params string[] paths)
    {
        await page.OpenAsync("upload");
        await page.Locator("input[type=file]").SetInputFilesAsync(paths);
    }

    /// <summary>Every row the Upload page shows for a file name (an upload repeated shows another row).</summary>
    public static ILocator UploadRows(this IPage page, string fileName) =>
        page.Locator($"[data-upload-file=\"{fileName}\"]");

    /// <summary>Uploads generated articles and waits until each is stored: the setup of tests that need their own data.</summary>
    public static async Task UploadStoredAsync(this IPage page, params string[] paths)
    {
        await page.UploadAsync(paths);
        foreach (var path in paths)
        {
            await Expect(page.UploadRows(Path.GetFileName(path))).ToHaveAttributeAsync("data-status", "stored");
        }
    }

    /// <summary>The timeline row of the article whose title contains the text.</summary>
    public static ILocator TimelineRow(this IPage page, string titleText) =>
        page.Locator("[data-article-id]").Filter(new LocatorFilterOptions { HasText = titleText });

    /// <summary>A chart container once ApexCharts has drawn it.</summary>
    public static async Task<ILocator> DrawnChartAsync(this IPage page, string kind)
    {
        var chart = page.Locator($"[data-chart={kind}]");
        await Expect(chart).ToHaveAttributeAsync("data-rendered", "true");
        return chart;
    }

    /// <summary>The chart's numbers as the page also renders them: an HTML table, one row per category.</summary>
    public static ILocator DataTable(this ILocator chart) => chart.Locator(".chart-data");

    /// <summary>Waits until the dashboard shows the numbers of <paramref name="url"/> (its data-shown-filter) and no load is running.</summary>
    public static async Task WaitForViewAsync(this IPage page, string url)
    {
        await Expect(page.Locator("[data-shown-filter]")).ToHaveAttributeAsync("data-shown-filter", url);
        await Expect(page.Locator("[data-shown-filter]")).ToHaveAttributeAsync("data-loading", "false");
    }

    /// <summary>
    /// Clicks the bar for the category named <paramref name="category"/>, once the chart has drawn exactly the rows its
    /// data table lists (so the bars clicked are the final ones). The click lands near the bar's left edge, never on
    /// the value label a horizontal bar carries in its middle.
    /// </summary>
    public static async Task ClickBarAsync(this IPage page, string kind, string category)
    {
        var chart = await page.DrawnChartAsync(kind);
        var rows = await chart.DataTable().Locator("tbody tr").CountAsync();
        await Expect(chart).ToHaveAttributeAsync("data-points", rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var index = await chart.DataTable().Locator("tbody tr").Filter(new() { HasText = category }).GetAttributeAsync("data-index");
        // ApexCharts numbers each bar by its category index in the j attribute; the table row carries the same index.
        var bar = chart.Locator($"path.apexcharts-bar-area[j='{index}']");
        var box = await bar.BoundingBoxAsync() ?? throw new InvalidOperationException($"bar {category} has no box");
        await bar.ClickAsync(new() { Position = new() { X = Math.Min(4, box.Width / 2), Y = box.Height / 2 } });
    }
}
