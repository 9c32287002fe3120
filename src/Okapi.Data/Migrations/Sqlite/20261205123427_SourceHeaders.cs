using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Okapi.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SourceHeaders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "HeaderName",
                table: "KpiSources",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProtectedHeaderValue",
                table: "KpiSources",
                type: "TEXT",
                maxLength: 16500,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "HeaderName",
                table: "KpiSources");

            migrationBuilder.DropColumn(
                name: "ProtectedHeaderValue",
                table: "KpiSources");
        }
    }
}
