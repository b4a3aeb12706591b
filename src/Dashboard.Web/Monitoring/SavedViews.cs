using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Monitoring;

/// <summary>A view that cannot be saved as asked; the message says why.</summary>
public sealed class SavedViewException(string message) : Exception(message);

/// <summary>
/// Named dashboard views shared by everyone using this dashboard: saved from the dashboard (or the API), listed in its
/// menu. Saving under a name already taken replaces that view's address, as a bookmark would be updated.
/// </summary>
public sealed class SavedViews(IDbContextFactory<DashboardDb> dbFactory, WriteTurns writeTurns, TimeProvider clock)
{
    public const int MaxNameLength = 100;
    public const int MaxUrlLength = 4000;

    /// <summary>Every saved view, by name.</summary>
    public async Task<IReadOnlyList<SavedView>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var views = await db.SavedViews.AsNoTracking().ToListAsync(cancellationToken);
        return views.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Saves <paramref name="url"/> (a dashboard address: <c>/</c> or <c>/?...</c>) under <paramref name="name"/>.</summary>
    public async Task<SavedView> SaveAsync(string? name, string? url, CancellationToken cancellationToken = default)
    {
        name = name?.Trim() ?? "";
        url = url?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new SavedViewException($"A view's name needs 1 to {MaxNameLength} characters.");
        }
        // Only this dashboard's own addresses: a saved view is opened by a click, so it must not lead anywhere else.
        if (!(url == "/" || url.StartsWith("/?", StringComparison.Ordinal)) || url.Length > MaxUrlLength || url.Contains('\\') || url.Any(char.IsControl))
        {
            throw new SavedViewException($"\"{Shorten(url)}\" is not a dashboard address: it must be / or start with /? (at most {MaxUrlLength:N0} characters).");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            var view = await db.SavedViews.FirstOrDefaultAsync(v => v.Name == name, cancellationToken);
            if (view is null)
            {
                view = new SavedView { Name = name, Url = url };
                db.SavedViews.Add(view);
            }
            view.Url = url;
            view.SavedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(cancellationToken);
            return view;
        }
    }

    /// <summary>Removes a saved view; false when there is none with that id.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            return await db.SavedViews.Where(v => v.Id == id).ExecuteDeleteAsync(cancellationToken) > 0;
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
