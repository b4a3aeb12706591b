using Dashboard.Web;
using Dashboard.Web.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dashboard.Tests;

/// <summary>A real SQLite file in a temp folder with the app's core services over it, as the command line builds them.</summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];

    public TestStore()
    {
        Folder = Directory.CreateTempSubdirectory("dashboard-tests-").FullName;
        DatabasePath = Path.Combine(Folder, "dashboard.db");
    }

    public string Folder { get; }
    public string DatabasePath { get; }

    /// <summary>A fresh "process": new services over the same file, as after a restart.</summary>
    public async Task<IServiceProvider> StartAsync(Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Folder, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Dashboard"] = $"Data Source={DatabasePath}",
            ["Dashboard:ImportSample"] = "false",
        });
        builder.AddDashboardCore();
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        _hosts.Add(host);
        await host.Services.GetRequiredService<DatabaseInitializer>().MigrateAsync();
        return host.Services;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await Task.Yield();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a finished test's pool is left to the OS temp cleaner.
        }
    }
}

/// <summary>Finds the repository and the shared data beside it, wherever the tests run from.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Shared { get; } = FindShared();

    public static string SeedArticle => Path.Combine(Shared, "seeds", "000_c5daea6af1ae3222.txt");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Dashboard.sln not found above " + AppContext.BaseDirectory);
    }

    private static string FindShared()
    {
        if (Environment.GetEnvironmentVariable("DASHBOARD_SHARED") is { Length: > 0 } configured)
        {
            return configured;
        }
        for (var dir = new DirectoryInfo(RepositoryRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "seeds")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("../shared (with seeds/) not found beside the repository; set DASHBOARD_SHARED");
    }
}
