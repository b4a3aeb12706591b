using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace Dashboard.Web.Access;

/// <summary>
/// The authorisation seam as the pages see it: may the person at this circuit do what a <see cref="DashboardPolicies"/>
/// policy guards? The API's routes require the same policies, so a page never lets anyone do what the API would refuse.
/// A page asks once to decide what to show, and again in each handler before it changes anything: a handler can run
/// without its button (a call from the browser's script, a page left open while the person's rights changed).
/// </summary>
public sealed class DashboardAccess(AuthenticationStateProvider authentication, IAuthorizationService authorization)
{
    /// <summary>What a page says when it refuses an action: the permission it lacks, in the words of the policy.</summary>
    public static string Refusal(string policy) => policy switch
    {
        DashboardPolicies.Upload => "Adding articles and feeds needs the upload permission, which this account does not have.",
        DashboardPolicies.Curate => "Correcting articles and entities needs the curate permission, which this account does not have.",
        DashboardPolicies.Admin => "This needs the admin permission, which this account does not have.",
        _ => $"This needs the {policy} permission, which this account does not have.",
    };

    public async Task<bool> AllowsAsync(string policy)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return (await authorization.AuthorizeAsync(state.User, resource: null, policy)).Succeeded;
    }
}
