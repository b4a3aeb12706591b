using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dashboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SavedViewsSeenUpTo : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "SeenArticles",
                table: "SavedViews",
                newName: "SeenUpTo");
            // The column held a count of articles and now holds an article id: views saved before count from now on.
            migrationBuilder.Sql("UPDATE SavedViews SET SeenUpTo = COALESCE((SELECT MAX(Id) FROM Articles), 0);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "SeenUpTo",
                table: "SavedViews",
                newName: "SeenArticles");
            migrationBuilder.Sql("UPDATE SavedViews SET SeenArticles = 0;");
        }
    }
}
