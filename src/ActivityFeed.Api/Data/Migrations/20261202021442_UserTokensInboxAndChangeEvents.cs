using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ActivityFeed.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class UserTokensInboxAndChangeEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "change_events",
                columns: table => new
                {
                    org_id = table.Column<string>(type: "character varying(128)", nullable: false),
                    position = table.Column<long>(type: "bigint", nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    activity_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    snapshot = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_change_events", x => new { x.org_id, x.position });
                    table.ForeignKey(
                        name: "fk_change_events_orgs_org_id",
                        column: x => x.org_id,
                        principalTable: "orgs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "change_positions",
                columns: table => new
                {
                    org_id = table.Column<string>(type: "character varying(128)", nullable: false),
                    last_position = table.Column<long>(type: "bigint", nullable: false),
                    swept_through = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_change_positions", x => x.org_id);
                    table.ForeignKey(
                        name: "fk_change_positions_orgs_org_id",
                        column: x => x.org_id,
                        principalTable: "orgs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "inbox_counts",
                columns: table => new
                {
                    org_id = table.Column<string>(type: "character varying(128)", nullable: false),
                    user_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    total = table.Column<long>(type: "bigint", nullable: false),
                    unread = table.Column<long>(type: "bigint", nullable: false),
                    unseen = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbox_counts", x => new { x.org_id, x.user_id });
                    table.ForeignKey(
                        name: "fk_inbox_counts_orgs_org_id",
                        column: x => x.org_id,
                        principalTable: "orgs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

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
                name: "ix_change_events_created_at",
                table: "change_events",
                column: "created_at");

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

            // metadata.<member> filters are containment (@>) tests: a GIN index holding the org with the
            // document (btree_gin), so each is served within the org. EF cannot declare the operator class
            // of one column of two, so it is created here.
            migrationBuilder.Sql("CREATE INDEX ix_activities_org_metadata ON activities USING gin (org_id, metadata jsonb_path_ops);");

            // The counters follow inbox_items in the same transaction: a statement-level trigger per
            // operation sums the changed rows per user (transition tables) and upserts the deltas in
            // (org, user) order, so concurrent writers take counter rows in one order. Updates that
            // change no state (a patch's updated_at) touch no counter.
            migrationBuilder.Sql("""
                CREATE FUNCTION inbox_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO inbox_counts AS c (org_id, user_id, total, unread, unseen)
                        SELECT org_id, user_id, count(*) FILTER (WHERE archived_at IS NULL),
                               count(*) FILTER (WHERE archived_at IS NULL AND read_at IS NULL),
                               count(*) FILTER (WHERE archived_at IS NULL AND seen_at IS NULL)
                        FROM inbox_new GROUP BY org_id, user_id ORDER BY org_id, user_id
                        ON CONFLICT (org_id, user_id) DO UPDATE
                        SET total = c.total + excluded.total, unread = c.unread + excluded.unread, unseen = c.unseen + excluded.unseen;
                    ELSIF TG_OP = 'DELETE' THEN
                        INSERT INTO inbox_counts AS c (org_id, user_id, total, unread, unseen)
                        SELECT org_id, user_id, -count(*) FILTER (WHERE archived_at IS NULL),
                               -count(*) FILTER (WHERE archived_at IS NULL AND read_at IS NULL),
                               -count(*) FILTER (WHERE archived_at IS NULL AND seen_at IS NULL)
                        FROM inbox_old GROUP BY org_id, user_id ORDER BY org_id, user_id
                        ON CONFLICT (org_id, user_id) DO UPDATE
                        SET total = c.total + excluded.total, unread = c.unread + excluded.unread, unseen = c.unseen + excluded.unseen;
                    ELSE
                        INSERT INTO inbox_counts AS c (org_id, user_id, total, unread, unseen)
                        SELECT org_id, user_id, sum(t), sum(u), sum(s)
                        FROM (SELECT org_id, user_id, (archived_at IS NULL)::int AS t, (archived_at IS NULL AND read_at IS NULL)::int AS u,
                                     (archived_at IS NULL AND seen_at IS NULL)::int AS s
                              FROM inbox_new
                              UNION ALL
                              SELECT org_id, user_id, -(archived_at IS NULL)::int, -(archived_at IS NULL AND read_at IS NULL)::int,
                                     -(archived_at IS NULL AND seen_at IS NULL)::int
                              FROM inbox_old) AS changes
                        GROUP BY org_id, user_id HAVING sum(t) <> 0 OR sum(u) <> 0 OR sum(s) <> 0
                        ORDER BY org_id, user_id
                        ON CONFLICT (org_id, user_id) DO UPDATE
                        SET total = c.total + excluded.total, unread = c.unread + excluded.unread, unseen = c.unseen + excluded.unseen;
                    END IF;
                    RETURN NULL;
                END $$;

                CREATE TRIGGER inbox_items_counted_insert AFTER INSERT ON inbox_items
                    REFERENCING NEW TABLE AS inbox_new FOR EACH STATEMENT EXECUTE FUNCTION inbox_counts_apply();
                CREATE TRIGGER inbox_items_counted_update AFTER UPDATE ON inbox_items
                    REFERENCING OLD TABLE AS inbox_old NEW TABLE AS inbox_new FOR EACH STATEMENT EXECUTE FUNCTION inbox_counts_apply();
                CREATE TRIGGER inbox_items_counted_delete AFTER DELETE ON inbox_items
                    REFERENCING OLD TABLE AS inbox_old FOR EACH STATEMENT EXECUTE FUNCTION inbox_counts_apply();

                INSERT INTO inbox_counts (org_id, user_id, total, unread, unseen)
                SELECT org_id, user_id, count(*) FILTER (WHERE archived_at IS NULL),
                               count(*) FILTER (WHERE archived_at IS NULL AND read_at IS NULL),
                               count(*) FILTER (WHERE archived_at IS NULL AND seen_at IS NULL)
                FROM inbox_items GROUP BY org_id, user_id;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER inbox_items_counted_insert ON inbox_items;
                DROP TRIGGER inbox_items_counted_update ON inbox_items;
                DROP TRIGGER inbox_items_counted_delete ON inbox_items;
                DROP FUNCTION inbox_counts_apply();
                DROP INDEX ix_activities_org_metadata;
                """);

            migrationBuilder.DropTable(
                name: "change_events");

            migrationBuilder.DropTable(
                name: "change_positions");

            migrationBuilder.DropTable(
                name: "inbox_counts");

            migrationBuilder.DropTable(
                name: "inbox_items");

            migrationBuilder.DropTable(
                name: "user_tokens");
        }
    }
}
