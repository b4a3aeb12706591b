using Bunit;
using Dashboard.Web.Access;
using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Dashboard.Tests.Components;

/// <summary>
/// A bUnit context over a real SQLite file with the services the pages use. MudBlazor's services are only
/// IAsyncDisposable, hence IAsyncLifetime: xunit awaits DisposeAsync instead of calling Dispose.
/// </summary>
public abstract class DashboardTestContext : BunitContext, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dashboard-components-").FullName;

    protected DashboardTestContext()
    {
        // The pages query a real SQLite store and render when the answers arrive: bUnit's one-second default is too
        // short on a loaded 2-core machine (a wait only takes as long as the thing it waits for).
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        JSInterop.Mode = JSRuntimeMode.Loose;
        ChartModule = JSInterop.SetupModule("./js/apexchart.js");
        var connectionString = "Data Source=" + Path.Combine(_folder, "dashboard.db");
        Services.AddLogging();
        Services.AddMudServices();
        Services.AddDbContextFactory<DashboardDb>(o => o.UseDashboardSqlite(connectionString));
        Services.AddSingleton<DashboardQueries>();
        Services.AddSingleton<Statements>();
        Services.AddSingleton<ArticleNotifier>();
        Services.AddSingleton(new UploadSpool(Path.Combine(_folder, "spool")));
        Services.AddSingleton<WriteTurns>();
        Services.AddSingleton<IngestQueue>();
        Services.AddHttpClient();
        Services.AddSingleton<Dashboard.Web.Feeds.ArticleLinks>();
        Services.AddSingleton<Dashboard.Web.Feeds.LinkFetcher>();
        Services.AddSingleton<Dashboard.Web.Feeds.FullTextFetch>();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        Services.AddSingleton<Dashboard.Web.Extraction.ArticleExtractor>();
        Services.AddSingleton<Dashboard.Web.Curation.CurationRules>();
        Services.AddSingleton<Dashboard.Web.Curation.CuratedExtractor>();
        Services.AddSingleton<Dashboard.Web.Curation.EntityCuration>();
        Services.AddSingleton<Dashboard.Web.Curation.ArticleRemoval>();
        Services.AddSingleton<Dashboard.Web.Curation.Reextraction>();
        Services.AddSingleton<Dashboard.Web.Monitoring.SavedViews>();
        Services.AddSingleton<Dashboard.Web.Monitoring.Annotations>();
        // The app's own policies, asked about an anonymous visitor as in a deployment without accounts; a test of
        // what a person without a permission sees replaces both with bUnit's (AddAuthorization), before it renders.
        Services.AddDashboardAuthorization();
        // bUnit puts a placeholder in place of the authorisation service, which AddAuthorization's TryAdd would keep.
        Services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        Services.AddSingleton<AuthenticationStateProvider, Dashboard.Tests.Access.FixedVisitor>();
        using var db = new DashboardDb(new DbContextOptionsBuilder<DashboardDb>().UseDashboardSqlite(connectionString).Options);
        db.Database.Migrate();
    }

    /// <summary>The chart component's JS module; its invocations show what each chart was asked to draw.</summary>
    protected BunitJSModuleInterop ChartModule { get; }

    protected NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    /// <summary>Stores an article and its mentions directly, as the ingestion service would after extraction.</summary>
    protected async Task<long> AddArticleAsync(string title, DateOnly date, string? source, params (EntityKind Kind, string Key, string Name, int Count)[] mentions)
    {
        var factory = Services.GetRequiredService<IDbContextFactory<DashboardDb>>();
        await using var db = await factory.CreateDbContextAsync();
        var article = new Article
        {
            Title = title,
            Text = $"{title}. " + string.Join(" and ", mentions.Select(m => m.Name)) + " were mentioned.",
            PublishedDate = date,
            Source = source,
            ContentHash = Guid.NewGuid().ToString("N"),
            IngestedAt = DateTime.UtcNow,
        };
        foreach (var (kind, key, name, count) in mentions)
        {
            var entity = await db.Entities.FirstOrDefaultAsync(e => e.Kind == kind && e.Key == key)
                ?? db.Entities.Local.FirstOrDefault(e => e.Kind == kind && e.Key == key)
                ?? db.Entities.Add(new Entity { Kind = kind, Key = key, Name = name }).Entity;
            var start = article.Text.IndexOf(name, StringComparison.Ordinal);
            article.Mentions.Add(new Mention
            {
                Entity = entity,
                PublishedDate = date,
                Count = count,
                IsFocus = kind == EntityKind.Topic,
                Score = kind == EntityKind.Topic ? 0.8 : 0,
                Spans = start < 0 ? [] : [new MentionSpan(start, start + name.Length, "text", "gazetteer")],
            });
        }
        db.Articles.Add(article);
        await db.SaveChangesAsync();
        return article.Id;
    }

    /// <summary>Gives a stored article a byline, as a saved page or a feed item with an author has.</summary>
    protected async Task SetAuthorAsync(long articleId, string author)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        await db.Articles.Where(a => a.Id == articleId).ExecuteUpdateAsync(u => u.SetProperty(a => a.Author, author));
        // As the app does when a byline is filled in later (FullTextFetch): the co-mention index holds bylines.
        await DailyCounts.MarkEditedAsync(db, CancellationToken.None);
    }

    /// <summary>Queues a file and marks it failed with <paramref name="reason"/>, as the ingestion service leaves a file it cannot read.</summary>
    protected async Task<Upload> AddFailedUploadAsync(string fileName, byte[] content, string reason)
    {
        var upload = await Services.GetRequiredService<IngestQueue>().EnqueueAsync(fileName, content);
        await using var db = await Services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        var row = await db.Uploads.FindAsync(upload.Id);
        row!.Status = UploadStatus.Failed;
        row.Reason = reason;
        await db.SaveChangesAsync();
        return row;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A connection the pool still holds keeps the file; the OS temp cleaner gets it later.
        }
    }
}
