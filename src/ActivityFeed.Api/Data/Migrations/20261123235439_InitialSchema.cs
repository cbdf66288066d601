using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ActivityFeed.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "orgs",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_orgs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "activities",
                columns: table => new
                {
                    org_id = table.Column<string>(type: "character varying(128)", nullable: false),
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    assistant_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    contact_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    visitor_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    customer_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    table_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    record_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    segment_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    broadcast_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    relation_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    relation_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    title = table.Column<string>(type: "text", nullable: true),
                    description = table.Column<string>(type: "text", nullable: true),
                    formatted_description = table.Column<string>(type: "text", nullable: true),
                    comment = table.Column<string>(type: "text", nullable: true),
                    note = table.Column<string>(type: "jsonb", nullable: true),
                    file = table.Column<string>(type: "jsonb", nullable: true),
                    attachments = table.Column<string>(type: "jsonb", nullable: true),
                    tags = table.Column<string[]>(type: "text[]", nullable: false),
                    pinned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    channel = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    recipients = table.Column<string[]>(type: "text[]", nullable: false),
                    external_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    metadata = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    request_hash = table.Column<byte[]>(type: "bytea", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_activities", x => new { x.org_id, x.id });
                    table.ForeignKey(
                        name: "fk_activities_orgs_org_id",
                        column: x => x.org_id,
                        principalTable: "orgs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    org_id = table.Column<string>(type: "character varying(128)", nullable: false),
                    id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    scopes = table.Column<string[]>(type: "text[]", nullable: false),
                    secret_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_keys", x => new { x.org_id, x.id });
                    table.ForeignKey(
                        name: "fk_api_keys_orgs_org_id",
                        column: x => x.org_id,
                        principalTable: "orgs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_id_external_id",
                table: "activities",
                columns: new[] { "org_id", "external_id" },
                unique: true,
                filter: "external_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_id_occurred_at_id",
                table: "activities",
                columns: new[] { "org_id", "occurred_at", "id" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "ix_api_keys_org_id_secret_hash",
                table: "api_keys",
                columns: new[] { "org_id", "secret_hash" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "activities");

            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "orgs");
        }
    }
}
