using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Okapi.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ChannelSubscriptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int[]>(
                name: "Events",
                table: "Channels",
                type: "integer[]",
                nullable: false,
                // Existing channels keep hearing alerts only (ChannelEvent.Alerts is 0).
                defaultValueSql: "'{0}'");

            migrationBuilder.AddColumn<List<Guid>>(
                name: "TeamIds",
                table: "Channels",
                type: "uuid[]",
                nullable: false,
                defaultValueSql: "'{}'");
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
