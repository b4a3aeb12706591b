using System.Net;
using System.Net.Sockets;

namespace Dashboard.Web.Feeds;

/// <summary>
/// A fetch that cannot give what was asked for, said in words a person understands (the feed's health, the Upload
/// page). <see cref="MayPass"/> when trying later may give it (a timeout, a server error, "too many requests"), with
/// the wait the server asked for, if it named one.
/// </summary>
public sealed class WebFetchException(string message, bool mayPass = false, TimeSpan? retryAfter = null) : Exception(message)
{
    public bool MayPass { get; } = mayPass;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>
/// The HTTP side of reading the web, shared by the feed poller and links sent in by people: redirects followed by
/// hand (so a permanent move can be seen, and https is never downgraded), answers read up to a limit, and failures
/// described as a person would describe them.
/// </summary>
public static class WebFetch
{
    /// <summary>Redirects followed per fetch at most, as browsers and feed readers do.</summary>
    public const int MaxRedirects = 5;

    /// <summary>
    /// The handler every fetch of the web goes through (feeds, their pages, links sent in). With
    /// <paramref name="allowPrivateNetworks"/> false, a connection is made only to a public address: the host name is
    /// resolved here and every private, loopback or link-local address it gives is refused, so an address sent in (or
    /// a redirect, or a name that resolves to 127.0.0.1) cannot make the server read its own network or a cloud
    /// machine's metadata service.
    /// </summary>
    public static SocketsHttpHandler Handler(bool allowPrivateNetworks)
    {
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            // Redirects are followed by hand, to see a feed that moved for good (GetFollowingAsync).
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(15),
        };
        if (!allowPrivateNetworks)
        {
            handler.ConnectCallback = ConnectToPublicAsync;
        }
        return handler;
    }

    private static async ValueTask<Stream> ConnectToPublicAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => !IsPrivate(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new WebFetchException($"{host} is a private or local network address ({string.Join(", ", addresses.Take(3).Select(a => a.ToString()))}), which this server does not fetch from (Dashboard:Fetch:AllowPrivateNetworks is false)");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, where cloud metadata lives,
    /// fe80::/10), shared (100.64/10), "this network" (0/8), multicast and the unspecified address.
    /// </summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] is 0 or 10 or 127 || b[0] >= 224
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] is >= 64 and <= 127);
        }
        var v6 = address.GetAddressBytes();
        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (v6[0] & 0xFE) == 0xFC;
    }

    /// <summary>
    /// GETs <paramref name="url"/>, following redirects by hand (the handler does not): the answer, the address it
    /// came from, and whether every hop was permanent (301, 308), the sign that a feed has moved for good. A redirect
    /// from https to http, or to anything but http and https, is refused, as the handler itself would.
    /// </summary>
    public static async Task<(HttpResponseMessage Response, Uri Final, bool MovedPermanently)> GetFollowingAsync(HttpClient client, Uri url, Action<HttpRequestMessage> prepare, CancellationToken cancellationToken)
    {
        var permanent = true;
        for (var hops = 0; ; hops++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            prepare(request);
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location)
            {
                return (response, url, permanent && hops > 0);
            }
            response.Dispose();
            if (hops == MaxRedirects)
            {
                throw new WebFetchException($"more than {MaxRedirects} redirects from {url}");
            }
            var next = location.IsAbsoluteUri ? location : new Uri(url, location);
            if (next.Scheme is not ("http" or "https") || (url.Scheme == "https" && next.Scheme == "http"))
            {
                throw new WebFetchException($"{url} redirects to {next}, which is not followed (only http and https, never from https down to http)");
            }
            permanent &= status is 301 or 308;
            url = next;
        }
    }

    /// <summary>The whole answer, refused as soon as it passes <paramref name="limit"/> bytes (declared or read).</summary>
    public static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, string what, long limit, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } length && length > limit)
        {
            throw new WebFetchException($"{what} is {length:N0} bytes, over the upload limit of {limit:N0} bytes");
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new WebFetchException($"{what} is over the upload limit of {limit:N0} bytes");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>True for the failures of a fetch that <see cref="Reason"/> can describe (the caller's own cancellation is not one).</summary>
    public static bool IsFetchFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or WebFetchException or IOException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>Why a fetch failed: a timeout, a connection problem in words, or the fetch's own reason.</summary>
    public static string Reason(Exception ex, TimeSpan timeout) => ex switch
    {
        HttpRequestException { InnerException: WebFetchException refused } => refused.Message,
        OperationCanceledException => $"no answer within {timeout.TotalSeconds:0.#} s (timed out)",
        HttpRequestException { HttpRequestError: var kind } http when kind != HttpRequestError.Unknown => $"{Describe(kind)} ({http.Message})",
        _ => ex.Message,
    };

    /// <summary>
    /// Whether a failed fetch may succeed later: no answer in time, a connection that failed, or an answer saying
    /// "not now" (408, 425, 429, 5xx). A refusal (403, 404, 410), a redirect loop or an answer over the limit will not.
    /// </summary>
    public static bool MayPass(Exception ex) => ex switch
    {
        WebFetchException fetch => fetch.MayPass,
        HttpRequestException { InnerException: WebFetchException refused } => refused.MayPass,
        OperationCanceledException or IOException => true,
        HttpRequestException { HttpRequestError: not HttpRequestError.ConfigurationLimitExceeded } => true,
        _ => false,
    };

    /// <summary>Whether an HTTP status says "try again later" rather than "no".</summary>
    public static bool MayPass(int status) => status is 408 or 425 or 429 or >= 500;

    /// <summary>The wait a "429 Too Many Requests" or "503" answer asks for (Retry-After), if it names one.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } when date > now => date - now,
        _ => null,
    };

    private static string Describe(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "the host name could not be resolved",
        HttpRequestError.ConnectionError => "could not connect to the server",
        HttpRequestError.SecureConnectionError => "the secure connection failed",
        HttpRequestError.ResponseEnded => "the server closed the connection mid-answer",
        HttpRequestError.ConfigurationLimitExceeded => "too many redirects or headers",
        _ => "the request failed",
    };
}
