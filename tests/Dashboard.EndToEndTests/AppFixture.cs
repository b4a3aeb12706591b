using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Dashboard.EndToEndTests;

/// <summary>
/// The real app on a free loopback port over a fresh SQLite file, and one headless Chromium to drive it.
/// Started once and shared by every test in <see cref="AppCollection"/>.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    /// <summary>Launch flags for Debian's Chromium running as root in a container without a GPU or network.</summary>
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly string _tempFolder = Path.Combine(Path.GetTempPath(), "dashboard-e2e-" + Guid.NewGuid().ToString("N"));
    private WebApplicationFactory<Program>? _factory;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>The folder holding Dashboard.sln.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Where the app listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A folder only this run writes to; tests put their generated upload files here.</summary>
    public string TempFolder => _tempFolder;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the fixture has not started");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_tempFolder);
        var database = Path.Combine(_tempFolder, "dashboard.db");
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Dashboard", "Data Source=" + database);
            // Each test uploads exactly what it checks; the sample import would add articles nobody asked for.
            builder.UseSetting("Dashboard:ImportSample", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.ConfigureLogging(logging => logging.AddProvider(new ServerLog(Path.Combine(RepoRoot, "artifacts", "server-log.txt"))));
        });
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("the test server reports no listening address");
        BaseAddress = new Uri(addresses.Addresses.First().TrimEnd('/') + "/");

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
        // The app's first page render compiles Razor components and loads gazetteers: allow for a cold start.
        Assertions.SetDefaultExpectTimeout(30_000);
    }

    /// <summary>A page in its own browser context (own cookies, own Blazor circuit) with relative URLs against the app; a laptop's viewport unless told.</summary>
    public async Task<IPage> NewPageAsync(ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1400, Height = 1000 },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>An HTTP client for the app's own server, for requests that need no browser.</summary>
    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress };

    /// <summary>Writes a file into this run's temp folder and returns its full path.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_tempFolder, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes a plain-text article (the upload format: a date header, then paragraphs) under a unique file name.</summary>
    public string WriteArticle(string date, string text) =>
        WriteFile($"article-{Guid.NewGuid():N}.txt", $"date {date}\n{text}\n");

    /// <summary>Writes a binary file into this run's temp folder and returns its full path.</summary>
    public string WriteFile(string name, byte[] content)
    {
        var path = Path.Combine(_tempFolder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>
    /// The team's shared folder (seed articles): <c>DASHBOARD_SHARED</c> when set, otherwise the first
    /// <c>shared</c> folder with a <c>seeds</c> subfolder beside the checkout or one of its ancestors.
    /// </summary>
    public static string SharedFolder()
    {
        if (Environment.GetEnvironmentVariable("DASHBOARD_SHARED") is { Length: > 0 } configured)
        {
            return configured;
        }
        for (var dir = new DirectoryInfo(RepoRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "seeds")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"no shared/seeds folder beside {RepoRoot} or its ancestors; set DASHBOARD_SHARED");
    }

    /// <summary>Saves a screenshot (the full page unless told) as <c>artifacts/screenshots/{name}</c> at the repository root.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        var folder = Path.Combine(RepoRoot, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = fullPage });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        // Pooled connections keep the database file open, which would stop the folder from being deleted.
        SqliteConnection.ClearAllPools();
        Directory.Delete(_tempFolder, recursive: true);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no Dashboard.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>Every browser test shares one app and one browser; xunit runs the tests in a collection one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}
