using Dashboard.Web.Curation;
using Dashboard.Web.Ingestion;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Data;

/// <summary>Applies migrations at start-up and, on a brand-new database, queues the sample article.</summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<DashboardDb> dbFactory,
    IngestQueue queue,
    CurationRules rules,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<DatabaseInitializer> logger)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
        SqliteSetup.EnableWriteAheadLog(db);
        await rules.ReloadAsync(cancellationToken);
    }

    /// <summary>
    /// A new user should see a working dashboard: when nothing was ever uploaded, queue the sample articles
    /// (<c>Dashboard:SampleArticles</c>, default the seed folder beside the checkout). <c>Dashboard:ImportSample=false</c> turns it off.
    /// </summary>
    public async Task ImportSampleAsync(CancellationToken cancellationToken = default)
    {
        if (!configuration.GetValue("Dashboard:ImportSample", true))
        {
            return;
        }
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Uploads.AnyAsync(cancellationToken))
            {
                return;
            }
        }
        var folder = configuration["Dashboard:SampleArticles"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, environment.ContentRootPath)
            : FindSeedFolder(environment.ContentRootPath);
        if (folder is null || !Directory.Exists(folder))
        {
            logger.LogInformation("No sample articles found to import (set Dashboard:SampleArticles)");
            return;
        }
        foreach (var file in Directory.EnumerateFiles(folder, "*.txt").Order(StringComparer.Ordinal))
        {
            await queue.EnqueueAsync(Path.GetFileName(file), await File.ReadAllBytesAsync(file, cancellationToken), cancellationToken);
            logger.LogInformation("Queued sample article {File}", file);
        }
    }

    private static string? FindSeedFolder(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "seeds");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}

/// <summary>Runs the database set-up before the web server and the ingestion worker start.</summary>
public sealed class StartupWork(DatabaseInitializer initializer, DashboardQueries queries) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await initializer.MigrateAsync(cancellationToken);
        await initializer.ImportSampleAsync(cancellationToken);
        // In the background: by the time a reader picks an entity, its counts are in memory (tens of seconds at a million articles).
        queries.StartLoadingIndex();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
