using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ActivityFeed.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class FeedIndexesAndServerSecrets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:btree_gin", ",,");

            migrationBuilder.CreateTable(
                name: "server_secrets",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    value = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_server_secrets", x => x.name);
                });

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_actor",
                table: "activities",
                columns: new[] { "org_id", "actor_id", "occurred_at", "id" },
                filter: "actor_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_assistant",
                table: "activities",
                columns: new[] { "org_id", "assistant_id", "occurred_at", "id" },
                filter: "assistant_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_broadcast",
                table: "activities",
                columns: new[] { "org_id", "broadcast_id", "occurred_at", "id" },
                filter: "broadcast_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_channel",
                table: "activities",
                columns: new[] { "org_id", "channel", "occurred_at", "id" },
                filter: "channel IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_contact",
                table: "activities",
                columns: new[] { "org_id", "contact_id", "occurred_at", "id" },
                filter: "contact_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_created",
                table: "activities",
                columns: new[] { "org_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_customer",
                table: "activities",
                columns: new[] { "org_id", "customer_id", "occurred_at", "id" },
                filter: "customer_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_pinned",
                table: "activities",
                columns: new[] { "org_id", "occurred_at", "id" },
                filter: "pinned_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_record",
                table: "activities",
                columns: new[] { "org_id", "record_id", "occurred_at", "id" },
                filter: "record_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_relation",
                table: "activities",
                columns: new[] { "org_id", "relation_type", "relation_id", "occurred_at", "id" },
                filter: "relation_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_relation_type",
                table: "activities",
                columns: new[] { "org_id", "relation_type", "occurred_at", "id" },
                filter: "relation_type IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_segment",
                table: "activities",
                columns: new[] { "org_id", "segment_id", "occurred_at", "id" },
                filter: "segment_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_table",
                table: "activities",
                columns: new[] { "org_id", "table_id", "occurred_at", "id" },
                filter: "table_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_tags",
                table: "activities",
                columns: new[] { "org_id", "tags" })
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_type",
                table: "activities",
                columns: new[] { "org_id", "type", "occurred_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_updated",
                table: "activities",
                columns: new[] { "org_id", "updated_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_activities_org_visitor",
                table: "activities",
                columns: new[] { "org_id", "visitor_id", "occurred_at", "id" },
                filter: "visitor_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "server_secrets");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_actor",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_assistant",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_broadcast",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_channel",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_contact",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_created",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_customer",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_pinned",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_record",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_relation",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_relation_type",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_segment",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_table",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_tags",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_type",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_updated",
                table: "activities");

            migrationBuilder.DropIndex(
                name: "ix_activities_org_visitor",
                table: "activities");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:btree_gin", ",,");
        }
    }
}
