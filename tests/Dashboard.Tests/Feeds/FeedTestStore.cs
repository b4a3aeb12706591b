using Dashboard.Web.Data;
using Dashboard.Web.Feeds;
using Dashboard.Web.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Feeds;

/// <summary>The core services over a real SQLite file with a hand-moved clock and the feed settings a test needs.</summary>
public sealed class FeedTestStore : IAsyncDisposable
{
    private readonly TestStore _store = new();

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public IServiceProvider Services { get; private set; } = null!;

    public string Folder => _store.Folder;

    public FeedPoller Poller => Services.GetRequiredService<FeedPoller>();

    public FeedSubscriptions Subscriptions => Services.GetRequiredService<FeedSubscriptions>();

    public static async Task<FeedTestStore> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var store = new FeedTestStore();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dashboard:ImportSample"] = "false",
            ["ConnectionStrings:Dashboard"] = $"Data Source={store._store.DatabasePath}",
        }.Concat(settings ?? []).ToDictionary()).Build();
        store._configuration = configuration;
        await store.RestartAsync();
        return store;
    }

    private IConfiguration _configuration = null!;

    /// <summary>New services over the same file with the same settings and clock, as after a restart of the process.</summary>
    public async Task RestartAsync() =>
        Services = await _store.StartAsync(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton(_configuration);
        });

    /// <summary>Runs the ingestion pipeline until the queue is empty, as the background worker would.</summary>
    public async Task DrainQueueAsync()
    {
        var ingestor = Services.GetRequiredService<ArticleIngestor>();
        await ingestor.DrainAsync();
    }

    public async Task<DashboardDb> DbAsync() =>
        await Services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
