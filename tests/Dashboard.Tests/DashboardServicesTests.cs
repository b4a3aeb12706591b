using Dashboard.Tests.Api;
using Dashboard.Web;
using Dashboard.Web.Cli;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests;

public sealed class DashboardServicesTests
{
    /// <summary>Settings files are read once: a reloading watcher would watch the content root, where the default store is written.</summary>
    [Fact]
    public async Task The_web_app_reads_its_settings_files_once_without_watching_them()
    {
        await using var app = new DashboardAppFactory();
        AssertReadOnce(app.Services.GetRequiredService<IConfiguration>());
    }

    [Fact]
    public void The_command_line_reads_its_settings_files_once_without_watching_them()
    {
        using var host = Subcommands.BuildHost([]);
        AssertReadOnce(host.Services.GetRequiredService<IConfiguration>());
    }

    [Fact]
    public void A_user_can_still_turn_reloading_on()
    {
        using var host = Subcommands.BuildHost(["--hostBuilder:reloadConfigOnChange=true"]);
        var files = FileSources(host.Services.GetRequiredService<IConfiguration>());
        Assert.NotEmpty(files);
        Assert.All(files, source => Assert.True(source.ReloadOnChange, source.Path));
    }

    private static void AssertReadOnce(IConfiguration configuration)
    {
        var files = FileSources(configuration);
        Assert.Contains(files, source => source.Path == "appsettings.json");
        Assert.All(files, source => Assert.False(source.ReloadOnChange, source.Path));
    }

    private static List<FileConfigurationSource> FileSources(IConfiguration configuration) =>
        ((IConfigurationRoot)configuration).Providers.OfType<FileConfigurationProvider>().Select(p => p.Source).ToList();
}
