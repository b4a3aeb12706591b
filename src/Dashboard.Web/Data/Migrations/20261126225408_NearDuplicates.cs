using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dashboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class NearDuplicates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CanonicalUrl",
                table: "Articles",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "Fingerprint",
                table: "Articles",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "LeadHash",
                table: "Articles",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PublishedAt",
                table: "Articles",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "StoryId",
                table: "Articles",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Articles_CanonicalUrl",
                table: "Articles",
                column: "CanonicalUrl");

            migrationBuilder.CreateIndex(
                name: "IX_Articles_LeadHash",
                table: "Articles",
                column: "LeadHash");

            migrationBuilder.CreateIndex(
                name: "IX_Articles_StoryId",
                table: "Articles",
                column: "StoryId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Articles_CanonicalUrl",
                table: "Articles");

            migrationBuilder.DropIndex(
                name: "IX_Articles_LeadHash",
                table: "Articles");

            migrationBuilder.DropIndex(
                name: "IX_Articles_StoryId",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "CanonicalUrl",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "Fingerprint",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "LeadHash",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "PublishedAt",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "StoryId",
                table: "Articles");
        }
    }
}
