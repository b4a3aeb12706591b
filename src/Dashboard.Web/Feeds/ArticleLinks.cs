using Dashboard.Web.Ingestion;
using Dashboard.Web.Ingestion.Parsers;
using Dashboard.Web.Model;

namespace Dashboard.Web.Feeds;

/// <summary>
/// A link someone sends in (the Upload page, <c>POST /api/uploads/link</c>): the page is fetched at once, as the feed
/// poller fetches an item's page, read for its article and queued as a JSON upload that keeps the address, so the
/// same story met later in a feed or saved as a file is a duplicate of it. What the address gives when it is not one
/// page (a feed, an archive, several items) is queued as the file it is.
/// </summary>
public sealed partial class ArticleLinks(IngestQueue queue, IHttpClientFactory httpFactory, IConfiguration configuration)
{
    private TimeSpan Timeout => TimeSpan.FromSeconds(configuration.GetValue("Dashboard:Feeds:TimeoutSeconds", 30.0));

    /// <summary>The address as a web address, or the reason it is not one.</summary>
    public static bool TryRead(string? address, out Uri url, out string error)
    {
        url = null!;
        error = "";
        var trimmed = address?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            error = "no address: give the article's web address (https://...)";
            return false;
        }
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || parsed.Host.Length == 0)
        {
            error = $"{trimmed} is not a web address: it must start with http:// or https://";
            return false;
        }
        url = parsed;
        return true;
    }

    /// <summary>
    /// The addresses in what was pasted into one field: several links separated by spaces or line breaks, or run
    /// together as a single-line field may leave them (some browsers drop the line breaks of a pasted list). A new
    /// address starts at an http:// or https:// after a space or right after a letter or digit; one after '/', '=' or
    /// '?' is part of the address before it, as in an archived copy (<c>https://web.archive.org/web/2024/https://...</c>)
    /// or a share link. Text that holds no such address is given back whole, for <see cref="TryRead"/> to refuse.
    /// </summary>
    public static IReadOnlyList<string> Split(string? pasted)
    {
        var text = pasted?.Trim() ?? "";
        var starts = LinkStart().Matches(text).Select(m => m.Index).ToList();
        if (starts.Count <= 1)
        {
            return [text];
        }
        return starts.Select((start, i) => text[start..(i + 1 < starts.Count ? starts[i + 1] : text.Length)].Trim())
            .Where(part => part.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<=^|\s|[\p{L}\p{N}])https?://", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex LinkStart();

    /// <summary>Fetches and queues the article at <paramref name="url"/>; throws <see cref="WebFetchException"/> with the reason when there is none to queue.</summary>
    public async Task<Upload> SubmitAsync(Uri url, CancellationToken cancellationToken = default)
    {
        var (name, content) = await FetchAsync(url, cancellationToken);
        return (await queue.EnqueueManyAsync([(name, content)], cancellationToken))[0];
    }

    /// <summary>
    /// The page at <paramref name="url"/> as the file to queue: the article as a JSON upload that keeps its address,
    /// or what the address gives (a feed, an archive) as it is. Throws <see cref="WebFetchException"/> with the reason
    /// when there is none, saying whether trying later may help.
    /// </summary>
    /// <param name="hints">What the file that listed the link said of its story: it fills what the page lacks.</param>
    public async Task<(string FileName, byte[] Content)> FetchAsync(Uri url, CancellationToken cancellationToken = default, LinkHints? hints = null)
    {
        var client = httpFactory.CreateClient(FeedPoller.HttpClientName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        byte[] body;
        Uri final;
        try
        {
            var (response, landed, _) = await WebFetch.GetFollowingAsync(client, url, request =>
                request.Headers.Accept.ParseAdd("text/html, application/xhtml+xml, application/pdf;q=0.9, */*;q=0.8"), timeout.Token);
            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    var status = (int)response.StatusCode;
                    throw new WebFetchException($"the page answered HTTP {status} {response.ReasonPhrase}".TrimEnd(),
                        WebFetch.MayPass(status), WebFetch.RetryAfter(response, DateTimeOffset.UtcNow));
                }
                body = await WebFetch.ReadBoundedAsync(response, "the page", UploadLimits.MaxFeedBytes(configuration), timeout.Token);
            }
            final = landed;
        }
        catch (Exception ex) when (WebFetch.IsFetchFailure(ex, cancellationToken))
        {
            throw new WebFetchException($"{url}: {WebFetch.Reason(ex, Timeout)}", WebFetch.MayPass(ex), (ex as WebFetchException)?.RetryAfter);
        }

        ParseResult read;
        try
        {
            read = ArticleParser.Read(final.AbsoluteUri, body);
        }
        catch (ArticleParseException ex)
        {
            throw new WebFetchException(ex.Message);
        }
        var name = FileName(final);
        if (hints is { IsFeedItem: true } && (read.Articles.Count != 1 || Archives.IsArchive(body)))
        {
            // A feed item's link is its story's page; anything else there is not the full text of the item.
            throw new WebFetchException($"{url}: the item's link leads to {(Archives.IsArchive(body) ? "an archive" : $"{read.Articles.Count} articles")}, not to its story's page");
        }
        if (read.Articles.Count != 1 || Archives.IsArchive(body))
        {
            // A feed or an archive at the address: queued as the file it is, its items keep their own links.
            return (name, body);
        }
        var page = hints is null ? read.Articles[0] : hints.Under(read.Articles[0]);
        // The page's own address (canonical link) when it names one, else where the fetch landed.
        var article = page with
        {
            Url = page.Url ?? final.AbsoluteUri,
            Source = page.Source ?? (final.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? final.Host[4..] : final.Host),
            FileName = null,
        };
        return (Path.ChangeExtension(name, ".json"), JsonArticleParser.ToUpload(article));
    }

    /// <summary>"example.org - world-iran-algeria.html": the host and the last part of the path, as the Upload page lists it.</summary>
    public static string FileName(Uri url)
    {
        var last = url.Segments.LastOrDefault(s => s.Trim('/').Length > 0)?.Trim('/') ?? "";
        var name = last.Length > 0 ? $"{url.Host} - {Uri.UnescapeDataString(last)}" : url.Host;
        name = string.Concat(name.Select(c => Path.GetInvalidFileNameChars().Contains(c) || c is '\\' or ':' ? '-' : c));
        if (name.Length > 120)
        {
            name = name[..120];
        }
        return Path.HasExtension(last) ? name : name + ".html";
    }
}
