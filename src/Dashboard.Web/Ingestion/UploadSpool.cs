using System.Text.Json;

namespace Dashboard.Web.Ingestion;

/// <summary>
/// Where large uploads wait on disk instead of in the queue table: a 1 GB archive must never be held in
/// memory (nor fit a SQLite blob, whose limit is 1e9 bytes). A spooled upload is a queue row without
/// content plus the file <c>{id}.upload</c> in the spool folder; the file is moved to that name inside the
/// transaction that creates the row, so the worker never sees a row without its file. A crash before the
/// commit leaves a file no row owns, which <see cref="RemoveOrphansAsync"/> deletes at the next start.
/// </summary>
/// <remarks>
/// While a spooled upload is processed, <c>{id}.progress</c> records how far it got (written after each chunk
/// commits), so a restart resumes there instead of re-reading a gigabyte; the store's content hashes make a
/// replayed chunk harmless anyway.
/// </remarks>
public sealed class UploadSpool
{
    /// <summary>Uploads up to this size go into the queue table as before; larger ones are spooled.</summary>
    public const long InlineLimit = 8L * 1024 * 1024;

    /// <param name="folder">From <c>Dashboard:SpoolFolder</c>; by default <c>spool/</c> beside the database file.</param>
    public UploadSpool(string folder) => Folder = folder;

