using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EventBooking.Notifier.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialDecisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PromoDecisions",
                columns: table => new
                {
                    RegistrationId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    EmailNormalized = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PromoDecisions", x => x.RegistrationId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PromoDecisions_Code",
                table: "PromoDecisions",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PromoDecisions_OneCodePerEmail",
                table: "PromoDecisions",
                column: "EmailNormalized",
                unique: true,
                filter: "\"Code\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_PromoDecisions_Sequence",
                table: "PromoDecisions",
                column: "Sequence",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PromoDecisions");
        }
    }
}
