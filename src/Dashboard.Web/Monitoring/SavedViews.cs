using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Monitoring;

/// <summary>A view that cannot be saved as asked; the message says why.</summary>
public sealed class SavedViewException(string message) : Exception(message);

/// <summary>
/// Named dashboard views shared by everyone using this dashboard: saved from the dashboard (or the API), listed above
/// its filters with how many articles arrived in each since it was last opened (the in-app alert on a standing
/// question). Saving under a name already taken replaces that view's address, as a bookmark would be updated.
/// </summary>
public sealed class SavedViews(IDbContextFactory<DashboardDb> dbFactory, DashboardQueries queries, WriteTurns writeTurns, TimeProvider clock)
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
        try
        {
            // A search that does not parse is refused here, not found broken at every count later.
            await NewSinceAsync(url, long.MaxValue, cancellationToken);
        }
        catch (SearchQueryException ex)
        {
            throw new SavedViewException(ex.Message);
        }
        var seenUpTo = await queries.LastArticleIdAsync(cancellationToken);
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
            view.SavedAt = view.SeenAt = clock.GetUtcNow().UtcDateTime;
            // Saved is seen: what arrives from now on is new to it.
            view.SeenUpTo = seenUpTo;
            await db.SaveChangesAsync(cancellationToken);
            return view;
        }
    }

    /// <summary>
    /// For each view, its articles stored since it was last opened (with the view's own counting: a view that counts
    /// stories counts new stories). A view whose search no longer parses counts none.
    /// </summary>
    public async Task<Dictionary<long, int>> NewArticlesAsync(IEnumerable<SavedView> views, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<long, int>();
        foreach (var view in views)
        {
            try
            {
                result[view.Id] = await NewSinceAsync(view.Url, view.SeenUpTo, cancellationToken);
            }
            catch (SearchQueryException)
            {
                result[view.Id] = 0;
            }
        }
        return result;
    }

    /// <summary>Marks a view as opened now: its articles so far are no longer new. False when there is no such view.</summary>
    public async Task<bool> MarkSeenAsync(long id, CancellationToken cancellationToken = default)
    {
        var seenUpTo = await queries.LastArticleIdAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        using (await writeTurns.TakeAsync(cancellationToken))
        {
            var now = clock.GetUtcNow().UtcDateTime;
            return await db.SavedViews.Where(v => v.Id == id)
                .ExecuteUpdateAsync(u => u.SetProperty(v => v.SeenUpTo, seenUpTo).SetProperty(v => v.SeenAt, now), cancellationToken) > 0;
        }
    }

    /// <summary>How many articles of the view at <paramref name="url"/> were stored after article <paramref name="afterId"/>.</summary>
    private async Task<int> NewSinceAsync(string url, long afterId, CancellationToken cancellationToken)
    {
        var view = DashboardUrl.ParseUrl(url, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        return await queries.ArticlesStoredAfterAsync(view.Filter, afterId, view.CountStories, cancellationToken);
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
