using Dashboard.Web.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Monitoring;

/// <summary>Events marked on the timeline, kept in the store for everyone and across restarts.</summary>
public sealed class AnnotationsTests
{
    [Fact]
    public async Task Events_are_kept_by_day_listed_within_dates_and_survive_a_restart()
    {
        await using var store = new TestStore();
        var annotations = (await store.StartAsync()).GetRequiredService<Annotations>();
        var talks = await annotations.AddAsync(new DateOnly(2024, 6, 1), "  Iran and Algeria talk   in Tehran ");
        await annotations.AddAsync(new DateOnly(2024, 5, 6), "Rafah crossing closed");

        Assert.Equal("Iran and Algeria talk in Tehran", talks.Label);
        var restarted = (await store.StartAsync()).GetRequiredService<Annotations>();
        Assert.Equal(["Rafah crossing closed", "Iran and Algeria talk in Tehran"], (await restarted.ListAsync()).Select(a => a.Label));
        Assert.Equal([talks.Id], (await restarted.ListAsync(new DateOnly(2024, 5, 7), new DateOnly(2024, 6, 30))).Select(a => a.Id));

        Assert.True(await restarted.DeleteAsync(talks.Id));
        Assert.False(await restarted.DeleteAsync(talks.Id));
        Assert.Single(await restarted.ListAsync());
    }

    [Theory]
    [InlineData("", "1 to 120 characters")]
    [InlineData("   ", "1 to 120 characters")]
    public async Task An_event_without_a_label_or_with_one_too_long_is_refused_with_the_reason(string label, string reason)
    {
        await using var store = new TestStore();
        var annotations = (await store.StartAsync()).GetRequiredService<Annotations>();

        Assert.Contains(reason, (await Assert.ThrowsAsync<AnnotationException>(() => annotations.AddAsync(new DateOnly(2024, 6, 1), label))).Message);
        Assert.Contains(reason, (await Assert.ThrowsAsync<AnnotationException>(() => annotations.AddAsync(new DateOnly(2024, 6, 1), new string('x', 121)))).Message);
        Assert.Contains("not a day", (await Assert.ThrowsAsync<AnnotationException>(() => annotations.AddAsync(new DateOnly(1, 1, 1), "Year one"))).Message);
        Assert.Empty(await annotations.ListAsync());
    }
}
