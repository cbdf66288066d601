using System.Net;
using ActivityFeed.Api.Data;
using ActivityFeed.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ActivityFeed.Tests;

/// <summary>
/// Tenant isolation held by PostgreSQL itself, checked as the login the server runs as: a query
/// that forgets its org filter still sees nothing of another org, a row of another org cannot be
/// written, and that login can neither switch the policies off nor step around them.
/// </summary>
public sealed class RowLevelSecurityTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Org A (the fixture's) and a second org B, each with activities written through the API.</summary>
    private async Task<(string A, string B)> TwoOrgsWithActivitiesAsync()
    {
        var b = await api.CreateOrgAsync("RLS other org");
        foreach (var (org, key) in new[] { (api.OrgId, api.AdminKey), (b.OrgId, b.ApiKey) })
        {
            await api.ClientWithKey(key).CreateActivityAsync(org, new { type = "call", title = $"of {org}" });
            await (await api.ClientWithKey(key).PostBatchAsync(org, new { activities = new[] { new { type = "call" }, new { type = "note" } } }))
                .ReadJsonAsync(HttpStatusCode.Created);
        }

        return (api.OrgId, b.OrgId);
    }

    private async Task<NpgsqlConnection> OpenAsRuntimeAsync()
    {
        var connection = new NpgsqlConnection(api.RuntimeConnectionString);
        await connection.OpenAsync(Cancel);
        return connection;
    }

    private static async Task<List<string>> ColumnAsync(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        var values = new List<string>();
        while (await reader.ReadAsync(Cancel))
        {
            values.Add(reader.GetValue(0).ToString()!);
        }

        return values;
    }

    private static async Task UseOrgAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string orgId)
    {
        await using var command = new NpgsqlCommand("SELECT set_config('app.org_id', @org, true)", connection, transaction);
        command.Parameters.AddWithValue("org", orgId);
        await command.ExecuteNonQueryAsync(Cancel);
    }

    /// <summary>Every table that holds rows of an org (by its org_id column; orgs by its id), found in the catalog, not listed by hand.</summary>
    private async Task<List<string>> TenantTablesAsync()
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(Cancel);
        return await ColumnAsync(connection, """
            SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND NOT a.attisdropped
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
              AND (a.attname = 'org_id' OR (c.relname = 'orgs' AND a.attname = 'id'))
            ORDER BY 1
            """);
    }

    [Fact]
    public async Task WithAnOrgSetASelectWithoutOrgFilterReturnsOnlyThatOrgsRows()
    {
        var (a, b) = await TwoOrgsWithActivitiesAsync();
        await using var connection = await OpenAsRuntimeAsync();
        await using var transaction = await connection.BeginTransactionAsync(Cancel);
        await UseOrgAsync(connection, transaction, a);

        var orgs = await ColumnAsync(connection, "SELECT org_id FROM activities", transaction);
        Assert.True(orgs.Count >= 3, $"org A's activities should be visible, saw {orgs.Count}");
        Assert.All(orgs, org => Assert.Equal(a, org));
        Assert.Equal([a], await ColumnAsync(connection, "SELECT id FROM orgs", transaction));
        Assert.DoesNotContain(b, await ColumnAsync(connection, "SELECT org_id FROM api_keys UNION SELECT org_id FROM change_events", transaction));
    }

    [Fact]
    public async Task WithNoOrgSetEveryTenantTableLooksEmpty()
    {
        await TwoOrgsWithActivitiesAsync();
        var tables = await TenantTablesAsync();
        Assert.Contains("activities", tables);
        await using var connection = await OpenAsRuntimeAsync();
        foreach (var table in tables)
        {
            Assert.Equal(["0"], await ColumnAsync(connection, $"SELECT count(*) FROM \"{table}\""));
        }

        // Nor does an empty setting (what a transaction-local one reverts to on a pooled session) open anything.
        await using var transaction = await connection.BeginTransactionAsync(Cancel);
        await UseOrgAsync(connection, transaction, "");
        Assert.Equal(["0"], await ColumnAsync(connection, "SELECT count(*) FROM activities", transaction));
    }

    [Fact]
    public async Task AQueryOfTheServersOwnThatForgetsItsOrgFilterSeesOnlyTheScopesOrg()
    {
        var (a, b) = await TwoOrgsWithActivitiesAsync();
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        using (OrgScope.Enter(b))
        {
            Assert.Equal([b], await db.Activities.Select(x => x.OrgId).Distinct().ToListAsync(Cancel));
            Assert.Equal([b], await db.Orgs.Select(o => o.Id).ToListAsync(Cancel));
        }

        using (OrgScope.Enter(a))
        {
            Assert.Equal([a], await db.Activities.Select(x => x.OrgId).Distinct().ToListAsync(Cancel));
        }

        Assert.Equal(0, await db.Activities.CountAsync(Cancel));
        Assert.Equal(0, await db.ApiKeys.CountAsync(Cancel));
    }

    [Fact]
    public async Task TheOrgSettingEndsWithItsTransactionOnAPooledConnectionThatIsNotReset()
    {
        var (a, _) = await TwoOrgsWithActivitiesAsync();
        var settings = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithHotPathDefaults(api.RuntimeConnectionString)) { MaxPoolSize = 1 };
        await using var source = NpgsqlDataSource.Create(settings.ConnectionString);

        // As the server sends it outside a transaction: the CALL leads the command, both in one implicit transaction.
        await using (var connection = await source.OpenConnectionAsync(Cancel))
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM activities", connection);
            OrgScope.Apply(command, a);
            Assert.True((long)(await command.ExecuteScalarAsync(Cancel))! >= 3);
            Assert.Equal([""], await ColumnAsync(connection, $"SELECT coalesce(current_setting('{OrgScope.Setting}', true), '')"));
        }

        await using (var connection = await source.OpenConnectionAsync(Cancel))
        {
            Assert.Equal(["0"], await ColumnAsync(connection, "SELECT count(*) FROM activities"));
        }
    }

    [Fact]
    public async Task WritingARowOfAnotherOrgIsRefusedByTheCheck()
    {
        var (a, b) = await TwoOrgsWithActivitiesAsync();
        await using var connection = await OpenAsRuntimeAsync();

        await using (var transaction = await connection.BeginTransactionAsync(Cancel))
        {
            await UseOrgAsync(connection, transaction, a);
            await using var insert = new NpgsqlCommand(
                "INSERT INTO activities (org_id, id, type, occurred_at, created_at, updated_at) VALUES (@org, 'act_rls_forged', 'call', now(), now(), now())",
                connection, transaction);
            insert.Parameters.AddWithValue("org", b);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync(Cancel));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        await using (var transaction = await connection.BeginTransactionAsync(Cancel))
        {
            await UseOrgAsync(connection, transaction, a);
            await using var move = new NpgsqlCommand("UPDATE activities SET org_id = @org", connection, transaction);
            move.Parameters.AddWithValue("org", b);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => move.ExecuteNonQueryAsync(Cancel));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        await using (var transaction = await connection.BeginTransactionAsync(Cancel))
        {
            await UseOrgAsync(connection, transaction, a);
            await using var delete = new NpgsqlCommand("DELETE FROM activities WHERE org_id = @org", connection, transaction);
            delete.Parameters.AddWithValue("org", b);
            Assert.Equal(0, await delete.ExecuteNonQueryAsync(Cancel));
        }
    }

    [Fact]
    public async Task TheRuntimeLoginIsNoSuperuserNoBypassRlsNoOwnerAndNoMemberOfTheOwner()
    {
        await using var connection = await OpenAsRuntimeAsync();
        Assert.Equal(["false|false"], await ColumnAsync(connection, "SELECT rolsuper::text || '|' || rolbypassrls::text FROM pg_roles WHERE rolname = current_user"));
        Assert.Equal(["0"], await ColumnAsync(connection, """
            SELECT count(*) FROM pg_class
            WHERE relnamespace = 'public'::regnamespace AND pg_has_role(current_user, relowner, 'MEMBER')
            """));
        Assert.Equal(["0"], await ColumnAsync(connection, """
            SELECT count(*) FROM pg_policies p
            WHERE p.schemaname = 'public' AND p.policyname = 'owner_cross_org' AND pg_has_role(current_user, p.roles[1], 'MEMBER')
            """));
    }

    [Fact]
    public async Task TheRuntimeLoginCannotSwitchRowLevelSecurityOff()
    {
        await TwoOrgsWithActivitiesAsync();
        await using var connection = await OpenAsRuntimeAsync();
        foreach (var statement in new[]
                 {
                     "ALTER TABLE activities DISABLE ROW LEVEL SECURITY",
                     "ALTER TABLE activities NO FORCE ROW LEVEL SECURITY",
                     "DROP POLICY org_isolation ON activities",
                     "CREATE POLICY everything ON activities USING (true)",
                     "ALTER ROLE CURRENT_USER BYPASSRLS",
                 })
        {
            await using var command = new NpgsqlCommand(statement, connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync(Cancel));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        // row_security = off does not skip the policies: a query they would filter fails instead.
        await using var off = new NpgsqlCommand("SET row_security = off; SELECT count(*) FROM activities", connection);
        var stopped = await Assert.ThrowsAsync<PostgresException>(() => off.ExecuteScalarAsync(Cancel));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, stopped.SqlState);
    }

    [Fact]
    public async Task EveryTableWithAnOrgColumnHasRowLevelSecurityEnabledForcedAndTheOrgPolicy()
    {
        var tables = await TenantTablesAsync();
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(Cancel);
        var protectedTables = await ColumnAsync(connection, """
            SELECT c.relname FROM pg_class c
            JOIN pg_policies p ON p.schemaname = 'public' AND p.tablename = c.relname AND p.policyname = 'org_isolation'
                AND p.roles = '{public}' AND p.cmd = 'ALL' AND p.permissive = 'PERMISSIVE'
                AND p.qual LIKE '%current_setting(''app.org_id''::text, true)%' AND p.with_check = p.qual
            WHERE c.relnamespace = 'public'::regnamespace AND c.relrowsecurity AND c.relforcerowsecurity
            ORDER BY 1
            """);
        Assert.Equal(tables, protectedTables);

        // The only tables left open hold no org's rows.
        var everyTable = await ColumnAsync(connection, "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') ORDER BY 1");
        Assert.Equal(["__EFMigrationsHistory", "server_secrets"], everyTable.Except(tables).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TheCrossOrgFunctionsAreDefinersWithAPinnedSearchPathThatOnlyTheRuntimeRoleMayCall()
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync(Cancel);
        var functions = await ColumnAsync(connection, """
            SELECT p.proname || ' ' || p.prosecdef::text || ' ' || array_to_string(p.proconfig, ',')
                || ' public:' || has_function_privilege('public', p.oid, 'EXECUTE')::text
                || ' runtime:' || has_function_privilege('activityfeed_runtime', p.oid, 'EXECUTE')::text
            FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
            ORDER BY 1
            """);
        Assert.Equal(
        [
            "activityfeed_due_webhooks true search_path=public, pg_temp,app.cross_org=on public:false runtime:true",
            "activityfeed_expire_webhook_deliveries true search_path=public, pg_temp,app.cross_org=on public:false runtime:true",
            "activityfeed_orgs_behind_webhooks true search_path=public, pg_temp,app.cross_org=on public:false runtime:true",
            "activityfeed_sweep_change_events true search_path=public, pg_temp,app.cross_org=on public:false runtime:true",
            "activityfeed_sweep_idempotency_keys true search_path=public, pg_temp,app.cross_org=on public:false runtime:true",
        ], functions);
    }

    /// <summary>
    /// A filter whose operator is not LEAKPROOF cannot use an index ahead of the policy, so without
    /// this metadata and tag filters would walk the org's rows instead of their GIN indexes.
    /// </summary>
    [Fact]
    public async Task TheGinFilterOperatorsAreLeakproofSoFiltersKeepTheirIndexesUnderThePolicy()
    {
        await using var connection = await OpenAsRuntimeAsync();
        Assert.Equal(["true", "true"], await ColumnAsync(connection, """
            SELECT proleakproof::text FROM pg_proc
            WHERE oid IN ('jsonb_contains(jsonb, jsonb)'::regprocedure, 'arrayoverlap(anyarray, anyarray)'::regprocedure)
            """));
        Assert.Equal(["true", "true"], await ColumnAsync(connection, """
            SELECT f.proleakproof::text FROM pg_operator o JOIN pg_proc f ON f.oid = o.oprcode
            WHERE (o.oprname, o.oprleft, o.oprright) IN (('@>', 'jsonb'::regtype, 'jsonb'::regtype), ('&&', 'anyarray'::regtype, 'anyarray'::regtype))
            """));
    }

    [Fact]
    public async Task TheRuntimeLoginCannotOpenTheOwnersCrossOrgPolicyForItself()
    {
        await TwoOrgsWithActivitiesAsync();
        await using var connection = await OpenAsRuntimeAsync();
        await using var transaction = await connection.BeginTransactionAsync(Cancel);
        await using (var crossOrg = new NpgsqlCommand("SELECT set_config('app.cross_org', 'on', true)", connection, transaction))
        {
            await crossOrg.ExecuteNonQueryAsync(Cancel);
        }

        Assert.Equal(["0"], await ColumnAsync(connection, "SELECT count(*) FROM activities", transaction));
    }
}
