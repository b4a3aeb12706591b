using Dashboard.Web.Access;
using Dashboard.Web.Curation;
using Dashboard.Web.Data;
using Dashboard.Web.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Api;

/// <summary>Entity corrections (aliases, merges) and re-extraction, for the entity page and for programs.</summary>
public static class CurationEndpoints
{
    /// <summary>Body of an alias request.</summary>
    public sealed record AliasRequest(string? Name);

    public static IEndpointRouteBuilder MapCuration(this IEndpointRouteBuilder api)
    {
        api.MapGet("/entities/{kind}/{key}", GetEntityAsync);
        var curate = api.MapGroup("/entities/{kind}/{key}").RequireAuthorization(DashboardPolicies.Curate).DisableAntiforgery();
        curate.MapPost("/aliases", AddAliasAsync);
        curate.MapDelete("/aliases/{name}", RemoveAliasAsync);
        curate.MapPost("/merge", MergeAsync);
        curate.MapPost("/rename", RenameAsync);
        curate.MapPost("/kind", ChangeKindAsync);
        curate.MapPost("/ignore", IgnoreAsync);
        curate.MapDelete("/ignore", RestoreAsync);
        api.MapGet("/ignored-entities", ListIgnoredAsync);

        // Deleting an article edits the collection, so it stands behind the curation policy, as entity corrections do.
        api.MapDelete("/articles/{id:long}", async (long id, ArticleRemoval removal, CancellationToken cancellationToken) =>
            await removal.DeleteAsync(id, cancellationToken) is { } removed
                ? Results.Ok(new { deleted = removed.Id, title = removed.Title, remainingCopies = removed.RemainingCopies })
                : Results.NotFound(new ProblemDetails { Status = 404, Title = $"no article with id {id}" }))
            .RequireAuthorization(DashboardPolicies.Curate).DisableAntiforgery();
        // Every article of a filter (a bad import, a source that does not belong), when confirm= says how many that is.
        api.MapDelete("/articles", async (HttpRequest request, ArticleRemoval removal, CancellationToken cancellationToken) =>
        {
            if (!ApiEndpoints.TryReadFilter(request.Query, out var filter, out var error))
            {
                return ApiEndpoints.Problem(error);
            }
            if (!int.TryParse(request.Query["confirm"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var expected))
            {
                return ApiEndpoints.Problem("confirm=N is required: how many articles the filter matches now (the total of GET /api/articles with the same filter)");
            }
            try
            {
                return Results.Ok(new { deleted = await removal.DeleteAllAsync(filter, expected, cancellationToken) });
            }
            catch (ViewChangedException ex)
            {
                return Results.Conflict(new ProblemDetails { Status = 409, Title = "The view changed", Detail = ex.Message });
            }
            catch (CurationException ex)
            {
                return ApiEndpoints.Problem(ex.Message);
            }
        }).RequireAuthorization(DashboardPolicies.Curate).DisableAntiforgery();
        api.MapGet("/deleted-articles", async (ArticleRemoval removal, CancellationToken cancellationToken) =>
            Results.Ok((await removal.ListAsync(cancellationToken)).Select(d => new
            {
                id = d.Id, articleId = d.ArticleId, title = d.Title, date = d.PublishedDate, source = d.Source, deletedAt = d.DeletedAt,
            })));
        // Allowed again: the same text or address is stored when it next arrives.
        api.MapDelete("/deleted-articles/{id:long}", async (long id, ArticleRemoval removal, CancellationToken cancellationToken) =>
            await removal.AllowAgainAsync(id, cancellationToken)
                ? Results.NoContent()
                : Results.NotFound(new ProblemDetails { Status = 404, Title = $"no deleted article with id {id}" }))
            .RequireAuthorization(DashboardPolicies.Curate).DisableAntiforgery();

        var admin = api.MapGroup("/admin").RequireAuthorization(DashboardPolicies.Admin).DisableAntiforgery();
        admin.MapPost("/reextract", (Reextraction reextraction) => Results.Accepted("/api/admin/reextract", reextraction.Start()));
        admin.MapGet("/reextract", (Reextraction reextraction) => Results.Ok(reextraction.Status));
        return api;
    }

    private static async Task<IResult> GetEntityAsync(string kind, string key, IDbContextFactory<DashboardDb> dbFactory, CancellationToken cancellationToken)
    {
        if (!EntityRef.TryParse($"{kind}:{key}", out var entity, out var error))
        {
            return ApiEndpoints.Problem(error);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.Entities.AsNoTracking().Include(e => e.Aliases)
            .FirstOrDefaultAsync(e => e.Kind == entity.Kind && e.Key == entity.Key, cancellationToken);
        if (found is null)
        {
            // A merged key answers with where it went, so old links keep working; a key set aside says so.
            var merged = await db.EntityMerges.AsNoTracking().Where(m => m.Kind == entity.Kind && m.Key == entity.Key)
                .Select(m => new { m.Into!.Kind, m.Into.Key }).FirstOrDefaultAsync(cancellationToken);
            if (merged is not null)
            {
                return Results.Ok(new { mergedInto = $"{EntityRef.KindName(merged.Kind)}:{merged.Key}" });
            }
            var ignored = await db.IgnoredEntities.AsNoTracking().FirstOrDefaultAsync(i => i.Kind == entity.Kind && i.Key == entity.Key, cancellationToken);
            return ignored is null
                ? Results.NotFound(new ProblemDetails { Status = 404, Title = $"no {kind} with the key \"{key}\"" })
                : Results.Ok(new { ignored = true, name = ignored.Name, ignoredAt = ignored.IgnoredAt });
        }
        var articles = await db.Mentions.CountAsync(m => m.EntityId == found.Id, cancellationToken);
        return Results.Ok(new
        {
            kind = EntityRef.KindName(found.Kind),
            key = found.Key,
            name = found.Name,
            articles,
            aliases = found.Aliases.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => new { name = a.Name, userDefined = a.IsUserDefined }),
        });
    }

    private static async Task<IResult> AddAliasAsync(string kind, string key, AliasRequest request, EntityCuration curation, Reextraction reextraction, CancellationToken cancellationToken)
    {
        if (!EntityRef.TryParse($"{kind}:{key}", out var entity, out var error))
        {
            return ApiEndpoints.Problem(error);
        }
        try
        {
            await curation.AddAliasAsync(entity, request.Name ?? "", cancellationToken);
        }
        catch (CurationException ex)
        {
            return ApiEndpoints.Problem(ex.Message);
        }
        // Stored articles learn the new alias only by being read again.
        return Results.Accepted("/api/admin/reextract", reextraction.Start());
    }

    private static async Task<IResult> RemoveAliasAsync(string kind, string key, string name, EntityCuration curation, Reextraction reextraction, CancellationToken cancellationToken)
    {
        if (!EntityRef.TryParse($"{kind}:{key}", out var entity, out var error))
        {
            return ApiEndpoints.Problem(error);
        }
        try
        {
            await curation.RemoveAliasAsync(entity, name, cancellationToken);
        }
        catch (CurationException ex)
        {
            return ApiEndpoints.Problem(ex.Message);
        }
        return Results.Accepted("/api/admin/reextract", reextraction.Start());
    }

    private static async Task<IResult> MergeAsync(string kind, string key, HttpRequest request, EntityCuration curation, CancellationToken cancellationToken)
    {
        if (!EntityRef.TryParse($"{kind}:{key}", out var from, out var error)
            || !EntityRef.TryParse(request.Query["into"].ToString(), out var into, out error))
        {
            return ApiEndpoints.Problem(error);
        }
        try
        {
            await curation.MergeAsync(from, into, cancellationToken);
        }
        catch (CurationException ex)
        {
            return ApiEndpoints.Problem(ex.Message);
        }
        return Results.Ok(new { merged = from.ToString(), into = into.ToString() });
    }

    /// <summary>The name an entity is shown under from now on; the old one stays as another name for it.</summary>
    private static async Task<IResult> RenameAsync(string kind, string key, AliasRequest request, EntityCuration curation, CancellationToken cancellationToken)
    {
        if (!EntityRef.TryParse($"{kind}:{key}", out var entity, out var error))
        {
            return ApiEndpoints.Problem(error);
        }
        try
        {
            await curation.RenameAsync(entity, request.Name ?? "", cancellationToken);
        }
        catch (CurationException ex)
        {
            return ApiEndpoints.Problem(ex.Message);
        }
        return Results.Ok(new { entity = entity.ToString(), name = request.Name!.Trim() });
    }

    /// <summary>A person that is an organisation, or the other way round (<c>?to=organization</c>): it moves there, mentions and all.</summary>
    private static async Task<IResult> ChangeKindAsync(string kind, string key, HttpRequest request, EntityCuration curation, CancellationToken cancellationToken)
    {
        if (!EntityRef.TryParse($"{kind}:{key}", out var entity, out var error))
        {
            return ApiEndpoints.Problem(error);
        }
        if (!EntityRef.TryParseKind(request.Query["to"], out var to))
        {
            return ApiEndpoints.Problem("to is required: person or organization");
        }
        try
        {
            var moved = await curation.ChangeKindAsync(entity, to, cancellationToken);
            return Results.Ok(new { moved = entity.ToString(), to = moved.ToString() });
        }
        catch (CurationException ex)
        {
            return ApiEndpoints.Problem(ex.Message);
        }
    }

    /// <summary>Sets a person or organisation aside as not an actor: its mentions leave every article at once.</summary>
    private static async Task<IResult> IgnoreAsync(string kind, string key, EntityCuration curation, CancellationToken cancellationToken)
    {
        if (!EntityRef.TryParse($"{kind}:{key}", out var entity, out var error))
        {
            return ApiEndpoints.Problem(error);
        }
        try
        {
            var articles = await curation.IgnoreAsync(entity, cancellationToken);
            return Results.Ok(new { ignored = entity.ToString(), articles });
        }
        catch (CurationException ex)
        {
            return ApiEndpoints.Problem(ex.Message);
        }
    }

    /// <summary>Counts a name set aside again: from now on, and in stored articles once extraction has read them again.</summary>
    private static async Task<IResult> RestoreAsync(string kind, string key, EntityCuration curation, Reextraction reextraction, CancellationToken cancellationToken)
    {
        if (!EntityRef.TryParse($"{kind}:{key}", out var entity, out var error))
        {
            return ApiEndpoints.Problem(error);
        }
        try
        {
            await curation.RestoreAsync(entity, cancellationToken);
        }
        catch (CurationException ex)
        {
            return Results.NotFound(new ProblemDetails { Status = 404, Title = ex.Message });
        }
        return Results.Accepted("/api/admin/reextract", reextraction.Start());
    }

    /// <summary>Every name set aside, newest first.</summary>
    private static async Task<IResult> ListIgnoredAsync(IDbContextFactory<DashboardDb> dbFactory, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.IgnoredEntities.AsNoTracking().OrderByDescending(i => i.Id).ToListAsync(cancellationToken);
        return Results.Ok(rows.Select(i => new { kind = EntityRef.KindName(i.Kind), key = i.Key, name = i.Name, ignoredAt = i.IgnoredAt }));
    }
}
