using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dashboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class UploadContents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UploadContents",
                columns: table => new
                {
                    UploadId = table.Column<long>(type: "INTEGER", nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UploadContents", x => x.UploadId);
                    table.ForeignKey(
                        name: "FK_UploadContents_Uploads_UploadId",
                        column: x => x.UploadId,
                        principalTable: "Uploads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Queued and failed uploads keep their bytes: moved, never dropped.
            migrationBuilder.Sql("INSERT INTO UploadContents (UploadId, Content) SELECT Id, Content FROM Uploads WHERE Content IS NOT NULL;");

            // The old column stays, empty and unmapped: dropping it makes SQLite rewrite every row of the table, which
            // for a store of a million uploads is gigabytes through the write-ahead log at start-up. Its empty pages are
            // given back by VACUUM; a later rebuild of the table leaves the column out.
            migrationBuilder.Sql("UPDATE Uploads SET Content = NULL WHERE Content IS NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE Uploads SET Content = (SELECT Content FROM UploadContents WHERE UploadId = Uploads.Id) WHERE Id IN (SELECT UploadId FROM UploadContents);");

            migrationBuilder.DropTable(
                name: "UploadContents");
        }
    }
}
