using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Okapi.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KeyResultPosition : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Position",
                table: "KeyResults",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Existing key results keep the order they were shown in: by creation, numbered from 0 within each objective.
            migrationBuilder.Sql("""
                UPDATE "KeyResults" SET "Position" = (
                    SELECT COUNT(*) FROM "KeyResults" AS earlier
                    WHERE earlier."ObjectiveId" = "KeyResults"."ObjectiveId"
                      AND (earlier."CreatedAt" < "KeyResults"."CreatedAt"
                           OR (earlier."CreatedAt" = "KeyResults"."CreatedAt" AND earlier."Id" < "KeyResults"."Id")))
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Position",
                table: "KeyResults");
        }
    }
}
