using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ActivityFeed.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class InboxCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                """);

            migrationBuilder.DropTable(
                name: "inbox_counts");
        }
    }
}
