using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dashboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SearchIndexedByWriter : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // New articles are indexed by the statement that stores them (FullTextSearch.IndexSql), not by a trigger:
            // FTS5 flushes its pending terms at every savepoint, and each trigger run opens one, so the trigger wrote
            // an index segment per article and merged them over and over (twice the time of the same inserts made
            // directly). Deletes and edits of titles or texts are rare and keep their triggers.
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS ArticleSearchInsert;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TRIGGER ArticleSearchInsert AFTER INSERT ON Articles BEGIN
                    INSERT INTO ArticleSearch(rowid, Title, Text) VALUES (new.Id, new.Title, new.Text);
                END;
                """);
        }
    }
}
