using Dashboard.Web.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Dashboard.Web.Data;

/// <summary>The store: articles, the entities they mention, and the durable ingest queue.</summary>
public sealed class DashboardDb(DbContextOptions<DashboardDb> options) : DbContext(options)
{
    public DbSet<Article> Articles => Set<Article>();
    public DbSet<Entity> Entities => Set<Entity>();
    public DbSet<EntityAlias> EntityAliases => Set<EntityAlias>();
    public DbSet<Mention> Mentions => Set<Mention>();
    public DbSet<Upload> Uploads => Set<Upload>();
    public DbSet<UploadContent> UploadContents => Set<UploadContent>();
    public DbSet<SpoolSegment> SpoolSegments => Set<SpoolSegment>();
    public DbSet<EntityMerge> EntityMerges => Set<EntityMerge>();
    public DbSet<IgnoredEntity> IgnoredEntities => Set<IgnoredEntity>();
    public DbSet<DeletedArticle> DeletedArticles => Set<DeletedArticle>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();
    public DbSet<Annotation> Annotations => Set<Annotation>();
    public DbSet<Feed> Feeds => Set<Feed>();
    public DbSet<SitePause> SitePauses => Set<SitePause>();
    public DbSet<EntityDay> EntityDays => Set<EntityDay>();
    public DbSet<EntityMonth> EntityMonths => Set<EntityMonth>();
    public DbSet<ArticleDay> ArticleDays => Set<ArticleDay>();

