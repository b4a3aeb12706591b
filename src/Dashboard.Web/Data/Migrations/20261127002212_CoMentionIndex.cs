using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dashboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CoMentionIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Articles_Source",
                table: "Articles",
                column: "Source");

            // One row counting edits to mentions other than appends; DailyCounts bumps it, CoMentionIndex reads it.
            // Plain SQL like the full-text table: it is bookkeeping for readers, not part of the model.
            migrationBuilder.Sql("""
                CREATE TABLE MentionEdits (Id INTEGER NOT NULL PRIMARY KEY CHECK (Id = 1), Generation INTEGER NOT NULL);
                INSERT INTO MentionEdits (Id, Generation) VALUES (1, 0);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE MentionEdits;");

            migrationBuilder.DropIndex(
                name: "IX_Articles_Source",
                table: "Articles");
        }
    }
}
