using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EventBooking.ApiService.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RedeemedCodesAndManagerMail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "Note",
                table: "OrderStatusChanges",
                type: "character varying(1200)",
                maxLength: 1200,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(1000)",
                oldMaxLength: 1000,
                oldNullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ManagersToldAt",
                table: "Orders",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PromoCode",
                table: "Orders",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            // Requests from before this version were seen in the back office already: no mail about them now.
            migrationBuilder.Sql("UPDATE \"Orders\" SET \"ManagersToldAt\" = \"CreatedAt\"");

            migrationBuilder.CreateTable(
                name: "ManagerSettings",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    MailOnNewRequests = table.Column<bool>(type: "boolean", nullable: false, defaultValue: true),
                    LastLookedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ManagerSettings", x => x.UserId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PromoRegistrations_Code",
                table: "PromoRegistrations",
                column: "Code");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ManagersToldAt",
                table: "Orders",
                column: "ManagersToldAt");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_PromoCode",
                table: "Orders",
                column: "PromoCode",
                unique: true,
                filter: "\"PromoCode\" IS NOT NULL AND \"Status\" NOT IN ('Cancelled', 'Declined')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ManagerSettings");

            migrationBuilder.DropIndex(
                name: "IX_PromoRegistrations_Code",
                table: "PromoRegistrations");

            migrationBuilder.DropIndex(
                name: "IX_Orders_ManagersToldAt",
                table: "Orders");

            migrationBuilder.DropIndex(
                name: "IX_Orders_PromoCode",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "ManagersToldAt",
                table: "Orders");

            migrationBuilder.DropColumn(
                name: "PromoCode",
                table: "Orders");

            migrationBuilder.AlterColumn<string>(
                name: "Note",
                table: "OrderStatusChanges",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(1200)",
                oldMaxLength: 1200,
                oldNullable: true);
        }
    }
}
