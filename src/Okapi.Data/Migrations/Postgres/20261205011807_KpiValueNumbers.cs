using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Okapi.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KpiValueNumbers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing KPIs get their numbers from the column's default, the sequence, as new ones do.
            migrationBuilder.CreateSequence(
                name: "KpiNumbers");
            migrationBuilder.AddColumn<long>(
                name: "Number",
                table: "Kpis",
                type: "bigint",
                nullable: false,
                defaultValueSql: "nextval('\"KpiNumbers\"')");
            migrationBuilder.AddUniqueConstraint(
                name: "AK_Kpis_Number",
                table: "Kpis",
                column: "Number");

            // The values are keyed by (KPI number, instant): 8 bytes of KPI per row and index entry instead of 16.
            migrationBuilder.AddColumn<long>(
                name: "KpiNumber",
                table: "KpiValues",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
            migrationBuilder.Sql("""
                UPDATE "KpiValues" v SET "KpiNumber" = k."Number" FROM "Kpis" k WHERE k."Id" = v."KpiId";
                """);
            migrationBuilder.DropForeignKey(
                name: "FK_KpiValues_Kpis_KpiId",
                table: "KpiValues");
            migrationBuilder.DropPrimaryKey(
                name: "PK_KpiValues",
                table: "KpiValues");
            migrationBuilder.DropColumn(
                name: "KpiId",
                table: "KpiValues");
            migrationBuilder.AddPrimaryKey(
                name: "PK_KpiValues",
                table: "KpiValues",
                columns: new[] { "KpiNumber", "At" });
            migrationBuilder.AddForeignKey(
                name: "FK_KpiValues_Kpis_KpiNumber",
                table: "KpiValues",
                column: "KpiNumber",
                principalTable: "Kpis",
                principalColumn: "Number",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_KpiValues_Kpis_KpiNumber",
                table: "KpiValues");

            migrationBuilder.DropPrimaryKey(
                name: "PK_KpiValues",
                table: "KpiValues");

            migrationBuilder.DropUniqueConstraint(
                name: "AK_Kpis_Number",
                table: "Kpis");

            migrationBuilder.DropColumn(
                name: "KpiNumber",
                table: "KpiValues");

            migrationBuilder.DropColumn(
                name: "Number",
                table: "Kpis");

            migrationBuilder.DropSequence(
                name: "KpiNumbers");

            migrationBuilder.AddColumn<Guid>(
                name: "KpiId",
                table: "KpiValues",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddPrimaryKey(
                name: "PK_KpiValues",
                table: "KpiValues",
                columns: new[] { "KpiId", "At" });

            migrationBuilder.AddForeignKey(
                name: "FK_KpiValues_Kpis_KpiId",
                table: "KpiValues",
                column: "KpiId",
                principalTable: "Kpis",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
