using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Dashboard.Tests.Components;

/// <summary>
/// Finds an element and triggers its event in one step on the renderer's thread. The dashboard loads its charts in
/// stages and re-renders as each arrives; an element found before such a render carries a handler id the render has
/// replaced, and the event then fails with "There is no event handler with ID ..." (seen once in a clean-clone run).
/// </summary>
internal static class RenderedActions
{
    public static Task ClickAsync<T>(this IRenderedComponent<T> cut, string selector) where T : IComponent =>
        cut.ClickAsync(c => c.Find(selector));

    public static Task ClickAsync<T>(this IRenderedComponent<T> cut, Func<IRenderedComponent<T>, IElement> find) where T : IComponent =>
        cut.InvokeAsync(() => find(cut).ClickAsync(new MouseEventArgs()));

    public static Task KeyDownAsync<T>(this IRenderedComponent<T> cut, Func<IRenderedComponent<T>, IElement> find, string key) where T : IComponent =>
        cut.InvokeAsync(() => find(cut).KeyDownAsync(new KeyboardEventArgs { Key = key }));

    public static Task InputAsync<T>(this IRenderedComponent<T> cut, string selector, string value) where T : IComponent =>
        cut.InvokeAsync(() => cut.Find(selector).InputAsync(new ChangeEventArgs { Value = value }));

    public static Task ChangeAsync<T>(this IRenderedComponent<T> cut, string selector, string value) where T : IComponent =>
        cut.InvokeAsync(() => cut.Find(selector).ChangeAsync(new ChangeEventArgs { Value = value }));

    public static Task SubmitAsync<T>(this IRenderedComponent<T> cut, string selector) where T : IComponent =>
        cut.InvokeAsync(() => cut.Find(selector).SubmitAsync(EventArgs.Empty));
}
