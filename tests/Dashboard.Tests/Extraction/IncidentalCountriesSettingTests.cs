using System.Text;
using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Extraction;

/// <summary>The <c>Extraction:KeepIncidentalCountries</c> setting reaches the stored mentions of an uploaded article.</summary>
public sealed class IncidentalCountriesSettingTests : IAsyncLifetime
{
    private const string Article = "date 2024-06-01\n\nIran said its forces had crossed into Iraq. Iran said the offensive would go on, a Japanese firm said.";

    private readonly TestStore _store = new();

    [Theory]
    [InlineData(null, false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public async Task A_glimpsed_country_is_stored_only_when_the_setting_keeps_it(string? setting, bool stored)
    {
        var settings = new Dictionary<string, string?> { ["Dashboard:ImportSample"] = "false" };
        if (setting is not null)
        {
            settings["Extraction:KeepIncidentalCountries"] = setting;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = await _store.StartAsync(s => s.AddSingleton<IConfiguration>(configuration));
        await services.GetRequiredService<IngestQueue>().EnqueueAsync("glimpse.txt", Encoding.UTF8.GetBytes(Article));
        await services.GetRequiredService<ArticleIngestor>().DrainAsync();

        await using var db = await services.GetRequiredService<IDbContextFactory<DashboardDb>>().CreateDbContextAsync();
        var countries = await db.Mentions.Where(m => m.Entity!.Kind == EntityKind.Country).Select(m => m.Entity!.Key).ToListAsync();
        Assert.Contains("IR", countries);
        Assert.Equal(stored, countries.Contains("JP"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _store.DisposeAsync();
}
