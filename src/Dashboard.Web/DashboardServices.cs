using Dashboard.Web.Access;
using Dashboard.Web.Api;
using Dashboard.Web.Curation;
using Dashboard.Web.Data;
using Dashboard.Web.Extraction;
using Dashboard.Web.Feeds;
using Dashboard.Web.Ingestion;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;

namespace Dashboard.Web;

/// <summary>Every service the dashboard and its subcommands use, registered in one place.</summary>
public static class DashboardServices
{
    /// <summary>
    /// The host's command-line arguments, with settings read once at start instead of reloaded when a settings file
    /// changes (a later <c>--hostBuilder:reloadConfigOnChange=true</c> still turns reloading on). Reloading watches the
    /// whole content root with its subfolders, and the default store lives there (<c>data/dashboard.db</c>): every
    /// write to the store and its log woke the watcher. A 20,000-article import into a 1.4 million-article store took
    /// 35 to 39 s with it and 31 to 32 s without (tools/measure-import-memory.sh). Edited settings apply after a restart.
    /// </summary>
    public static string[] ReadSettingsOnce(string[] args) => ["--hostBuilder:reloadConfigOnChange=false", .. args];

    /// <summary>The store, extraction and ingestion: what the web app and the command line share.</summary>
    public static IHostApplicationBuilder AddDashboardCore(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        // Store: SQLite by default, one DbContext per operation (Blazor Server circuits are long-lived).
        SqliteSetup.UseMultiThreadMode();
        var connectionString = SqliteSetup.ResolveConnectionString(
            builder.Configuration.GetConnectionString("Dashboard"), builder.Environment.ContentRootPath);
        services.AddDbContextFactory<DashboardDb>(options => options.UseDashboardSqlite(connectionString));
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<Statements>();
        services.AddSingleton(TimeProvider.System);

        // Extraction: gazetteers and rules are loaded once and shared.
        services.AddSingleton(provider => new ArticleExtractor
        {
            KeepIncidentalCountries = provider.GetRequiredService<IConfiguration>().GetValue<bool>("Extraction:KeepIncidentalCountries"),
        });

        // Curation: users' merges and aliases, applied on top of extraction; re-extraction of stored articles.
        services.AddSingleton<CurationRules>();
        services.AddSingleton<CuratedExtractor>();
        services.AddSingleton<EntityCuration>();
        services.AddSingleton<ArticleRemoval>();
        services.AddSingleton<Reextraction>();

        // Monitoring: named dashboard views (alerts on them will live here too).
        services.AddSingleton<Dashboard.Web.Monitoring.SavedViews>();
        services.AddSingleton<Dashboard.Web.Monitoring.Annotations>();

        // Ingestion: durable queue, the pipeline, and the notifier open dashboards listen to.
        Cores.KeepThreadsReady();
        services.AddSingleton(UploadSpool.FromConfiguration(builder.Configuration, builder.Environment.ContentRootPath, connectionString));
        services.AddSingleton<WriteTurns>();
        services.AddSingleton<IngestQueue>();
        services.AddSingleton<ArticleIngestor>();
        services.AddSingleton<ArticleNotifier>();
        services.AddSingleton<DatabaseInitializer>();

        // Feeds: subscriptions and their poller, and links sent in; one HttpClient setup for feeds and article pages.
        services.AddHttpClient(FeedPoller.HttpClientName, client =>
        {
            client.DefaultRequestHeaders.UserAgent.ParseAdd(builder.Configuration["Dashboard:Feeds:UserAgent"] is { Length: > 0 } agent ? agent : FeedPoller.DefaultUserAgent);
            // The poller times each fetch itself (headers and body together).
            client.Timeout = Timeout.InfiniteTimeSpan;
        }).ConfigurePrimaryHttpMessageHandler(provider =>
            WebFetch.Handler(provider.GetRequiredService<IConfiguration>().GetValue("Dashboard:Fetch:AllowPrivateNetworks", true)));
        services.AddSingleton<FeedPoller>();
        services.AddSingleton<ArticleLinks>();
        services.AddSingleton<LinkFetcher>();
        services.AddSingleton<FullTextFetch>();
        services.AddSingleton<FeedSubscriptions>();
        return builder;
    }

    /// <summary>The web app on top of the core: UI, API, background ingestion.</summary>
    public static WebApplicationBuilder AddDashboardWeb(this WebApplicationBuilder builder)
    {
        builder.AddDashboardCore();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddDashboardAuthorization();
        builder.Services.AddHostedService<StartupWork>();
        builder.Services.AddHostedService<IngestionWorker>();
        builder.Services.AddHostedService(services => services.GetRequiredService<FeedPoller>());
        builder.Services.AddHostedService(services => services.GetRequiredService<LinkFetcher>());
        builder.Services.AddHostedService<InboxWatcher>();
        return builder;
    }
}
