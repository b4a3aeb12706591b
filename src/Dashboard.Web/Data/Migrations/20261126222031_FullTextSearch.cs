using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dashboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class FullTextSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // FTS5 index over titles and texts, kept in step by triggers; see Data/FullTextSearch.cs.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE ArticleSearch USING fts5(Title, Text, content='Articles', content_rowid='Id', tokenize='porter unicode61 remove_diacritics 2');
                CREATE TRIGGER ArticleSearchInsert AFTER INSERT ON Articles BEGIN
                    INSERT INTO ArticleSearch(rowid, Title, Text) VALUES (new.Id, new.Title, new.Text);
                END;
                CREATE TRIGGER ArticleSearchDelete AFTER DELETE ON Articles BEGIN
                    INSERT INTO ArticleSearch(ArticleSearch, rowid, Title, Text) VALUES ('delete', old.Id, old.Title, old.Text);
                END;
                CREATE TRIGGER ArticleSearchUpdate AFTER UPDATE OF Title, Text ON Articles BEGIN
                    INSERT INTO ArticleSearch(ArticleSearch, rowid, Title, Text) VALUES ('delete', old.Id, old.Title, old.Text);
                    INSERT INTO ArticleSearch(rowid, Title, Text) VALUES (new.Id, new.Title, new.Text);
                END;
                INSERT INTO ArticleSearch(ArticleSearch) VALUES ('rebuild');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS ArticleSearchInsert;
                DROP TRIGGER IF EXISTS ArticleSearchDelete;
                DROP TRIGGER IF EXISTS ArticleSearchUpdate;
                DROP TABLE IF EXISTS ArticleSearch;
                """);
        }
    }
}
