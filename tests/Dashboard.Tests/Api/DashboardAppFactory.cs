using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dashboard.Tests.Api;

/// <summary>The real app (API, ingestion worker, migrations) over a fresh SQLite file, in memory.</summary>
public sealed class DashboardAppFactory : WebApplicationFactory<Program>
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dashboard-api-").FullName;

    public string DatabasePath => Path.Combine(_folder, "dashboard.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Dashboard", $"Data Source={DatabasePath}");
        builder.UseSetting("Dashboard:ImportSample", "false");
        builder.UseEnvironment("Testing");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS temp cleaner if a handle is still closing.
        }
    }
}
