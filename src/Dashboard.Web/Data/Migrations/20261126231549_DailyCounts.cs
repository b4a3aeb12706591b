using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dashboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DailyCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ArticleDays",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", nullable: false),
                    Articles = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ArticleDays", x => new { x.Day, x.Source });
                });

            migrationBuilder.CreateTable(
                name: "EntityDays",
                columns: table => new
                {
                    EntityId = table.Column<long>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Articles = table.Column<int>(type: "INTEGER", nullable: false),
                    Mentions = table.Column<int>(type: "INTEGER", nullable: false),
                    FocusArticles = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EntityDays", x => new { x.EntityId, x.Day });
                    table.ForeignKey(
                        name: "FK_EntityDays_Entities_EntityId",
                        column: x => x.EntityId,
                        principalTable: "Entities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EntityMonths",
                columns: table => new
                {
                    EntityId = table.Column<long>(type: "INTEGER", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Articles = table.Column<int>(type: "INTEGER", nullable: false),
                    Mentions = table.Column<int>(type: "INTEGER", nullable: false),
                    FocusArticles = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EntityMonths", x => new { x.EntityId, x.Month });
                    table.ForeignKey(
                        name: "FK_EntityMonths_Entities_EntityId",
                        column: x => x.EntityId,
                        principalTable: "Entities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ArticleDays_Day_Source_Articles",
                table: "ArticleDays",
                columns: new[] { "Day", "Source", "Articles" });

            migrationBuilder.CreateIndex(
                name: "IX_EntityDays_Kind_Day_EntityId_Articles_Mentions_FocusArticles",
                table: "EntityDays",
                columns: new[] { "Kind", "Day", "EntityId", "Articles", "Mentions", "FocusArticles" });

            migrationBuilder.CreateIndex(
                name: "IX_EntityMonths_Kind_Month_EntityId_Articles_Mentions_FocusArticles",
                table: "EntityMonths",
                columns: new[] { "Kind", "Month", "EntityId", "Articles", "Mentions", "FocusArticles" });

            // An existing store starts with its counts filled from the rows it already holds.
            migrationBuilder.Sql("""
                INSERT INTO EntityDays (EntityId, Day, Kind, Articles, Mentions, FocusArticles)
                SELECT m.EntityId, m.PublishedDate, e.Kind, COUNT(*), SUM(m.Count), SUM(CASE WHEN m.IsFocus THEN 1 ELSE 0 END)
                FROM Mentions m JOIN Entities e ON e.Id = m.EntityId GROUP BY m.EntityId, m.PublishedDate, e.Kind;
                INSERT INTO EntityMonths (EntityId, Month, Kind, Articles, Mentions, FocusArticles)
                SELECT EntityId, substr(Day, 1, 8) || '01', Kind, SUM(Articles), SUM(Mentions), SUM(FocusArticles)
                FROM EntityDays GROUP BY EntityId, substr(Day, 1, 8) || '01', Kind;
                INSERT INTO ArticleDays (Day, Source, Articles)
                SELECT PublishedDate, COALESCE(Source, ''), COUNT(*) FROM Articles GROUP BY PublishedDate, COALESCE(Source, '');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ArticleDays");

            migrationBuilder.DropTable(
                name: "EntityDays");

            migrationBuilder.DropTable(
                name: "EntityMonths");
        }
    }
}
