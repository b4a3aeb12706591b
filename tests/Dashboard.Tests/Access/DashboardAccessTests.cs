using System.Security.Claims;
using Dashboard.Web.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Access;

/// <summary>A visitor whose identity the test chooses; anonymous by default, as everyone is while there are no accounts.</summary>
public sealed class FixedVisitor(ClaimsPrincipal? user = null) : AuthenticationStateProvider
{
    public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user ?? new ClaimsPrincipal(new ClaimsIdentity())));

    public static ClaimsPrincipal WithRole(string role) => new(new ClaimsIdentity([new Claim(ClaimTypes.Name, role), new Claim(ClaimTypes.Role, role)], "test"));
}

/// <summary>The pages' side of the one authorisation seam: it answers with the app's policies for the person at the circuit.</summary>
public sealed class DashboardAccessTests
{
    [Theory]
    [InlineData(DashboardPolicies.Upload)]
    [InlineData(DashboardPolicies.Curate)]
    [InlineData(DashboardPolicies.Admin)]
    public async Task Without_accounts_an_anonymous_visitor_may_do_what_every_policy_guards(string policy)
    {
        var services = new ServiceCollection().AddLogging().AddDashboardAuthorization()
            .AddSingleton<AuthenticationStateProvider>(new FixedVisitor()).BuildServiceProvider();

        Assert.True(await services.GetRequiredService<DashboardAccess>().AllowsAsync(policy));
    }

    [Fact]
    public async Task It_asks_the_policy_by_name_about_the_person_at_the_circuit()
    {
        // As roles will: the same policy names, with requirements. The seam must pass both the name and the user through.
        static DashboardAccess For(ClaimsPrincipal user) => new ServiceCollection().AddLogging()
            .AddAuthorizationBuilder()
            .AddPolicy(DashboardPolicies.Upload, p => p.RequireRole("editor", "admin"))
            .AddPolicy(DashboardPolicies.Admin, p => p.RequireRole("admin")).Services
            .AddSingleton<AuthenticationStateProvider>(new FixedVisitor(user))
            .AddScoped<DashboardAccess>()
            .BuildServiceProvider().GetRequiredService<DashboardAccess>();

        Assert.False(await For(FixedVisitor.WithRole("viewer")).AllowsAsync(DashboardPolicies.Upload));
        Assert.True(await For(FixedVisitor.WithRole("editor")).AllowsAsync(DashboardPolicies.Upload));
        Assert.False(await For(FixedVisitor.WithRole("editor")).AllowsAsync(DashboardPolicies.Admin));
        Assert.True(await For(FixedVisitor.WithRole("admin")).AllowsAsync(DashboardPolicies.Admin));
    }

    [Fact]
    public void A_refusal_names_the_permission_missing()
    {
        Assert.Contains("upload permission", DashboardAccess.Refusal(DashboardPolicies.Upload));
        Assert.Contains("curate permission", DashboardAccess.Refusal(DashboardPolicies.Curate));
        Assert.Contains("admin permission", DashboardAccess.Refusal(DashboardPolicies.Admin));
    }
}
