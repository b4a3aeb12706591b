using Bunit;
using Dashboard.Web.Components.Charts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;

namespace Dashboard.Tests.Components.Charts;

public sealed class ApexChartTests : BunitContext
{
    /// <summary>The chart module as the browser hands it over, recording what the chart asks of it.</summary>
    private sealed class RecordingModule : IJSObjectReference
    {
        public List<string> Calls { get; } = [];

        /// <summary>Completes when the chart releases the module.</summary>
        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args)
        {
            // Passing a released .NET reference to the browser fails the way it does in the app.
            foreach (var arg in args ?? [])
            {
                if (arg is DotNetObjectReference<ApexChart> self)
                {
                    _ = self.Value;
                }
            }
            Calls.Add(identifier);
            return ValueTask.FromResult(default(TValue)!);
        }

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) => InvokeAsync<TValue>(identifier, args);

        public ValueTask DisposeAsync()
        {
            Released.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A browser whose module import finishes when the test says so.</summary>
    private sealed class SlowBrowser : IJSRuntime
    {
        public TaskCompletionSource<IJSObjectReference> Import { get; } = new();

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            identifier == "import" ? new ValueTask<TValue>(Import.Task.ContinueWith(t => (TValue)t.Result, TaskScheduler.Default)) : ValueTask.FromResult(default(TValue)!);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) => InvokeAsync<TValue>(identifier, args);
    }

    [Fact]
    public async Task A_chart_taken_off_the_page_while_its_script_loads_draws_nothing_and_releases_the_script()
    {
        var browser = new SlowBrowser();
        Services.AddSingleton<IJSRuntime>(browser);
        Render<ApexChart>(p => p.Add(c => c.Kind, "countries").Add(c => c.Categories, ["Iran", "Algeria"]).Add(c => c.Values, [3, 2]));

        // The reader follows a link before the browser has loaded the chart's script.
        await DisposeComponentsAsync();
        var module = new RecordingModule();
        browser.Import.SetResult(module);

        await module.Released.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(module.Calls);
    }

    [Fact]
    public void The_image_button_asks_the_browser_for_a_png_named_after_the_chart_with_its_caption()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        var module = JSInterop.SetupModule("./js/apexchart.js");
        module.SetupVoid("saveImage", _ => true).SetVoidResult();
        var cut = Render<ApexChart>(p => p.Add(c => c.Kind, "countries").Add(c => c.Caption, "Articles per country")
            .Add(c => c.Categories, ["Iran", "Algeria"]).Add(c => c.Values, [3, 2]));

        cut.Find("[data-image=countries]").Click();

        cut.WaitForAssertion(() => Assert.Single(module.Invocations["saveImage"]));
        var call = module.Invocations["saveImage"].Single();
        Assert.Equal("countries.png", call.Arguments[1]);
        Assert.Equal("Articles per country", call.Arguments[2]);
    }

    [Fact]
    public void An_empty_chart_offers_no_image()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        var cut = Render<ApexChart>(p => p.Add(c => c.Kind, "countries").Add(c => c.Categories, []).Add(c => c.Values, []));

        Assert.Empty(cut.FindAll("[data-image]"));
    }

    [Fact]
    public void The_maps_image_button_asks_the_browser_for_map_png_with_its_caption()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        var module = JSInterop.SetupModule("./js/worldmap.js");
        module.SetupVoid("saveImage", _ => true).SetVoidResult();
        var cut = Render<WorldMap>(p => p.Add(c => c.Caption, "Articles per country").Add(c => c.Countries, [new Dashboard.Web.Data.EntityCount("IR", "Iran", 3)]));

        cut.Find("[data-image=map]").Click();

        cut.WaitForAssertion(() => Assert.Single(module.Invocations["saveImage"]));
        Assert.Equal(["map.png", "Articles per country"], module.Invocations["saveImage"].Single().Arguments.Skip(1));
    }
}
