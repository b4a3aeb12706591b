namespace Dashboard.Web.Components.Charts;

/// <summary>What an <see cref="ApexChart"/> draws; wwwroot/js/apexchart.js turns it into ApexCharts options.</summary>
/// <param name="Kind">Which chart: <c>volume</c>, <c>countries</c>, <c>actors</c>, <c>topics</c> or <c>trends</c>.</param>
/// <param name="Type">An ApexCharts chart type: <c>bar</c>, <c>area</c> or <c>line</c>.</param>
/// <param name="Colors">One colour per bar (distributed bars), one for the whole series, or none for the theme's.</param>
public sealed record ChartSpec(string Kind, string Type, bool Horizontal, int Height, IReadOnlyList<string> Categories, IReadOnlyList<ChartSeries> Series, IReadOnlyList<string> Colors)
{
    /// <summary>Dragging across the chart reports the first and last category under the drag (the volume chart's zoom).</summary>
    public bool RangeSelect { get; init; }

    /// <summary>The values are percentages (the trend chart's shares): the axis and the tooltips say so.</summary>
    public bool Percent { get; init; }

    /// <summary>Events marked over categories (the volume chart's annotations): a line and a label on each.</summary>
    public IReadOnlyList<ChartMarker> Markers { get; init; } = [];

    /// <summary>Value equality over the lists too, so a re-render with the same numbers does not redraw.</summary>
    public bool SameAs(ChartSpec? other) =>
        other is not null && Kind == other.Kind && Type == other.Type && Horizontal == other.Horizontal && Height == other.Height && RangeSelect == other.RangeSelect && Percent == other.Percent
        && Categories.SequenceEqual(other.Categories) && Colors.SequenceEqual(other.Colors) && Markers.SequenceEqual(other.Markers)
        && Series.Count == other.Series.Count
        && Series.Zip(other.Series).All(p => p.First.Name == p.Second.Name && p.First.Data.SequenceEqual(p.Second.Data));
}

/// <summary>A line over one category with a label: an event marked on the timeline.</summary>
public sealed record ChartMarker(string Category, string Text);

/// <summary>One named series of values, one per category.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> Data);
