using Dashboard.Web.Data;

namespace Dashboard.Web.Benchmarks;

/// <summary>The app's core services over a chosen SQLite file, quiet, for benchmark runs.</summary>
public sealed class BenchHost : IDisposable
{
    private readonly IHost _host;

    private BenchHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<BenchHost> StartAsync(string databasePath)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Benchmark", Args = DashboardServices.ReadSettingsOnce([]) });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Dashboard"] = $"Data Source={databasePath}",
            ["Dashboard:ImportSample"] = "false",
        });
        builder.Logging.ClearProviders();
        builder.AddDashboardCore();
        var host = builder.Build();
        await host.Services.GetRequiredService<DatabaseInitializer>().MigrateAsync();
        return new BenchHost(host);
    }

    public void Dispose()
    {
        _host.Dispose();
        // The benchmarks delete their stores next: the last batch's checkpoint must let go of the files first.
        SqliteSetup.WaitForBackgroundCheckpoint();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>What the figures were measured on, printed with every result.</summary>
    public static string Machine =>
        $"{Environment.MachineName}: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
}
