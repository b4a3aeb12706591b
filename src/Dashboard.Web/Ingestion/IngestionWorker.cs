namespace Dashboard.Web.Ingestion;

/// <summary>
/// The background ingestion service: drains the durable queue, one upload at a time. On start it first
/// finishes whatever was queued before a crash or a stop.
/// </summary>
public sealed class IngestionWorker(ArticleIngestor ingestor, IngestQueue queue, ILogger<IngestionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await queue.RemoveOrphanSpoolFilesAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Could not clear files left in the upload spool");
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ingestor.DrainAsync(stoppingToken);
                await queue.WaitForWorkAsync(TimeSpan.FromSeconds(5), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A store error (disk full, locked file) must not end the service: log, pause, go on.
                logger.LogError(ex, "Ingestion failed; retrying shortly");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
