using Dashboard.Web.Model;
using MudBlazor;

namespace Dashboard.Web.Components.Controls;

/// <summary>One colour and one label per entity kind, shared by chips, bars and highlighted mentions.</summary>
public static class EntityStyle
{
    public static Color ChipColor(EntityKind kind) => kind switch
    {
        EntityKind.Country => Color.Primary,
        EntityKind.Person => Color.Secondary,
        EntityKind.Organization => Color.Tertiary,
        _ => Color.Info,
    };

    /// <summary>The same hues as <see cref="ChipColor"/> in MudBlazor's default palette, for ApexCharts bars.</summary>
    public static string BarColor(EntityKind kind) => kind switch
    {
        EntityKind.Country => "#594ae2",
        EntityKind.Person => "#ff4081",
        EntityKind.Organization => "#1ec8a5",
        _ => "#2196f3",
    };

    public static string Label(EntityKind kind) => kind switch
    {
        EntityKind.Country => "Country",
        EntityKind.Person => "Person",
        EntityKind.Organization => "Organisation",
        _ => "Topic",
    };

    public static string PluralLabel(EntityKind kind) => kind switch
    {
        EntityKind.Country => "Countries",
        EntityKind.Person => "People",
        EntityKind.Organization => "Organisations",
        _ => "Topics",
    };

    /// <summary>CSS class of a highlighted mention: <c>mention mention-country</c> and so on.</summary>
    public static string MentionClass(EntityKind kind) => "mention mention-" + EntityRef.KindName(kind);
}
