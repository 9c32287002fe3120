using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Okapi.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OkrRhythm : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Key",
                table: "Teams",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                // Existing people keep getting what they got before: the digest is on by default, as for new people.
                name: "DigestEnabled",
                table: "People",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "Key",
                table: "Objectives",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Retrospective",
                table: "Objectives",
                type: "TEXT",
                maxLength: 20000,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ContinuedFromId",
                table: "KeyResults",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GradeReason",
                table: "KeyResults",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Key",
                table: "KeyResults",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AlterColumn<Guid>(
                name: "ChannelId",
                table: "Deliveries",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AddColumn<string>(
                name: "Recipient",
                table: "Deliveries",
                type: "TEXT",
                maxLength: 320,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Key",
                table: "Cycles",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "CheckInId",
                table: "Comments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MentionedPersonIds",
                table: "Comments",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.CreateTable(
                name: "CycleClosings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CycleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TeamId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ClosedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ClosedById = table.Column<Guid>(type: "TEXT", nullable: true),
                    ClosedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CycleClosings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CycleClosings_Cycles_CycleId",
                        column: x => x.CycleId,
                        principalTable: "Cycles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "InboxItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    SubjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Link = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ResolvedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboxItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InboxItems_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ObjectiveReviews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ObjectiveId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReviewerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestedById = table.Column<Guid>(type: "TEXT", nullable: true),
                    RequestedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: true),
                    AnsweredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ObjectiveReviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ObjectiveReviews_Objectives_ObjectiveId",
                        column: x => x.ObjectiveId,
                        principalTable: "Objectives",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ObjectiveReviews_People_RequestedById",
                        column: x => x.RequestedById,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_ObjectiveReviews_People_ReviewerId",
                        column: x => x.ReviewerId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ScheduledJobs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LockedUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Result = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScheduledJobs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ClosedScores",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClosingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CycleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ObjectiveId = table.Column<Guid>(type: "TEXT", nullable: false),
                    KeyResultId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OwnerTeamId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OwnerPersonId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OwnerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Weight = table.Column<double>(type: "REAL", nullable: false),
                    Progress = table.Column<double>(type: "REAL", nullable: false),
                    Grade = table.Column<double>(type: "REAL", nullable: false),
                    OverrideReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Type = table.Column<int>(type: "INTEGER", nullable: true),
                    Unit = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Start = table.Column<double>(type: "REAL", nullable: true),
                    Target = table.Column<double>(type: "REAL", nullable: true),
                    Current = table.Column<double>(type: "REAL", nullable: true),
                    Retrospective = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ClosedScores", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ClosedScores_CycleClosings_ClosingId",
                        column: x => x.ClosingId,
                        principalTable: "CycleClosings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Teams_OrganisationId_Key",
                table: "Teams",
                columns: new[] { "OrganisationId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Objectives_OrganisationId_Key",
                table: "Objectives",
                columns: new[] { "OrganisationId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_KeyResults_ContinuedFromId",
                table: "KeyResults",
                column: "ContinuedFromId");

            migrationBuilder.CreateIndex(
                name: "IX_KeyResults_ObjectiveId_Key",
                table: "KeyResults",
                columns: new[] { "ObjectiveId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Cycles_OrganisationId_Key",
                table: "Cycles",
                columns: new[] { "OrganisationId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Comments_CheckInId",
                table: "Comments",
                column: "CheckInId");

            migrationBuilder.CreateIndex(
                name: "IX_ClosedScores_ClosingId",
                table: "ClosedScores",
                column: "ClosingId");

            migrationBuilder.CreateIndex(
                name: "IX_ClosedScores_CycleId_ObjectiveId",
                table: "ClosedScores",
                columns: new[] { "CycleId", "ObjectiveId" });

            migrationBuilder.CreateIndex(
                name: "IX_ClosedScores_OrganisationId",
                table: "ClosedScores",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_CycleClosings_CompanyPerCycle",
                table: "CycleClosings",
                column: "CycleId",
                unique: true,
                filter: "\"TeamId\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_CycleClosings_CycleId_TeamId",
                table: "CycleClosings",
                columns: new[] { "CycleId", "TeamId" },
                unique: true,
                filter: "\"TeamId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_CycleClosings_OrganisationId",
                table: "CycleClosings",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_InboxItems_Kind_SubjectId",
                table: "InboxItems",
                columns: new[] { "Kind", "SubjectId" });

            migrationBuilder.CreateIndex(
                name: "IX_InboxItems_OrganisationId",
                table: "InboxItems",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_InboxItems_PersonId_State_CreatedAt",
                table: "InboxItems",
                columns: new[] { "PersonId", "State", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ObjectiveReviews_ObjectiveId",
                table: "ObjectiveReviews",
                column: "ObjectiveId");

            migrationBuilder.CreateIndex(
                name: "IX_ObjectiveReviews_OrganisationId",
                table: "ObjectiveReviews",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_ObjectiveReviews_RequestedById",
                table: "ObjectiveReviews",
                column: "RequestedById");

            migrationBuilder.CreateIndex(
                name: "IX_ObjectiveReviews_ReviewerId_State",
                table: "ObjectiveReviews",
                columns: new[] { "ReviewerId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_ScheduledJobs_OrganisationId",
                table: "ScheduledJobs",
                column: "OrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_ScheduledJobs_OrganisationId_Kind_Key",
                table: "ScheduledJobs",
                columns: new[] { "OrganisationId", "Kind", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ScheduledJobs_State_DueAt",
                table: "ScheduledJobs",
                columns: new[] { "State", "DueAt" });

            migrationBuilder.AddForeignKey(
                name: "FK_Comments_CheckIns_CheckInId",
                table: "Comments",
                column: "CheckInId",
                principalTable: "CheckIns",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_KeyResults_KeyResults_ContinuedFromId",
                table: "KeyResults",
                column: "ContinuedFromId",
                principalTable: "KeyResults",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Comments_CheckIns_CheckInId",
                table: "Comments");

            migrationBuilder.DropForeignKey(
                name: "FK_KeyResults_KeyResults_ContinuedFromId",
                table: "KeyResults");

            migrationBuilder.DropTable(
                name: "ClosedScores");

            migrationBuilder.DropTable(
                name: "InboxItems");

            migrationBuilder.DropTable(
                name: "ObjectiveReviews");

            migrationBuilder.DropTable(
                name: "ScheduledJobs");

            migrationBuilder.DropTable(
                name: "CycleClosings");

            migrationBuilder.DropIndex(
                name: "IX_Teams_OrganisationId_Key",
                table: "Teams");

            migrationBuilder.DropIndex(
                name: "IX_Objectives_OrganisationId_Key",
                table: "Objectives");

            migrationBuilder.DropIndex(
                name: "IX_KeyResults_ContinuedFromId",
                table: "KeyResults");

            migrationBuilder.DropIndex(
                name: "IX_KeyResults_ObjectiveId_Key",
                table: "KeyResults");

            migrationBuilder.DropIndex(
                name: "IX_Cycles_OrganisationId_Key",
                table: "Cycles");

            migrationBuilder.DropIndex(
                name: "IX_Comments_CheckInId",
                table: "Comments");

            migrationBuilder.DropColumn(
                name: "Key",
                table: "Teams");

            migrationBuilder.DropColumn(
                name: "DigestEnabled",
                table: "People");

            migrationBuilder.DropColumn(
                name: "Key",
                table: "Objectives");

            migrationBuilder.DropColumn(
                name: "Retrospective",
                table: "Objectives");

            migrationBuilder.DropColumn(
                name: "ContinuedFromId",
                table: "KeyResults");

            migrationBuilder.DropColumn(
                name: "GradeReason",
                table: "KeyResults");

            migrationBuilder.DropColumn(
                name: "Key",
                table: "KeyResults");

            migrationBuilder.DropColumn(
                name: "Recipient",
                table: "Deliveries");

            migrationBuilder.DropColumn(
                name: "Key",
                table: "Cycles");

            migrationBuilder.DropColumn(
                name: "CheckInId",
                table: "Comments");

            migrationBuilder.DropColumn(
                name: "MentionedPersonIds",
                table: "Comments");

            migrationBuilder.AlterColumn<Guid>(
                name: "ChannelId",
                table: "Deliveries",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);
        }
    }
}