    /// <summary>The configured folder, or <c>spool/</c> beside the database file (a temporary folder for an in-memory store).</summary>
    public static UploadSpool FromConfiguration(IConfiguration configuration, string contentRoot, string connectionString)
    {
        if (configuration["Dashboard:SpoolFolder"] is { Length: > 0 } configured)
        {
            return new UploadSpool(Path.GetFullPath(configured, contentRoot));
        }
        var source = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        return new UploadSpool(string.IsNullOrEmpty(source) || source == ":memory:" || source.StartsWith("file:", StringComparison.Ordinal)
            ? Path.Combine(Path.GetTempPath(), "dashboard-spool")
            : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source, contentRoot))!, "spool"));
    }

    public string Folder { get; }

    public string PathOf(long uploadId) => Path.Combine(Folder, $"{uploadId}.upload");

    private string ProgressPathOf(long uploadId) => Path.Combine(Folder, $"{uploadId}.progress");

    public bool Has(long uploadId) => File.Exists(PathOf(uploadId));

    public long SizeOf(long uploadId) => Has(uploadId) ? new FileInfo(PathOf(uploadId)).Length : 0;

    /// <summary>Copies the stream to a new file in the spool folder, flushed to disk; returns its path.</summary>
    public async Task<string> ReceiveAsync(Stream content, long maxBytes, string fileName, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"incoming-{Guid.NewGuid():N}.part");
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 16];
                long total = 0;
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        throw new UploadTooLargeException($"{fileName}: more than the upload limit of {maxBytes:N0} bytes");
                    }
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
                // Acknowledged means on disk: the bytes are flushed before the queue row commits.
                file.Flush(flushToDisk: true);
            }
            return path;
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Gives a received file its upload's name; called inside the transaction that creates the row.</summary>
    public void Claim(string receivedPath, long uploadId) => File.Move(receivedPath, PathOf(uploadId), overwrite: true);

    /// <summary>Removes a processed upload's file and progress record (a failed upload keeps its file for a retry).</summary>
    public void Release(long uploadId)
    {
        if (!Directory.Exists(Folder))
        {
            return;
        }
        File.Delete(PathOf(uploadId));
        File.Delete(ProgressPathOf(uploadId));
        File.Delete(LockPathOf(uploadId));
    }

    private string LockPathOf(long uploadId) => Path.Combine(Folder, $"{uploadId}.lock");

    /// <summary>
    /// Claims a spooled upload for this worker while it is processed; null when another worker (in this or
    /// another process on this machine) holds it. The claim ends with the process, so a crash frees it.
    /// </summary>
    public IDisposable? TryLock(long uploadId)
    {
        Directory.CreateDirectory(Folder);
        try
        {
            return new FileStream(LockPathOf(uploadId), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>How far processing of a spooled upload got before a stop; a fresh record when it has not started.</summary>
    public SpoolProgress ReadProgress(long uploadId)
    {
        var path = ProgressPathOf(uploadId);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<SpoolProgress>(File.ReadAllText(path)) ?? new SpoolProgress() : new SpoolProgress();
        }
        catch (JsonException)
        {
            // A record cut short by a crash: start over; content hashes keep the replay from storing twice.
            return new SpoolProgress();
        }
    }

    /// <summary>Written after each chunk commits; replaced atomically so a crash never leaves half a record.</summary>
    public void WriteProgress(long uploadId, SpoolProgress progress)
    {
        var path = ProgressPathOf(uploadId);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(progress));
        File.Move(temporary, path, overwrite: true);
    }

    public void ForgetProgress(long uploadId)
    {
        if (Directory.Exists(Folder))
        {
            File.Delete(ProgressPathOf(uploadId));
        }
    }

    /// <summary>
    /// Writes the bytes of files queued together one after another into a new file of the spool folder, flushed to disk
    /// (acknowledged means on disk, as for a spooled upload); returns its path and where each file starts. The caller
    /// names it after its <see cref="Model.SpoolSegment"/> row (<see cref="ClaimSegment"/>) inside the transaction that
    /// queues the files.
    /// </summary>
    public async Task<(string Path, long[] Offsets)> WriteSegmentAsync(IReadOnlyList<(string FileName, byte[] Content)> files, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"incoming-{Guid.NewGuid():N}.part");
        var offsets = new long[files.Count];
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                for (var i = 0; i < files.Count; i++)
                {
                    offsets[i] = file.Position;
                    await file.WriteAsync(files[i].Content, cancellationToken);
                }
                file.Flush(flushToDisk: true);
            }
            return (path, offsets);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    public string SegmentPathOf(long segmentId) => Path.Combine(Folder, $"{segmentId}.segment");

    /// <summary>Gives a written segment its row's name; called inside the transaction that queues its files.</summary>
    public void ClaimSegment(string writtenPath, long segmentId) => File.Move(writtenPath, SegmentPathOf(segmentId), overwrite: true);

    /// <summary>Deletes a segment none of whose files is queued any more (its row was deleted in the same write).</summary>
    public void ReleaseSegment(long segmentId)
    {
        if (Directory.Exists(Folder))
        {
            File.Delete(SegmentPathOf(segmentId));
        }
    }

    /// <summary>
    /// Reads queued files' bytes from their segments; each segment is opened once for a batch. Thread-safe, so a batch's
    /// files are read where they are parsed, on every core.
    /// </summary>
    public sealed class SegmentReader(UploadSpool spool) : IDisposable
    {
        private readonly Dictionary<long, Microsoft.Win32.SafeHandles.SafeFileHandle> _open = [];

        /// <exception cref="IOException">The segment is missing or shorter than the upload says, with the path in the message.</exception>
        public byte[] Read(long segmentId, long offset, int length)
        {
            Microsoft.Win32.SafeHandles.SafeFileHandle? handle;
            lock (_open)
            {
                if (!_open.TryGetValue(segmentId, out handle))
                {
                    var path = spool.SegmentPathOf(segmentId);
                    try
                    {
                        handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    }
                    catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
                    {
                        throw new IOException($"its bytes are missing from the spool ({path} is gone)", ex);
                    }
                    _open[segmentId] = handle;
                }
            }
            var bytes = new byte[length];
            var read = 0;
            while (read < length)
            {
                var n = RandomAccess.Read(handle, bytes.AsSpan(read), offset + read);
                if (n == 0)
                {
                    throw new IOException($"its bytes are cut short in the spool ({spool.SegmentPathOf(segmentId)} ends at byte {offset + read:N0} of {offset + length:N0})");
                }
                read += n;
            }
            return bytes;
        }

        public void Dispose()
        {
            lock (_open)
            {
                foreach (var handle in _open.Values)
                {
                    handle.Dispose();
                }
                _open.Clear();
            }
        }
    }

    /// <summary>
    /// Deletes segment files without a row (a crash between naming the segment and committing its files, or between
    /// deleting its row and its file). Runs in the write transaction of <paramref name="owned"/>'s caller, so no
    /// segment is named meanwhile.
    /// </summary>
    public void RemoveOrphanSegments(ISet<long> owned)
    {
        if (!Directory.Exists(Folder))
        {
            return;
        }
        foreach (var path in Directory.EnumerateFiles(Folder, "*.segment"))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), out var id) && !owned.Contains(id))
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>Deletes files no queue row owns (a crash between receiving and committing), and half-received files.</summary>
    public async Task RemoveOrphansAsync(Func<IReadOnlyCollection<long>, Task<ISet<long>>> owned, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Folder))
        {
            return;
        }
        foreach (var part in Directory.EnumerateFiles(Folder, "incoming-*.part"))
        {
            File.Delete(part);
        }
        var ids = Directory.EnumerateFiles(Folder, "*.upload")
            .Select(f => long.TryParse(Path.GetFileNameWithoutExtension(f), out var id) ? id : -1)
            .Where(id => id > 0).ToList();
        if (ids.Count == 0)
        {
            return;
        }
        var keep = await owned(ids);
        foreach (var id in ids.Where(id => !keep.Contains(id)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            Release(id);
        }
    }
}

/// <summary>What a spooled upload has done so far: the position of the next item, and the tallies for its final reason.</summary>
public sealed class SpoolProgress
{
    /// <summary>Index of the archive entry (0 for a single file) and of the item inside it to read next.</summary>
    public int Entry { get; set; }
    public int Item { get; set; }
    public int Stored { get; set; }
    public int Repeats { get; set; }
    public long? FirstArticleId { get; set; }
    public string? FirstRepeat { get; set; }
    public long? FirstRepeatId { get; set; }
    public int ProblemCount { get; set; }
    public List<string> Problems { get; set; } = [];

    /// <summary>Rows that only link to their page, queued for the link fetcher; how many of them were stored already.</summary>
    public int Pages { get; set; }
    public int PagesStored { get; set; }
}

/// <summary>A streamed upload passed the configured limit while it was being received.</summary>
public sealed class UploadTooLargeException(string message) : Exception(message);
