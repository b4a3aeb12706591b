using Dashboard.Web.Feeds;
using Dashboard.Web.Ingestion.Parsers;
using Dashboard.Web.Model;
using Microsoft.Data.Sqlite;

namespace Dashboard.Web.Ingestion;

/// <summary>
/// The watched inbox folder: a file dropped (or copied, or synced) into it, or into a folder inside it, is queued
/// like an upload and then moved to the same place under <c>processed/</c>; a file that cannot be read is moved
/// to <c>failed/</c> with a <c>.reason.txt</c> beside it. The queue commits the bytes before the file moves, so a crash in between only means the file is
/// queued again on restart, and the pipeline reports it as a duplicate: nothing accepted is lost.
/// </summary>
/// <remarks>
/// A file is taken once two looks at least <see cref="SettleTime"/> apart see the same size and write time and
/// it can be opened exclusively: a file still being copied in is left for the next look. The
/// FileSystemWatcher only makes that look come sooner; a periodic rescan catches what it misses (network
/// shares, an exhausted inotify limit, files present at start, files written into subfolders later: the watcher
/// sees the top level only, so processed/ and failed/ never cost a watch per folder).
/// </remarks>
public sealed class InboxWatcher(IngestQueue queue, ArticleLinks links, LinkFetcher fetcher, IConfiguration configuration, IHostEnvironment environment, TimeProvider clock, ILogger<InboxWatcher> logger) : BackgroundService
{
    public const string ProcessedFolder = "processed";
    public const string FailedFolder = "failed";

    /// <summary>How long a file's size and write time must hold still before it is taken as complete.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(1);

    /// <summary>Files queued in one transaction at most, so a 10,000-file drop commits in steps.</summary>
    private const int MaxFilesPerBatch = 200;

    private const long MaxBatchBytes = 32L * 1024 * 1024;

    private readonly Dictionary<string, (long Length, DateTime Written)> _seen = new(StringComparer.Ordinal);

