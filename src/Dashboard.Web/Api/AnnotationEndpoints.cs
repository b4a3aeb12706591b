using Dashboard.Web.Access;
using Dashboard.Web.Model;
using Dashboard.Web.Monitoring;
using Microsoft.AspNetCore.Mvc;

namespace Dashboard.Web.Api;

/// <summary>Events marked on the timeline: listed for anyone, marked and removed by those who may curate.</summary>
public static class AnnotationEndpoints
{
    /// <summary>Body of a mark request: the day (<c>YYYY-MM-DD</c>) and what happened.</summary>
    public sealed record MarkRequest(string? Date, string? Label);

    public static IEndpointRouteBuilder MapAnnotations(this IEndpointRouteBuilder api)
    {
        api.MapGet("/annotations", async (HttpRequest request, Annotations annotations, CancellationToken cancellationToken) =>
        {
            if (!ApiEndpoints.TryReadFilter(request.Query, out var filter, out var error))
            {
                return ApiEndpoints.Problem(error);
            }
            var list = await annotations.ListAsync(filter.From, filter.To, cancellationToken);
            return Results.Ok(list.Select(Json));
        });
        var change = api.MapGroup("/annotations").RequireAuthorization(DashboardPolicies.Curate).DisableAntiforgery();
        change.MapPost("", async (MarkRequest request, Annotations annotations, CancellationToken cancellationToken) =>
        {
            if (!DateOnly.TryParseExact(request.Date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day))
            {
                return ApiEndpoints.Problem($"date must be a day as YYYY-MM-DD, not '{request.Date}'");
            }
            try
            {
                return Results.Ok(Json(await annotations.AddAsync(day, request.Label, cancellationToken)));
            }
            catch (AnnotationException ex)
            {
                return ApiEndpoints.Problem(ex.Message);
            }
        });
        change.MapDelete("/{id:long}", async (long id, Annotations annotations, CancellationToken cancellationToken) =>
            await annotations.DeleteAsync(id, cancellationToken)
                ? Results.NoContent()
                : Results.NotFound(new ProblemDetails { Status = 404, Title = $"no annotation with id {id}" }));
        return api;
    }

    private static object Json(Annotation a) => new { id = a.Id, date = a.Day, label = a.Label, createdAt = a.CreatedAt };
}
