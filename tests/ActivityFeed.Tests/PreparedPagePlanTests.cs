using ActivityFeed.Api.Activities.Feeds;
using ActivityFeed.Tests.Infrastructure;
using Npgsql;

namespace ActivityFeed.Tests;

/// <summary>
/// The server prepares its page statements and runs them again on each connection. PostgreSQL plans
/// the first five executions for their values, then keeps one generic plan if it costs no more: a
/// page whose generic plan were dearer (as with a bound <c>LIMIT</c>, which it assumes returns a tenth
/// of the table) would be planned again on every request, costing about as much as running it.
/// (The inbox page's generic plan is the same plan, but PostgreSQL estimates it a little dearer than
/// the custom ones, so it stays planned per request; that is its choice, not the statement's.)
/// </summary>
public sealed class PreparedPagePlanTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private const int Executions = 8;

    public static TheoryData<string, bool> Pages => new()
    {
        { "", false }, { "", true }, { "contact_id=c1", false }, { "type=call", true }, { "sort_by=created_at&sort_order=asc", false },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task AFeedPageKeepsItsGenericPlan(string parameters, bool keyset)
    {
        await FeedIndexTests.SeedAsync(api);
        var filters = GeneratedFilters.Parse(parameters);
        await AssertKeptAsync(after => FeedSql.Page(api.OrgId, filters, after, 0, 26), "org", filters, keyset, $"feed {parameters}");
    }

    /// <summary>
    /// Runs the page, prepared, on one connection (as the server's pool does), each time after a
    /// different cursor when <paramref name="keyset"/>, and reads how PostgreSQL planned it.
    /// </summary>
    private async Task AssertKeptAsync(Func<FeedCursor?, NpgsqlBatchCommand> page, string feed, FeedFilters filters, bool keyset, string name)
    {
        var scoped = new NpgsqlConnectionStringBuilder(api.RuntimeConnectionString) { Options = $"-c {Api.Data.OrgScope.Setting}={api.OrgId}" };
        await using var connection = new NpgsqlConnection(scoped.ConnectionString);
        await connection.OpenAsync(ActivityClient.Cancel);
        string? text = null;
        for (var execution = 0; execution < Executions; execution++)
        {
            var after = keyset ? new FeedCursor(feed, filters.Canonical, FeedCursor.ToMicros(DateTimeOffset.UtcNow.AddHours(-execution * 30)), "act_M") : null;
            var statement = page(after);
            Assert.True(text is null || text == statement.CommandText, $"{name}: the statement text changed with the cursor");
            text = statement.CommandText;
            await using var command = new NpgsqlCommand(text, connection);
            foreach (NpgsqlParameter parameter in statement.Parameters)
            {
                command.Parameters.Add(parameter.Clone());
            }

            await command.PrepareAsync(ActivityClient.Cancel);
            var rows = 0;
            await using (var reader = await command.ExecuteReaderAsync(ActivityClient.Cancel))
            {
                while (await reader.ReadAsync(ActivityClient.Cancel))
                {
                    rows++;
                }
            }

            Assert.True(rows > 0, $"{name}: execution {execution} returned no rows, so it proves little");
        }

        await using var plans = new NpgsqlCommand("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1", connection);
        plans.Parameters.Add(new NpgsqlParameter { Value = text });
        await using var planned = await plans.ExecuteReaderAsync(ActivityClient.Cancel);
        Assert.True(await planned.ReadAsync(ActivityClient.Cancel), $"{name}: the page was not prepared");
        var (generic, custom) = (planned.GetInt64(0), planned.GetInt64(1));
        Assert.True(generic >= Executions - 5, $"{name}: {custom} custom plans and {generic} generic ones in {Executions} executions: the page is planned on every request");
    }
}
