using System.Data.Common;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Dashboard.Web.Data;

/// <summary>
/// Inserts queued uploads, with their bytes in <see cref="UploadContent"/>, in one transaction: the acknowledgment
/// path of every upload (and of a bulk import's thousands of files), where EF's change tracker cost more than the
/// insert. Prepared statements bound by position (<see cref="SqliteStatement"/>); the SQL is portable. Ids come from
/// <see cref="SqliteStatement.RunInsert"/>, not RETURNING (100,000 uploads of 3 KB: 1.9 to 2.2 s with it, 1.5 to 1.6 s
/// without; Python, same schema).
/// </summary>
public static class QueueWriter
{
    /// <remarks>The commit does not checkpoint (<see cref="SqliteSetup.NoCheckpointInCommitAsync"/>): the caller checkpoints in the background once it lets go of the write turn.</remarks>
    /// <param name="segment">
    /// When the uploads' bytes were written to a spool segment (at <c>Offsets</c>, one per upload): a
    /// <see cref="SpoolSegment"/> row is added for them, and <c>Claim</c> names the segment's file after it before the
    /// commit, so no upload is ever visible without its bytes. Null to store the bytes in <see cref="UploadContent"/>.
    /// </param>
    public static async Task InsertAsync(DashboardDb db, IReadOnlyList<Upload> uploads, CancellationToken cancellationToken,
        (long[] Offsets, Action<long> Claim)? segment = null)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await SqliteSetup.NoCheckpointInCommitAsync(db, cancellationToken);
        var connection = transaction.GetDbTransaction().Connection!;
        long? segmentId = null;
        if (segment is not null)
        {
            using var insertSegment = new SqliteStatement(connection, "INSERT INTO SpoolSegments (FirstUploadId, LastUploadId) VALUES (0, 0)");
            segmentId = insertSegment.RunInsert();
        }
        using (var insert = new SqliteStatement(connection,
            "INSERT INTO Uploads (FileName, Status, Reason, ArticleId, ReceivedAt, ProcessedAt, FeedId, SegmentId, SegmentOffset, SegmentLength) VALUES (?1, ?2, NULL, NULL, ?3, NULL, ?4, ?5, ?6, ?7)"))
        using (var insertContent = new SqliteStatement(connection, "INSERT INTO UploadContents (UploadId, Content) VALUES (?1, ?2)"))
        {
            for (var i = 0; i < uploads.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var upload = uploads[i];
                if (segment is { Offsets: var offsets } && upload.Content is { } content)
                {
                    (upload.SegmentId, upload.SegmentOffset, upload.SegmentLength) = (segmentId, offsets[i], content.Length);
                }
                upload.Id = insert.Bind(1, upload.FileName).Bind(2, (int)upload.Status).Bind(3, upload.ReceivedAt).Bind(4, upload.FeedId)
                    .Bind(5, upload.SegmentId).Bind(6, upload.SegmentOffset).Bind(7, upload.SegmentLength).RunInsert();
                if (upload.Content is not null && upload.SegmentId is null)
                {
                    insertContent.Bind(1, upload.Id).Blob(2, upload.Content).Run();
                }
            }
        }
        if (segment is { Claim: var claim } && segmentId is { } id)
        {
            using (var range = new SqliteStatement(connection, "UPDATE SpoolSegments SET FirstUploadId = ?2, LastUploadId = ?3 WHERE Id = ?1"))
            {
                range.Bind(1, id).Bind(2, uploads[0].Id).Bind(3, uploads[^1].Id).Run();
            }
            claim(id);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Inside a batch's write, after its statuses: deletes the rows of the given segments none of whose uploads is queued
    /// any more, and returns their ids, whose files the caller deletes after the commit.
    /// </summary>
    public static List<long> ReleaseSegments(DbConnection connection, IEnumerable<long> segmentIds)
    {
        var released = new List<long>();
        using var release = new SqliteStatement(connection,
            "DELETE FROM SpoolSegments WHERE Id = ?1 AND NOT EXISTS (SELECT 1 FROM Uploads u WHERE u.Status = " + (int)UploadStatus.Queued +
            " AND u.Id BETWEEN SpoolSegments.FirstUploadId AND SpoolSegments.LastUploadId)");
        foreach (var id in segmentIds)
        {
            if (release.Bind(1, id).Run() == 1)
            {
                released.Add(id);
            }
        }
        return released;
    }

    /// <summary>
    /// Inserts links waiting for their page (<see cref="UploadStatus.Fetching"/>, or already answered as duplicates) in
    /// one transaction, as <see cref="InsertAsync"/> does files: a list of 40,000 addresses took 6.4 s through the change
    /// tracker (Debug build) before this.
    /// </summary>
    /// <param name="newList">The links are one list: each gets the id of the first as its <see cref="Upload.ListId"/>.</param>
    public static async Task InsertLinksAsync(DashboardDb db, IReadOnlyList<Upload> links, bool newList, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = transaction.GetDbTransaction().Connection!;
        using (var insert = new SqliteStatement(connection,
            "INSERT INTO Uploads (FileName, Status, Reason, ArticleId, ReceivedAt, ProcessedAt, FeedId, Url, NextFetchAt, FetchAttempts, LinkHints, ListId, Site) " +
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"))
        using (var nameList = new SqliteStatement(connection, "UPDATE Uploads SET ListId = ?1 WHERE Id = ?1"))
        {
            foreach (var link in links)
            {
                cancellationToken.ThrowIfCancellationRequested();
                link.Id = insert.Bind(1, link.FileName).Bind(2, (int)link.Status).Bind(3, link.Reason).Bind(4, link.ArticleId).Bind(5, link.ReceivedAt)
                    .Bind(6, link.ProcessedAt).Bind(7, link.FeedId).Bind(8, link.Url).Bind(9, link.NextFetchAt).Bind(10, link.FetchAttempts).Bind(11, link.LinkHints)
                    .Bind(12, link.ListId).Bind(13, link.Site).RunInsert();
                if (newList)
                {
                    // The list is named after its first link, whose id is known only now; the others follow it.
                    nameList.Bind(1, link.Id).Run();
                    link.ListId = link.Id;
                    foreach (var next in links)
                    {
                        next.ListId = link.Id;
                    }
                    newList = false;
                }
            }
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
