using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Okapi.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KpiDayRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "CurrentPeriodStart",
                table: "Kpis",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "CurrentPeriodValue",
                table: "Kpis",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "PreviousPeriodValue",
                table: "Kpis",
                type: "REAL",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "KpiDays",
                columns: table => new
                {
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    KpiId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    Sum = table.Column<double>(type: "REAL", nullable: false),
                    Min = table.Column<double>(type: "REAL", nullable: false),
                    Max = table.Column<double>(type: "REAL", nullable: false),
                    LastAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastValue = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KpiDays", x => new { x.KpiId, x.Day });
                    table.ForeignKey(
                        name: "FK_KpiDays_Kpis_KpiId",
                        column: x => x.KpiId,
                        principalTable: "Kpis",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KpiDays");

            migrationBuilder.DropColumn(
                name: "CurrentPeriodStart",
                table: "Kpis");

            migrationBuilder.DropColumn(
                name: "CurrentPeriodValue",
                table: "Kpis");

            migrationBuilder.DropColumn(
                name: "PreviousPeriodValue",
                table: "Kpis");
        }
    }
}
