using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Okapi.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KpiValueNumbers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing KPIs are numbered in the order they were made; new ones take numbers from a one-row table.
            migrationBuilder.AddColumn<long>(
                name: "Number",
                table: "Kpis",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);
            migrationBuilder.Sql("""
                UPDATE "Kpis" SET "Number" = n.rn FROM (SELECT "Id", ROW_NUMBER() OVER (ORDER BY "CreatedAt", "Id") AS rn FROM "Kpis") AS n WHERE n."Id" = "Kpis"."Id";
                CREATE UNIQUE INDEX "AK_Kpis_Number" ON "Kpis" ("Number");
                CREATE TABLE "KpiNumbers" ("Last" INTEGER NOT NULL);
                INSERT INTO "KpiNumbers" SELECT COALESCE(MAX("Number"), 0) FROM "Kpis";
                """);

            // The values move to a table keyed by (KPI number, instant) without a rowid: the key is the row, so each
            // value is written once rather than into a table and an index, with 8 bytes of KPI instead of 36.
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_KpiValues" (
                    "KpiNumber" INTEGER NOT NULL,
                    "At" INTEGER NOT NULL,
                    "Value" REAL NOT NULL,
                    "Source" INTEGER NOT NULL,
                    CONSTRAINT "PK_KpiValues" PRIMARY KEY ("KpiNumber", "At"),
                    CONSTRAINT "FK_KpiValues_Kpis_KpiNumber" FOREIGN KEY ("KpiNumber") REFERENCES "Kpis" ("Number") ON DELETE CASCADE
                ) WITHOUT ROWID;
                INSERT INTO "ef_temp_KpiValues" ("KpiNumber", "At", "Value", "Source")
                SELECT k."Number", v."At", v."Value", v."Source" FROM "KpiValues" v JOIN "Kpis" k ON k."Id" = v."KpiId" ORDER BY k."Number", v."At";
                DROP TABLE "KpiValues";
                ALTER TABLE "ef_temp_KpiValues" RENAME TO "KpiValues";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE \"KpiNumbers\";");
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

            migrationBuilder.AddColumn<Guid>(
                name: "KpiId",
                table: "KpiValues",
                type: "TEXT",
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
