namespace Dashboard.Web.Access;

/// <summary>
/// The one authorisation seam. Every upload, correction and admin action requires one of these policies, on the API's
/// routes and on the pages (through <see cref="DashboardAccess"/>); today there
/// are no user accounts, so they admit everyone. Roles (viewer, editor, admin) and API tokens plug in here.
/// </summary>
public static class DashboardPolicies
{
    public const string Upload = "upload";
    public const string Curate = "curate";
    public const string Admin = "admin";

    public static IServiceCollection AddDashboardAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Upload, policy => policy.RequireAssertion(_ => true))
            .AddPolicy(Curate, policy => policy.RequireAssertion(_ => true))
            .AddPolicy(Admin, policy => policy.RequireAssertion(_ => true));
        // The pages' way to the same policies (per circuit: it asks about the person at that circuit).
        services.AddScoped<DashboardAccess>();
        return services;
    }
}