    /// <summary>
    /// Articles and mentions written through EF (curation's folding, tests' fixtures) refresh the daily counts
    /// they touch, and new articles are indexed for search, in the same transaction; the ingestion hot path does
    /// both itself in <see cref="ArticleWriter"/>.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var mentions = ChangeTracker.Entries<Mention>()
            .Where(e => e.State is EntityState.Added or EntityState.Deleted or EntityState.Modified)
            .Select(e => (e.Entity, Original: e.State == EntityState.Added ? 0L : e.OriginalValues.GetValue<long>(nameof(Mention.EntityId))))
            .ToList();
        var articles = ChangeTracker.Entries<Article>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (mentions.Count == 0 && articles.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            var entityIds = mentions.SelectMany(m => new[] { m.Entity.EntityId, m.Original }).Where(id => id != 0).ToHashSet();
            await DailyCounts.RebuildEntitiesAsync(this, entityIds, cancellationToken);
            await DailyCounts.RebuildDaysAsync(this, articles.Select(a => a.PublishedDate).ToHashSet(), cancellationToken);
            await FullTextSearch.IndexAsync(this, articles, cancellationToken);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }
            return saved;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Article>(article =>
        {
            article.HasIndex(a => a.ContentHash).IsUnique();
            article.HasIndex(a => new { a.PublishedDate, a.Id });
            article.HasIndex(a => a.CanonicalUrl);
            article.HasIndex(a => a.StoryId);
            article.HasIndex(a => a.LeadHash);
            // The source filter, and the article sources CoMentionIndex loads without reading the article rows.
            article.HasIndex(a => a.Source);
            // The author filter (an author's articles, then their mentions).
            article.HasIndex(a => a.Author);
            // Feed health: items per day of one feed. No foreign key, so removing a feed keeps its articles.
            article.HasIndex(a => new { a.FeedId, a.IngestedAt });
            article.HasMany(a => a.Mentions).WithOne(m => m.Article).HasForeignKey(m => m.ArticleId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Entity>(entity =>
        {
            entity.HasIndex(e => new { e.Kind, e.Key }).IsUnique();
            entity.HasMany(e => e.Aliases).WithOne().HasForeignKey(a => a.EntityId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<EntityAlias>().HasIndex(a => new { a.EntityId, a.Name }).IsUnique();

        modelBuilder.Entity<EntityMerge>(merge =>
        {
            merge.HasIndex(m => new { m.Kind, m.Key }).IsUnique();
            merge.HasOne(m => m.Into).WithMany().HasForeignKey(m => m.IntoEntityId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<IgnoredEntity>().HasIndex(i => new { i.Kind, i.Key }).IsUnique();
        modelBuilder.Entity<DeletedArticle>(deleted =>
        {
            // Looked up by what ingestion deduplicates on, only while any article has been deleted.
            deleted.HasIndex(d => d.ContentHash);
            deleted.HasIndex(d => d.CanonicalUrl).HasFilter("\"CanonicalUrl\" IS NOT NULL");
        });
        modelBuilder.Entity<SavedView>().HasIndex(v => v.Name).IsUnique();
        modelBuilder.Entity<Annotation>().HasIndex(a => a.Day);

        modelBuilder.Entity<Mention>(mention =>
        {
            mention.HasOne(m => m.Entity).WithMany().HasForeignKey(m => m.EntityId).OnDelete(DeleteBehavior.Cascade);
            // Covering index for "top entities in a date range": the chart queries never touch the table.
            mention.HasIndex(m => new { m.EntityId, m.PublishedDate, m.ArticleId, m.Count, m.IsFocus });
            // No (PublishedDate, EntityId) index any more: unfiltered charts read the daily counts and filtered ones the
            // co-mention index, and bench queries showed no query slower without it at 100,000 articles, while it cost
            // a random insert per mention row (ingestion about 9% faster without it).
            mention.HasIndex(m => new { m.ArticleId, m.EntityId }).IsUnique();
            mention.Property(m => m.Spans).HasConversion(
                spans => MentionSpans.Encode(spans),
                stored => MentionSpans.Decode(stored),
                new ValueComparer<List<MentionSpan>>(
                    (a, b) => a!.SequenceEqual(b!),
                    spans => spans.Aggregate(0, (hash, span) => HashCode.Combine(hash, span.GetHashCode())),
                    spans => spans.ToList()));
        });

        // Both count tables are WITHOUT ROWID on SQLite (the DailyCountsClustered migration; EF cannot say so): the rows
        // are stored in key order, so "top entities of a kind in a range" reads a stretch of the table itself, and
        // adding a batch's counts to a row updates it in place. A later migration that rebuilds either table must
        // keep the clause.
        modelBuilder.Entity<EntityDay>(day =>
        {
            day.HasKey(d => new { d.Kind, d.Day, d.EntityId });
            day.HasOne<Entity>().WithMany().HasForeignKey(d => d.EntityId).OnDelete(DeleteBehavior.Cascade);
            // One entity's days (its volume chart, its page, a correction's recount).
            day.HasIndex(d => new { d.EntityId, d.Day });
        });

        modelBuilder.Entity<EntityMonth>(month =>
        {
            month.HasKey(m => new { m.Kind, m.Month, m.EntityId });
            month.HasOne<Entity>().WithMany().HasForeignKey(m => m.EntityId).OnDelete(DeleteBehavior.Cascade);
            month.HasIndex(m => new { m.EntityId, m.Month });
        });

        modelBuilder.Entity<ArticleDay>(day =>
        {
            day.HasKey(d => new { d.Day, d.Source });
            day.HasIndex(d => new { d.Day, d.Source, d.Articles });
        });

        modelBuilder.Entity<Upload>(upload =>
        {
            upload.HasIndex(u => new { u.Status, u.Id });
            // One list's links (its progress, "stop this list"); files have none, so the index holds links of lists only.
            upload.HasIndex(u => u.ListId).HasFilter("\"ListId\" IS NOT NULL");
            // Two workers finishing the same upload: the second one's update matches no row and rolls back.
            upload.Property(u => u.Status).IsConcurrencyToken();
            // Carried in memory only; stored in UploadContents.
            upload.Ignore(u => u.Content);
        });

        modelBuilder.Entity<UploadContent>(content =>
        {
            content.HasKey(c => c.UploadId);
            content.Property(c => c.UploadId).ValueGeneratedNever();
            content.HasOne<Upload>().WithOne().HasForeignKey<UploadContent>(c => c.UploadId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SitePause>().HasKey(p => p.Site);

        modelBuilder.Entity<Feed>(feed =>
        {
            feed.HasIndex(f => f.Url).IsUnique();
            feed.HasIndex(f => new { f.Enabled, f.NextPollAt });
        });
    }
}
