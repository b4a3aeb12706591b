using Dashboard.Web;
using Dashboard.Web.Api;
using Dashboard.Web.Cli;
using Dashboard.Web.Components;

// Subcommands (import, extract, parse, ...) share the app's services but start no web server.
if (Subcommands.IsCommand(args))
{
    return await Subcommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(DashboardServices.ReadSettingsOnce(args));
// Serve the build's static web assets (top-level wwwroot, MudBlazor, ApexCharts) in every environment,
// not only Development, so `dotnet run` works as the README says.
builder.WebHost.UseStaticWebAssets();
builder.AddDashboardWeb();

var app = builder.Build();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();
app.MapStaticAssets();
app.MapDashboardApi();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();
return 0;

/// <summary>Entry point; public so the test hosts can start the real app.</summary>
public partial class Program;