    /// <summary>Files queued that could not be moved away: not queued again on every look.</summary>
    private readonly HashSet<string> _stuck = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The inbox, or null when <c>Dashboard:InboxFolder</c> is set to an empty string.</summary>
    /// <remarks>
    /// Unset, the inbox is the <c>inbox</c> folder beside the SQLite database: <c>data/inbox</c> under the content
    /// root with the default connection string. Tying it to the database means an app started over another
    /// database (a test host, a second instance) never takes files meant for the real one.
    /// </remarks>
    public static string? ResolveFolder(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration["Dashboard:InboxFolder"];
        if (configured is not null)
        {
            return configured.Trim().Length == 0 ? null : Path.GetFullPath(configured.Trim(), contentRoot);
        }
        var connection = new SqliteConnectionStringBuilder(configuration.GetConnectionString("Dashboard") is { Length: > 0 } c ? c : "Data Source=data/dashboard.db");
        if (connection.DataSource is { Length: > 0 } file && file != ":memory:" && connection.Mode != SqliteOpenMode.Memory)
        {
            return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file, contentRoot))!, "inbox");
        }
        return Path.GetFullPath("data/inbox", contentRoot);
    }

    private TimeSpan RescanInterval => TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Dashboard:InboxRescanSeconds", 30.0)));

    private long MaxBytes => UploadLimits.MaxUploadBytes(configuration);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var folder = ResolveFolder(configuration, environment.ContentRootPath);
        if (folder is null)
        {
            logger.LogInformation("The inbox folder is switched off (Dashboard:InboxFolder is empty)");
            return;
        }
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, ProcessedFolder));
            Directory.CreateDirectory(Path.Combine(folder, FailedFolder));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogError(ex, "The inbox folder {Folder} cannot be created; files dropped there will not be read", folder);
            return;
        }
        using var watcher = Watch(folder);
        logger.LogInformation("Watching the inbox folder {Folder}", folder);
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before the scan: a file arriving during it wakes the wait below.
            var changed = Volatile.Read(ref _changed).Task;
            var waiting = false;
            try
            {
                waiting = await ScanAsync(folder, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The store may be busy or the disk full: log, and try again at the next look.
                logger.LogError(ex, "Reading the inbox folder {Folder} failed; trying again shortly", folder);
            }
            using var sleep = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(waiting ? SettleTime : RescanInterval, clock, sleep.Token);
            // A file still settling is looked at again after the settle time, whatever the watcher says meanwhile.
            await (waiting ? delay : Task.WhenAny(changed, delay)).ContinueWith(_ => { }, TaskScheduler.Default);
            await sleep.CancelAsync();
        }
    }

    private FileSystemWatcher? Watch(string folder)
    {
        try
        {
            var watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = false,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.LastWrite,
            };
            watcher.Created += (_, _) => Changed();
            watcher.Changed += (_, _) => Changed();
            watcher.Renamed += (_, _) => Changed();
            watcher.Error += (_, e) => logger.LogWarning(e.GetException(), "The inbox watcher lost events; the periodic rescan will catch up");
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            logger.LogWarning(ex, "Cannot watch {Folder} for new files; it is rescanned every {Seconds} s instead", folder, RescanInterval.TotalSeconds);
            return null;
        }
    }

    private void Changed() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>One look at the folder: queues and moves every complete file; true when some file is still settling.</summary>
    public async Task<bool> ScanAsync(string folder, CancellationToken cancellationToken = default)
    {
        var waiting = false;
        var present = new HashSet<string>(StringComparer.Ordinal);
        var batch = new List<(string Path, byte[] Content)>();
        long batchBytes = 0;
        foreach (var path in InboxFiles(folder))
        {
            var name = Path.GetFileName(path);
            // Hidden files and the partial files of browsers, rsync and editors are not news yet.
            if (name.StartsWith('.') || name.EndsWith(".part", StringComparison.OrdinalIgnoreCase)
                || name.EndsWith(".crdownload", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            present.Add(path);
            if (_stuck.Contains(path))
            {
                continue;
            }
            FileInfo info;
            try
            {
                info = new FileInfo(path);
                if (!info.Exists)
                {
                    continue;
                }
            }
            catch (IOException)
            {
                continue;
            }
            var look = (info.Length, info.LastWriteTimeUtc);
            if (!_seen.TryGetValue(path, out var previous) || previous != look)
            {
                _seen[path] = look;
                waiting = true;
                continue;
            }
            if (info.Length > MaxBytes)
            {
                Fail(folder, path, $"{name}: {info.Length:N0} bytes is over the upload limit of {MaxBytes:N0} bytes");
                continue;
            }
            if (info.Length > UploadSpool.InlineLimit)
            {
                if (await SpoolAsync(folder, path, cancellationToken))
                {
                    waiting = true;
                }
                continue;
            }
            var content = Read(folder, path, out var stillBusy);
            if (stillBusy)
            {
                waiting = true;
                continue;
            }
            if (content is null)
            {
                continue;
            }
            if (LinkFiles.TryRead(content, out var link))
            {
                await FetchLinkAsync(folder, path, link, cancellationToken);
                continue;
            }
            if (LinkFiles.TryReadList(content, out var list))
            {
                await QueueLinksAsync(folder, path, list, cancellationToken);
                continue;
            }
            batch.Add((path, content));
            batchBytes += content.Length;
            if (batch.Count >= MaxFilesPerBatch || batchBytes >= MaxBatchBytes)
            {
                await QueueAndMoveAsync(folder, batch, cancellationToken);
                batch.Clear();
                batchBytes = 0;
            }
        }
        await QueueAndMoveAsync(folder, batch, cancellationToken);
        foreach (var gone in _seen.Keys.Where(p => !present.Contains(p)).ToList())
        {
            _seen.Remove(gone);
        }
        _stuck.RemoveWhere(p => !present.Contains(p));
        return waiting;
    }

    /// <summary>
    /// The files dropped in, subfolders included (a folder dragged in whole is read whole), in a stable order. Not
    /// processed/ and failed/, which are never walked (they grow without end), and nothing in a hidden folder.
    /// </summary>
    private static IEnumerable<string> InboxFiles(string folder)
    {
        var nested = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
        var subfolders = Directory.EnumerateDirectories(folder)
            .Where(d => Path.GetFileName(d) is not (ProcessedFolder or FailedFolder) && !Path.GetFileName(d).StartsWith('.'))
            .SelectMany(d => Directory.EnumerateFiles(d, "*", nested))
            .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')));
        return Directory.EnumerateFiles(folder).Concat(subfolders).Order(StringComparer.Ordinal);
    }

    /// <summary>Where a taken file goes under processed/ or failed/: the same place in the tree as it had in the inbox.</summary>
    private static string Destination(string folder, string outcome, string path)
    {
        var target = Path.Combine(folder, outcome, Path.GetRelativePath(folder, path));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        return Unused(target);
    }

    /// <summary>The whole file, or null when it was moved to failed/; <paramref name="stillBusy"/> when another program still holds it.</summary>
    private byte[]? Read(string folder, string path, out bool stillBusy)
    {
        stillBusy = false;
        try
        {
            // Exclusive: a writer that still has the file open (and locks, as on Windows) makes this fail, and the file waits.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            var content = new byte[stream.Length];
            stream.ReadExactly(content);
            return content;
        }
        catch (UnauthorizedAccessException ex)
        {
            Fail(folder, path, $"{Path.GetFileName(path)}: the file cannot be read ({ex.Message})");
            return null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (IOException)
        {
            stillBusy = true;
            return null;
        }
    }

    /// <summary>
    /// A large file is copied to the spool (not read into memory), queued, then moved to processed/, like the
    /// others; true when another program still holds it and it waits for the next scan.
    /// </summary>
    private async Task<bool> SpoolAsync(string folder, string path, CancellationToken cancellationToken)
    {
        Upload upload;
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            upload = await queue.EnqueueStreamAsync(Path.GetFileName(path), stream, null, MaxBytes, cancellationToken);
        }
        catch (UploadTooLargeException ex)
        {
            Fail(folder, path, ex.Message);
            return false;
        }
        catch (UnauthorizedAccessException ex)
        {
            Fail(folder, path, $"{Path.GetFileName(path)}: the file cannot be read ({ex.Message})");
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            return true;
        }
        logger.LogInformation("Inbox: queued {File} as upload {Id} (spooled)", Path.GetFileName(path), upload.Id);
        MoveToProcessed(folder, path);
        return false;
    }

    private async Task QueueAndMoveAsync(string folder, List<(string Path, byte[] Content)> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        // Committed first, moved after: the order that makes a crash cost a duplicate at worst, never a lost file.
        var uploads = await queue.EnqueueManyAsync(batch.Select(b => (Path.GetFileName(b.Path), b.Content)).ToList(), cancellationToken);
        for (var i = 0; i < batch.Count; i++)
        {
            var path = batch[i].Path;
            logger.LogInformation("Inbox: queued {File} as upload {Id}", Path.GetFileName(path), uploads[i].Id);
            MoveToProcessed(folder, path);
        }
    }

    /// <summary>
    /// A link dragged into the inbox (a .url, .webloc or .desktop file): its page is fetched and queued, then the file
    /// moves to processed/, or to failed/ with the reason when the page cannot be had. Fetched before moved: a crash
    /// between the two fetches it again, and the copy is a duplicate.
    /// </summary>
    private async Task FetchLinkAsync(string folder, string path, Uri link, CancellationToken cancellationToken)
    {
        try
        {
            var upload = await links.SubmitAsync(link, cancellationToken);
            logger.LogInformation("Inbox: fetched {Link} from {File} as upload {Id}", link, Path.GetFileName(path), upload.Id);
            MoveToProcessed(folder, path);
        }
        catch (WebFetchException ex)
        {
            // A site down for a moment: the link is kept in the queue and tried again later, as a list's links are.
            if (await fetcher.RetryLaterAsync(link, ex, cancellationToken) is { } later)
            {
                logger.LogInformation("Inbox: {Link} from {File} could not be had yet; upload {Id} tries again later", link, Path.GetFileName(path), later.Id);
                MoveToProcessed(folder, path);
                return;
            }
            Fail(folder, path, $"{Path.GetFileName(path)}: {ex.Message}");
        }
    }

    /// <summary>
    /// A list of links (one address per line) put in the inbox: its addresses are queued for the link fetcher, which
    /// fetches their pages in the background, so a long list never holds up the scan; then the file moves to processed/.
    /// </summary>
    private async Task QueueLinksAsync(string folder, string path, List<Uri> list, CancellationToken cancellationToken)
    {
        if (list.Count > IngestQueue.MaxLinks)
        {
            Fail(folder, path, $"{Path.GetFileName(path)}: a list of {list.Count:N0} web addresses, more than the {IngestQueue.MaxLinks:N0} taken at once: split it");
            return;
        }
        var (uploads, _) = await queue.EnqueueLinkListAsync(list, cancellationToken);
        logger.LogInformation("Inbox: queued {Count} links from {File} for fetching", uploads.Count, Path.GetFileName(path));
        MoveToProcessed(folder, path);
    }

    /// <summary>Moves a queued file to processed/ (committed first, moved after: a crash costs a duplicate at worst, never a file).</summary>
    private void MoveToProcessed(string folder, string path)
    {
        _seen.Remove(path);
        try
        {
            File.Move(path, Destination(folder, ProcessedFolder, path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Queued already: it is not queued again while it stays, and the log says why it stays.
            _stuck.Add(path);
            logger.LogWarning(ex, "Inbox: {File} was queued but could not be moved to {Folder}/", path, ProcessedFolder);
        }
    }

    private void Fail(string folder, string path, string reason)
    {
        _seen.Remove(path);
        try
        {
            var target = Destination(folder, FailedFolder, path);
            // The reason first: whoever sees the file arrive in failed/ finds its reason already beside it.
            File.WriteAllText(target + ".reason.txt", reason + Environment.NewLine);
            File.Move(path, target);
            logger.LogWarning("Inbox: {File} moved to {Folder}/: {Reason}", Path.GetFileName(path), FailedFolder, reason);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogError(ex, "Inbox: {File} could not be read nor moved to {Folder}/ ({Reason})", path, FailedFolder, reason);
        }
    }

    /// <summary>The path, or "name (2).ext", "name (3).ext", ... when a file of that name is already there.</summary>
    public static string Unused(string path)
    {
        if (!File.Exists(path))
        {
            return path;
        }
        var folder = Path.GetDirectoryName(path)!;
        var stem = Path.GetFileNameWithoutExtension(path);
        var extension = Path.GetExtension(path);
        for (var n = 2; ; n++)
        {
            var candidate = Path.Combine(folder, $"{stem} ({n}){extension}");
            if (!File.Exists(candidate))
            {
                return candidate;
            }
        }
    }
}
