using Dashboard.Web.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Monitoring;

/// <summary>Saved views are kept by name over a real SQLite file, survive a restart, and refuse what is not a dashboard address.</summary>
public sealed class SavedViewsTests : IAsyncLifetime
{
    private readonly TestStore _store = new();
    private SavedViews _views = null!;

    public async Task InitializeAsync() => _views = (await _store.StartAsync()).GetRequiredService<SavedViews>();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Views_are_listed_by_name_a_name_saved_again_gets_the_new_address_and_they_outlive_a_restart()
    {
        await _views.SaveAsync("Iran, last month", "/?entity=country:IR&from=2024-05-01&to=2024-05-31");
        var gaza = await _views.SaveAsync("  gaza search ", "/?q=gaza");
        await _views.SaveAsync("Iran, last month", "/?entity=country:IR&from=2024-06-01&to=2024-06-30");

        var restarted = (await _store.StartAsync()).GetRequiredService<SavedViews>();
        var views = await restarted.ListAsync();
        Assert.Equal(["gaza search", "Iran, last month"], views.Select(v => v.Name));
        Assert.Equal("/?entity=country:IR&from=2024-06-01&to=2024-06-30", views[1].Url);

        Assert.True(await restarted.DeleteAsync(gaza.Id));
        Assert.False(await restarted.DeleteAsync(gaza.Id));
        Assert.Equal(["Iran, last month"], (await restarted.ListAsync()).Select(v => v.Name));
    }

    [Theory]
    [InlineData("", "/?q=gaza", "1 to 100 characters")]
    [InlineData("ok", "https://evil.example/?q=gaza", "not a dashboard address")]
    [InlineData("ok", "//evil.example/", "not a dashboard address")]
    [InlineData("ok", "/upload", "not a dashboard address")]
    [InlineData("ok", "/?q=a\nb", "not a dashboard address")]
    public async Task What_is_not_a_name_and_a_dashboard_address_is_refused_with_the_reason(string name, string url, string expected)
    {
        var error = await Assert.ThrowsAsync<SavedViewException>(() => _views.SaveAsync(name, url));

        Assert.Contains(expected, error.Message);
        Assert.Empty(await _views.ListAsync());
    }
}
