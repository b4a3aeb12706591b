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

            // SQLite's own DROP COLUMN, inside the migration's transaction (EF would rebuild the table with foreign keys
            // switched off, outside any transaction). The pages the old bytes emptied are reused as the store grows;
            // VACUUM gives them back to the file system at once.
            migrationBuilder.Sql("ALTER TABLE \"Uploads\" DROP COLUMN \"Content\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "Content",
                table: "Uploads",
                type: "BLOB",
                nullable: true);

            migrationBuilder.Sql("UPDATE Uploads SET Content = (SELECT Content FROM UploadContents WHERE UploadId = Uploads.Id);");

            migrationBuilder.DropTable(
                name: "UploadContents");
        }
    }
}
