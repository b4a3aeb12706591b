using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dashboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SpoolSegments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "SegmentId",
                table: "Uploads",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "SegmentLength",
                table: "Uploads",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SegmentOffset",
                table: "Uploads",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SpoolSegments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FirstUploadId = table.Column<long>(type: "INTEGER", nullable: false),
                    LastUploadId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SpoolSegments", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SpoolSegments");

            migrationBuilder.DropColumn(
                name: "SegmentId",
                table: "Uploads");

            migrationBuilder.DropColumn(
                name: "SegmentLength",
                table: "Uploads");

            migrationBuilder.DropColumn(
                name: "SegmentOffset",
                table: "Uploads");
        }
    }
}
