using Dashboard.Web.Access;
using Dashboard.Web.Monitoring;
using Microsoft.AspNetCore.Mvc;

namespace Dashboard.Web.Api;

/// <summary>Named dashboard views: listed for anyone, saved and removed by those who may curate.</summary>
public static class SavedViewEndpoints
{
    /// <summary>Body of a save request: the name and the dashboard address (<c>/?entity=country:IR</c>).</summary>
    public sealed record SaveRequest(string? Name, string? Url);

    public static IEndpointRouteBuilder MapSavedViews(this IEndpointRouteBuilder api)
    {
        api.MapGet("/views", async (SavedViews views, CancellationToken cancellationToken) =>
        {
            var list = await views.ListAsync(cancellationToken);
            var fresh = await views.NewArticlesAsync(list, cancellationToken);
            return Results.Ok(list.Select(v => new { id = v.Id, name = v.Name, url = v.Url, savedAt = v.SavedAt, seenAt = v.SeenAt, newArticles = fresh[v.Id], feed = $"/api/views/{v.Id}/articles.atom" }));
        });
        var change = api.MapGroup("/views").RequireAuthorization(DashboardPolicies.Curate).DisableAntiforgery();
        change.MapPost("", async (SaveRequest request, SavedViews views, CancellationToken cancellationToken) =>
        {
            try
            {
                var view = await views.SaveAsync(request.Name, request.Url, cancellationToken);
                return Results.Ok(new { id = view.Id, name = view.Name, url = view.Url, savedAt = view.SavedAt });
            }
            catch (SavedViewException ex)
            {
                return Results.BadRequest(new ProblemDetails { Status = 400, Title = "Bad request", Detail = ex.Message });
            }
        });
        // Opened: its articles so far are no longer new (the dashboard does this when it shows a saved view).
        api.MapPost("/views/{id:long}/seen", async (long id, SavedViews views, CancellationToken cancellationToken) =>
            await views.MarkSeenAsync(id, cancellationToken)
                ? Results.NoContent()
                : Results.NotFound(new ProblemDetails { Status = 404, Title = $"no saved view with id {id}" })).DisableAntiforgery();
        change.MapDelete("/{id:long}", async (long id, SavedViews views, CancellationToken cancellationToken) =>
            await views.DeleteAsync(id, cancellationToken)
                ? Results.NoContent()
                : Results.NotFound(new ProblemDetails { Status = 404, Title = $"no saved view with id {id}" }));
        return api;
    }
}
