using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Data;

/// <summary>
/// Inserts queued uploads with one prepared statement in one transaction: the acknowledgment path of every
/// upload (and of a bulk import's thousands of files), where EF's change tracker cost more than the insert.
/// Portable SQL (INSERT ... RETURNING).
/// </summary>
public static class QueueWriter
{
    public static async Task InsertAsync(DashboardDb db, IReadOnlyList<Upload> uploads, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = db.Database.GetDbConnection();
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(transaction);
            insert.CommandText = "INSERT INTO Uploads (FileName, Status, Reason, ArticleId, ReceivedAt, ProcessedAt, FeedId) " +
                "VALUES ($name, $status, NULL, NULL, $received, NULL, $feed) RETURNING Id";
            var name = Add(insert, "$name");
            var status = Add(insert, "$status");
            var received = Add(insert, "$received");
            var feed = Add(insert, "$feed");
            await insert.PrepareAsync(cancellationToken);
            await using var insertContent = connection.CreateCommand();
            insertContent.Transaction = insert.Transaction;
            insertContent.CommandText = "INSERT INTO UploadContents (UploadId, Content) VALUES ($id, $content)";
            var contentId = Add(insertContent, "$id");
            var content = Add(insertContent, "$content");
            await insertContent.PrepareAsync(cancellationToken);
            foreach (var upload in uploads)
            {
                name.Value = upload.FileName;
                status.Value = (int)upload.Status;
                received.Value = upload.ReceivedAt;
                feed.Value = (object?)upload.FeedId ?? DBNull.Value;
                upload.Id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
                if (upload.Content is not null)
                {
                    contentId.Value = upload.Id;
                    content.Value = upload.Content;
                    await insertContent.ExecuteNonQueryAsync(cancellationToken);
                }
            }
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static System.Data.Common.DbParameter Add(System.Data.Common.DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
