namespace Dashboard.Web.Components.Charts;

/// <summary>What a <see cref="WorldMap"/> draws; wwwroot/js/worldmap.js colours each country by its count.</summary>
public sealed record MapSpec(IReadOnlyList<MapCountry> Countries, string Unit)
{
    /// <summary>Value equality over the list too, so a re-render with the same numbers does not redraw.</summary>
    public bool SameAs(MapSpec? other) => other is not null && Unit == other.Unit && Countries.SequenceEqual(other.Countries);
}

/// <summary>One country on the map: its ISO 3166-1 alpha-2 key and its count.</summary>
public sealed record MapCountry(string Key, string Name, int Count);
