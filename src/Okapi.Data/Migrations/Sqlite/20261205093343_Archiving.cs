using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Okapi.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Archiving : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ArchivedAt",
                table: "Objectives",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ArchivedAt",
                table: "Kpis",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ArchivedAt",
                table: "Objectives");

            migrationBuilder.DropColumn(
                name: "ArchivedAt",
                table: "Kpis");
        }
    }
}
