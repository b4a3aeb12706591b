using Dashboard.Web.Curation;
using Dashboard.Web.Data;
using Dashboard.Web.Ingestion;
using Microsoft.EntityFrameworkCore;

namespace Dashboard.Web.Feeds;

/// <summary>What fetching a stored article's page gave: the text replaced, or why it was not.</summary>
/// <param name="Updated">True when the stored text was replaced by the page's.</param>
/// <param name="Reason">What happened, in words a reader of the article page understands.</param>
public sealed record FullTextResult(long ArticleId, bool Updated, int CharsBefore, int CharsAfter, string Reason);

/// <summary>Why a stored article's page could not give its text; <see cref="Status"/> is the HTTP status the API answers with.</summary>
public sealed class FullTextException(string message, int status) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// Replaces a stored article's text with its page's (Miniflux's "fetch original content"): a feed item stored as its
/// summary (its feed carries teasers, the full-text option was off, or the page could not be had when it was polled)
/// becomes the whole story. The article keeps its title, date, outlet and address, as a feed item's fetched page does
/// (<see cref="LinkHints"/>); its hashes follow the new text, and its mentions and the counts are extracted again in
/// the same transaction, so the charts count what the article now says.
/// </summary>
/// <remarks>The article's story (near-duplicate links) is left as it was: the opening words that found it rarely change.</remarks>
public sealed class FullTextFetch(IDbContextFactory<DashboardDb> dbFactory, ArticleLinks links, CuratedExtractor extractor, WriteTurns writeTurns, DashboardQueries queries, ILogger<FullTextFetch> logger)
{
    /// <summary>Fetches article <paramref name="articleId"/>'s page and keeps its text when it says more than the stored one.</summary>
    /// <exception cref="FullTextException">No such article, no web address, a page that cannot be had or is not one story, or a text stored already as another article.</exception>
    public async Task<FullTextResult> FetchAsync(long articleId, CancellationToken cancellationToken = default)
    {
        Model.Article stored;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            stored = await db.Articles.AsNoTracking().FirstOrDefaultAsync(a => a.Id == articleId, cancellationToken)
                ?? throw new FullTextException($"there is no article {articleId}", StatusCodes.Status404NotFound);
        }
        if (!Uri.TryCreate(stored.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new FullTextException($"article {articleId} has no web address to fetch its page from", StatusCodes.Status422UnprocessableEntity);
        }

        // The stored article as a feed item: its own fields win, the page gives the text when it says more.
        var hints = new LinkHints(stored.Title, stored.PublishedDate, stored.PublishedAt, stored.Source, stored.Author, null,
            Summary: stored.Text, Link: stored.Url, DateIsFallback: stored.DateIsFallback);
        ParsedArticle page;
        try
        {
            var (fileName, content) = await links.FetchAsync(url, cancellationToken, hints);
            page = ArticleParser.Read(fileName, content).Articles.Single();
        }
        catch (WebFetchException ex)
        {
            throw new FullTextException($"the page of article {articleId} could not be had: {ex.Message}", StatusCodes.Status502BadGateway);
        }
        catch (ArticleParseException ex)
        {
            throw new FullTextException($"the page of article {articleId} could not be read: {ex.Message}", StatusCodes.Status502BadGateway);
        }
        var before = stored.Text.Length;
        if (page.Text.Length <= before || page.Text == stored.Text)
        {
            return new FullTextResult(articleId, false, before, before, $"the page's text is no longer than the stored one ({before:N0} characters): nothing changed");
        }

        var hash = ArticleIngestor.ContentHash(page.Text);
        var extraction = extractor.Extract(stored.Title, page.Text, stored.PublishedDate);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        using (await writeTurns.TakeAsync(cancellationToken))
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The same text stored as another article (its page uploaded on its own): one copy of a story, as everywhere.
            if (await db.Articles.Where(a => a.ContentHash == hash && a.Id != articleId).Select(a => (long?)a.Id).FirstOrDefaultAsync(cancellationToken) is { } other)
            {
                throw new FullTextException($"the page's text is stored already, as article {other}", StatusCodes.Status409Conflict);
            }
            var article = await db.Articles.FirstOrDefaultAsync(a => a.Id == articleId, cancellationToken)
                ?? throw new FullTextException($"article {articleId} was removed while its page was fetched", StatusCodes.Status404NotFound);
            article.Text = page.Text;
            var bylineAdded = article.Author is null && page.Author is not null;
            article.Author ??= page.Author;
            article.ContentHash = hash;
            article.Fingerprint = NearDuplicates.Fingerprint(page.Text);
            article.LeadHash = NearDuplicates.LeadHash(page.Text);
            // The search index follows through the Articles update trigger (FullTextSearch migration).
            await db.SaveChangesAsync(cancellationToken);
            // A merge or a setting aside made while the page was read is in force now.
            await ArticleWriter.ReplaceMentionsAsync(db, [(article, extractor.Refresh(stored.Title, page.Text, extraction, stored.PublishedDate))], cancellationToken);
            if (bylineAdded)
            {
                // The co-mention index holds each article's byline (the authors chart, the author filter).
                await DailyCounts.MarkEditedAsync(db, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        queries.ForgetSearches();
        logger.LogInformation("Article {Id}: its page's text replaced the stored one ({Before} to {After} characters)", articleId, before, page.Text.Length);
        return new FullTextResult(articleId, true, before, page.Text.Length, $"the page's text replaced the stored one: {before:N0} to {page.Text.Length:N0} characters");
    }
}
