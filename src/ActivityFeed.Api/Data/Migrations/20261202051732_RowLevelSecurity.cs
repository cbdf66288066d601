using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ActivityFeed.Api.Data.Migrations
{
    /// <summary>
    /// Tenant isolation in the database: every table with an org_id (and orgs, by its id) shows and
    /// accepts only the rows of the org in app.org_id, and none when it is unset, for every role but
    /// superusers (FORCE: the owner too). The server runs as a member of activityfeed_runtime, which
    /// gets DML only. The few cross-org jobs go through SECURITY DEFINER functions that return no
    /// more than they must. See README, Tenant isolation.
    /// </summary>
    public partial class RowLevelSecurity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Roles are cluster-wide: made here only when missing (that needs CREATEROLE; without it,
            // create it first: CREATE ROLE activityfeed_runtime NOLOGIN).
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'activityfeed_runtime') THEN
                        CREATE ROLE activityfeed_runtime NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
                    END IF;
                END $$;

                GRANT USAGE ON SCHEMA public TO activityfeed_runtime;
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO activityfeed_runtime;
                REVOKE INSERT, UPDATE, DELETE ON "__EFMigrationsHistory" FROM activityfeed_runtime;
                GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO activityfeed_runtime;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO activityfeed_runtime;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO activityfeed_runtime;
                """);

            // One policy per tenant table, found by its org_id column so none is missed. The owner's
            // second policy opens every org only where app.cross_org is on: the definer functions below
            // set it for their own duration, and a data migration must SET LOCAL it; the owner's
            // ordinary queries see as little as anyone's. A policy TO a role applies to its members: the
            // runtime role must never be granted the owner.
            migrationBuilder.Sql("""
                DO $$
                DECLARE t record;
                BEGIN
                    FOR t IN
                        SELECT c.relname AS table_name, a.attname AS org_column
                        FROM pg_class c
                        JOIN pg_namespace n ON n.oid = c.relnamespace
                        JOIN pg_attribute a ON a.attrelid = c.oid AND NOT a.attisdropped
                        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
                          AND (a.attname = 'org_id' OR (c.relname = 'orgs' AND a.attname = 'id'))
                    LOOP
                        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.table_name);
                        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t.table_name);
                        EXECUTE format('CREATE POLICY org_isolation ON %I USING (%I = current_setting(''app.org_id'', true)) WITH CHECK (%I = current_setting(''app.org_id'', true))',
                            t.table_name, t.org_column, t.org_column);
                        EXECUTE format('CREATE POLICY owner_cross_org ON %I TO %I USING (current_setting(''app.cross_org'', true) = ''on'') WITH CHECK (current_setting(''app.cross_org'', true) = ''on'')',
                            t.table_name, current_user);
                    END LOOP;
                END $$;
                """);

            // Under row-level security a filter may use an index ahead of the policy only when its
            // operator is LEAKPROOF (it cannot reveal a row the policy would hide). jsonb @> (metadata
            // filters) and array && (tags) are not marked so in core, which would leave their GIN
            // indexes unused and walk the org's rows instead. Neither raises an error that depends on
            // the values compared, so they are marked here, in this database only. That takes a
            // superuser; without one the migration says what to run.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
                        ALTER FUNCTION jsonb_contains(jsonb, jsonb) LEAKPROOF;
                        ALTER FUNCTION arrayoverlap(anyarray, anyarray) LEAKPROOF;
                    ELSE
                        RAISE WARNING 'Metadata and tag filters cannot use their GIN indexes under row-level security until a superuser runs: ALTER FUNCTION jsonb_contains(jsonb, jsonb) LEAKPROOF; ALTER FUNCTION arrayoverlap(anyarray, anyarray) LEAKPROOF;';
                    END IF;
                END $$;
                """);

            // Transaction-local, so a pooled connection carries nothing into its next use. A procedure,
            // so CALL adds no result set and no row count to the command it leads.
            migrationBuilder.Sql("""
                CREATE PROCEDURE activityfeed_use_org(org_id text) LANGUAGE sql
                AS $$ SELECT set_config('app.org_id', org_id, true) $$;
                REVOKE ALL ON PROCEDURE activityfeed_use_org(text) FROM PUBLIC;
                GRANT EXECUTE ON PROCEDURE activityfeed_use_org(text) TO activityfeed_runtime;
                """);

            // The cross-org work, each as the owner with app.cross_org on until it returns; search_path
            // pinned so no object of the caller's can stand in for one of ours.
            migrationBuilder.Sql("""
                CREATE FUNCTION activityfeed_sweep_change_events(cutoff timestamptz, batch_size integer) RETURNS integer
                LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp SET app.cross_org = 'on'
                AS $$
                    WITH swept AS (
                        DELETE FROM change_events
                        WHERE ctid IN (SELECT ctid FROM change_events WHERE created_at < cutoff LIMIT batch_size)
                        RETURNING org_id, position),
                    marked AS (
                        UPDATE change_positions AS p SET swept_through = GREATEST(p.swept_through, per_org.through)
                        FROM (SELECT org_id, max(position) AS through FROM swept GROUP BY org_id) AS per_org
                        WHERE p.org_id = per_org.org_id)
                    SELECT count(*)::integer FROM swept
                $$;

                CREATE FUNCTION activityfeed_sweep_idempotency_keys(cutoff timestamptz, batch_size integer) RETURNS integer
                LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp SET app.cross_org = 'on'
                AS $$
                    WITH swept AS (
                        DELETE FROM idempotency_keys
                        WHERE ctid = ANY (ARRAY(SELECT ctid FROM idempotency_keys WHERE expires_at < cutoff LIMIT batch_size))
                        RETURNING 1)
                    SELECT count(*)::integer FROM swept
                $$;

                CREATE FUNCTION activityfeed_expire_webhook_deliveries(at_time timestamptz) RETURNS integer
                LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp SET app.cross_org = 'on'
                AS $$
                    WITH expired AS (
                        UPDATE webhook_deliveries
                        SET status = 'failed', next_attempt_at = NULL, last_error = coalesce(last_error, 'not delivered within the retry window')
                        WHERE status = 'pending' AND give_up_at < at_time AND next_attempt_at <= at_time
                        RETURNING 1)
                    SELECT count(*)::integer FROM expired
                $$;

                -- One index probe per enabled webhook, not a pass over every due delivery.
                CREATE FUNCTION activityfeed_due_webhooks(at_time timestamptz, max_rows integer) RETURNS TABLE (org_id text, webhook_id text)
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET app.cross_org = 'on'
                AS $$
                    SELECT w.org_id, w.id FROM webhooks AS w
                    WHERE w.disabled_at IS NULL AND EXISTS (
                        SELECT FROM webhook_deliveries AS d
                        WHERE d.org_id = w.org_id AND d.webhook_id = w.id AND d.status = 'pending' AND d.next_attempt_at <= at_time)
                    LIMIT max_rows
                $$;

                CREATE FUNCTION activityfeed_orgs_behind_webhooks() RETURNS SETOF text
                LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET app.cross_org = 'on'
                AS $$
                    SELECT c.org_id FROM webhook_cursors AS c JOIN change_positions AS p ON p.org_id = c.org_id
                    WHERE p.last_position > c.position
                $$;

                REVOKE ALL ON FUNCTION activityfeed_sweep_change_events(timestamptz, integer), activityfeed_sweep_idempotency_keys(timestamptz, integer),
                    activityfeed_expire_webhook_deliveries(timestamptz), activityfeed_due_webhooks(timestamptz, integer), activityfeed_orgs_behind_webhooks() FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION activityfeed_sweep_change_events(timestamptz, integer), activityfeed_sweep_idempotency_keys(timestamptz, integer),
                    activityfeed_expire_webhook_deliveries(timestamptz), activityfeed_due_webhooks(timestamptz, integer), activityfeed_orgs_behind_webhooks() TO activityfeed_runtime;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION activityfeed_sweep_change_events(timestamptz, integer), activityfeed_sweep_idempotency_keys(timestamptz, integer),
                    activityfeed_expire_webhook_deliveries(timestamptz), activityfeed_due_webhooks(timestamptz, integer), activityfeed_orgs_behind_webhooks();
                DROP PROCEDURE activityfeed_use_org(text);

                DO $$
                BEGIN
                    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
                        ALTER FUNCTION jsonb_contains(jsonb, jsonb) NOT LEAKPROOF;
                        ALTER FUNCTION arrayoverlap(anyarray, anyarray) NOT LEAKPROOF;
                    END IF;
                END $$;

                DO $$
                DECLARE t record;
                BEGIN
                    FOR t IN SELECT DISTINCT tablename FROM pg_policies WHERE schemaname = 'public' AND policyname IN ('org_isolation', 'owner_cross_org')
                    LOOP
                        EXECUTE format('DROP POLICY IF EXISTS org_isolation ON %I', t.tablename);
                        EXECUTE format('DROP POLICY IF EXISTS owner_cross_org ON %I', t.tablename);
                        EXECUTE format('ALTER TABLE %I NO FORCE ROW LEVEL SECURITY', t.tablename);
                        EXECUTE format('ALTER TABLE %I DISABLE ROW LEVEL SECURITY', t.tablename);
                    END LOOP;
                END $$;

                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM activityfeed_runtime;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM activityfeed_runtime;
                REVOKE ALL ON ALL TABLES IN SCHEMA public FROM activityfeed_runtime;
                REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM activityfeed_runtime;
                REVOKE USAGE ON SCHEMA public FROM activityfeed_runtime;
                """);
        }
    }
}
