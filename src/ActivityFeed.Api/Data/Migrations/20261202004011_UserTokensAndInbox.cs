using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ActivityFeed.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class UserTokensAndInbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "inbox_items",
                columns: table => new
                {
                    org_id = table.Column<string>(type: "character varying(128)", nullable: false),
                    user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    activity_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    read_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    archived_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbox_items", x => new { x.org_id, x.user_id, x.activity_id });
                    table.ForeignKey(
                        name: "fk_inbox_items_activities_org_id_activity_id",
                        columns: x => new { x.org_id, x.activity_id },
                        principalTable: "activities",
                        principalColumns: new[] { "org_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_tokens",
                columns: table => new
                {
                    org_id = table.Column<string>(type: "character varying(128)", nullable: false),
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    secret_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_user_tokens", x => new { x.org_id, x.id });
                    table.ForeignKey(
                        name: "fk_user_tokens_orgs_org_id",
                        column: x => x.org_id,
                        principalTable: "orgs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_inbox_items_archived",
                table: "inbox_items",
                columns: new[] { "org_id", "user_id", "occurred_at", "activity_id" },
                filter: "archived_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_items_created",
                table: "inbox_items",
                columns: new[] { "org_id", "user_id", "created_at", "activity_id" },
                filter: "archived_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_items_occurred",
                table: "inbox_items",
                columns: new[] { "org_id", "user_id", "occurred_at", "activity_id" },
                filter: "archived_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_items_org_activity",
                table: "inbox_items",
                columns: new[] { "org_id", "activity_id" });

            migrationBuilder.CreateIndex(
                name: "ix_inbox_items_read",
                table: "inbox_items",
                columns: new[] { "org_id", "user_id", "occurred_at", "activity_id" },
                filter: "archived_at IS NULL AND read_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_items_unread",
                table: "inbox_items",
                columns: new[] { "org_id", "user_id", "occurred_at", "activity_id" },
                filter: "archived_at IS NULL AND read_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_items_unseen",
                table: "inbox_items",
                columns: new[] { "org_id", "user_id", "occurred_at", "activity_id" },
                filter: "archived_at IS NULL AND seen_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_inbox_items_updated",
                table: "inbox_items",
                columns: new[] { "org_id", "user_id", "updated_at", "activity_id" },
                filter: "archived_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_user_tokens_org_id_secret_hash",
                table: "user_tokens",
                columns: new[] { "org_id", "secret_hash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_user_tokens_org_id_user_id_id",
                table: "user_tokens",
                columns: new[] { "org_id", "user_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "inbox_items");

            migrationBuilder.DropTable(
                name: "user_tokens");
        }
    }
}
