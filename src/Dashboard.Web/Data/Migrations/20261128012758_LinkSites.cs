using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dashboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class LinkSites : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Site",
                table: "Uploads",
                type: "TEXT",
                nullable: true);

            // Links queued before: their site is what lies between "://" and the next "/" of the address (an absolute
            // address as Uri.AbsoluteUri writes it, so host and port as Uri.Authority gives them).
            migrationBuilder.Sql(
                "UPDATE Uploads SET Site = substr(Url, instr(Url, '://') + 3, instr(substr(Url, instr(Url, '://') + 3) || '/', '/') - 1) " +
                "WHERE Url IS NOT NULL AND instr(Url, '://') > 0;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Site",
                table: "Uploads");
        }
    }
}
