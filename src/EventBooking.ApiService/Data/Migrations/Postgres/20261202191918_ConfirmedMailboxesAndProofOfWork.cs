using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EventBooking.ApiService.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ConfirmedMailboxesAndProofOfWork : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ConfirmBy",
                table: "PromoRegistrations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ConfirmTokenHash",
                table: "PromoRegistrations",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ConfirmedAt",
                table: "PromoRegistrations",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MailboxKeyHash",
                table: "PromoRegistrations",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ReleasedAt",
                table: "PromoRegistrations",
                type: "timestamp with time zone",
                nullable: true);

            // Sign-ups stored before confirmation existed went to the notifier when they were made.
            migrationBuilder.Sql("UPDATE \"PromoRegistrations\" SET \"ReleasedAt\" = \"CreatedAt\"");

            migrationBuilder.CreateTable(
                name: "UsedChallenges",
                columns: table => new
                {
                    Challenge = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UsedChallenges", x => x.Challenge);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PromoRegistrations_ConfirmTokenHash",
                table: "PromoRegistrations",
                column: "ConfirmTokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PromoRegistrations_Unreleased",
                table: "PromoRegistrations",
                column: "ConfirmBy",
                filter: "\"ReleasedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_UsedChallenges_ExpiresAt",
                table: "UsedChallenges",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "UsedChallenges");

            migrationBuilder.DropIndex(
                name: "IX_PromoRegistrations_ConfirmTokenHash",
                table: "PromoRegistrations");

            migrationBuilder.DropIndex(
                name: "IX_PromoRegistrations_Unreleased",
                table: "PromoRegistrations");

            migrationBuilder.DropColumn(
                name: "ConfirmBy",
                table: "PromoRegistrations");

            migrationBuilder.DropColumn(
                name: "ConfirmTokenHash",
                table: "PromoRegistrations");

            migrationBuilder.DropColumn(
                name: "ConfirmedAt",
                table: "PromoRegistrations");

            migrationBuilder.DropColumn(
                name: "MailboxKeyHash",
                table: "PromoRegistrations");

            migrationBuilder.DropColumn(
                name: "ReleasedAt",
                table: "PromoRegistrations");
        }
    }
}
