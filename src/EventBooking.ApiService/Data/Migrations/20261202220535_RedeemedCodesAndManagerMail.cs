using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EventBooking.ApiService.Data.Migrations
{
    /// <inheritdoc />
    public partial class RedeemedCodesAndManagerMail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ManagersToldAt",
                table: "Orders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PromoCode",
                table: "Orders",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            // Requests from before this version were seen in the back office already: no mail about them now.
            migrationBuilder.Sql("UPDATE \"Orders\" SET \"ManagersToldAt\" = \"CreatedAt\"");

            migrationBuilder.CreateTable(
                name: "ManagerSettings",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    MailOnNewRequests = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: true),
                    LastLookedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
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
        }
    }
}
