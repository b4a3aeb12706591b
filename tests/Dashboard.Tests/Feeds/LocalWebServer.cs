using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.Tests.Feeds;

/// <summary>A request the local server answered: its path and the headers the poller sent.</summary>
public sealed record SeenRequest(string Path, string? IfNoneMatch, string? IfModifiedSince, string? UserAgent);

/// <summary>
/// Kestrel on 127.0.0.1 and a free port, answering with the test's handler: feeds and article pages are served
/// from here, so no test needs the internet. Every request is recorded with the headers the tests check.
/// </summary>
public sealed class LocalWebServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalWebServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    public string Url(string path) => new Uri(BaseAddress, path).AbsoluteUri;

    public static async Task<LocalWebServer> StartAsync(Func<HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        LocalWebServer? server = null;
        app.Run(async context =>
        {
            server!.Requests.Enqueue(new SeenRequest(context.Request.Path, Header(context, "If-None-Match"), Header(context, "If-Modified-Since"), Header(context, "User-Agent")));
            await handler(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new LocalWebServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    /// <summary>Writes a body with a content type, as a feed or page server would.</summary>
    public static async Task SendAsync(HttpContext context, byte[] body, string contentType, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body);
    }

    private static string? Header(HttpContext context, string name) =>
        context.Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A clock the test moves by hand: the poller's schedule is checked without waiting for it.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
