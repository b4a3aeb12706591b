using System.Text.RegularExpressions;

namespace Dashboard.EndToEndTests;

/// <summary>The static files the pages depend on are served by the real server, fingerprinted where the page links them.</summary>
[Collection(AppCollection.Name)]
public sealed partial class StaticAssetTests(AppFixture app)
{
    [Fact]
    public async Task Fingerprinted_stylesheet_linked_from_the_page_is_the_repository_file()
    {
        using var http = app.CreateHttpClient();
        var html = await http.GetStringAsync("/");

        var link = FingerprintedAppCss().Match(html);
        Assert.True(link.Success, "the page links no fingerprinted css/app.<hash>.css");
        var served = await http.GetByteArrayAsync(link.Groups["url"].Value);

        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(AppFixture.RepoRoot, "wwwroot", "css", "app.css")), served);
    }

    [Fact]
    public async Task ApexCharts_module_restored_from_npm_is_served()
    {
        using var http = app.CreateHttpClient();

        using var response = await http.GetAsync("lib/apexcharts/apexcharts.esm.js");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ApexCharts", await response.Content.ReadAsStringAsync());
    }

    // @Assets["css/app.css"] renders as css/app.<fingerprint>.css; the unfingerprinted name would not prove MapStaticAssets ran.
    [GeneratedRegex(@"href=""(?<url>/?css/app\.[a-z0-9]+\.css)""")]
    private static partial Regex FingerprintedAppCss();
}
