using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Monitoring;

/// <summary>An event that cannot be marked as asked; the message says why.</summary>
public sealed class AnnotationException(string message) : Exception(message);

/// <summary>
/// Events marked on the timeline (<see cref="Annotation"/>): added and removed by those who may curate, drawn on the
/// dashboard's volume chart over the days they fall in, listed and served by the API.
/// </summary>
public sealed class Annotations(IDbContextFactory<DashboardDb> dbFactory, WriteTurns writeTurns, TimeProvider clock)
{
    public const int MaxLabelLength = 120;

    /// <summary>The events marked from <paramref name="from"/> to <paramref name="to"/> (either open), by day.</summary>
    public async Task<IReadOnlyList<Annotation>> ListAsync(DateOnly? from = null, DateOnly? to = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lo = from ?? DateOnly.MinValue;
        var hi = to ?? DateOnly.MaxValue;
        return await db.Annotations.AsNoTracking().Where(a => a.Day >= lo && a.Day <= hi).OrderBy(a => a.Day).ThenBy(a => a.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Marks <paramref name="label"/> on <paramref name="day"/>.</summary>
    public async Task<Annotation> AddAsync(DateOnly day, string? label, CancellationToken cancellationToken = default)
    {
        label = string.Join(' ', (label ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (label.Length is 0 or > MaxLabelLength)
        {
            throw new AnnotationException($"An event's label needs 1 to {MaxLabelLength} characters.");
        }
        if (day.Year is < 1900 or > 2200)
        {
            throw new AnnotationException($"{day:yyyy-MM-dd} is not a day news is dated.");
        }
        var annotation = new Annotation { Day = day, Label = label, CreatedAt = clock.GetUtcNow().UtcDateTime };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            db.Annotations.Add(annotation);
            await db.SaveChangesAsync(cancellationToken);
        }
        return annotation;
    }

    /// <summary>Removes an event; false when there is none with that id.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            return await db.Annotations.Where(a => a.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
        }
    }
}
