using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Okapi.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ChannelSubscriptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Events",
                table: "Channels",
                type: "TEXT",
                nullable: false,
                // Existing channels keep hearing alerts only (ChannelEvent.Alerts is 0).
                defaultValue: "[0]");

            migrationBuilder.AddColumn<string>(
                name: "TeamIds",
                table: "Channels",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Events",
                table: "Channels");

            migrationBuilder.DropColumn(
                name: "TeamIds",
                table: "Channels");
        }
    }
}
