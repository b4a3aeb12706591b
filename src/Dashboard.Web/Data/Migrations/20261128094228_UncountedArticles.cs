using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dashboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class UncountedArticles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Articles a bulk import stored whose daily counts it still holds in memory (DeferredCounts), and how many
            // times someone else counted such articles from the store: plain bookkeeping, read and written in SQL only.
            migrationBuilder.Sql("""
                CREATE TABLE UncountedArticles (ArticleId INTEGER NOT NULL PRIMARY KEY);
                CREATE TABLE CountCatchUps (Id INTEGER NOT NULL PRIMARY KEY CHECK (Id = 1), Generation INTEGER NOT NULL);
                INSERT INTO CountCatchUps (Id, Generation) VALUES (1, 0);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE UncountedArticles; DROP TABLE CountCatchUps;");
        }
    }
}
