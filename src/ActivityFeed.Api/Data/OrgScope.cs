using System.Data.Common;
using Npgsql;

namespace ActivityFeed.Api.Data;

/// <summary>
/// The org the current work belongs to, which every command sends to PostgreSQL for row-level
/// security: each table's policy shows and accepts only rows of the org in <c>app.org_id</c>, and
/// nothing when it is unset. The setting is transaction-local (<c>set_config(…, true)</c> in
/// <c>activityfeed_use_org</c>): connections are pooled without a reset, so a session setting would
/// outlive its request. Ambient (an <see cref="AsyncLocal{T}"/>), so the request pipeline and each
/// worker set it once and every query beneath, however deep, carries it.
/// </summary>
public static class OrgScope
{
    public const string Setting = "app.org_id";
    private const string ParameterName = "activityfeed_org";

    private static readonly AsyncLocal<string?> CurrentOrg = new();

    public static string? Current => CurrentOrg.Value;

    /// <summary>Work from here until disposal is the org's; disposal restores the org before.</summary>
    public static Restore Enter(string orgId)
    {
        var previous = CurrentOrg.Value;
        CurrentOrg.Value = orgId;
        return new Restore(previous);
    }

    public readonly struct Restore(string? previous) : IDisposable
    {
        public void Dispose() => CurrentOrg.Value = previous;
    }

    /// <summary>
    /// Makes the command set the org first, in the same round trip: Npgsql sends a command's
    /// statements as one batch with one Sync, so outside an explicit transaction they still share
    /// one implicit transaction, and the setting ends with it. A CALL returns no result set and
    /// counts no rows, so readers, scalars and affected-row counts see only the command's own.
    /// </summary>
    public static void Apply(DbCommand command, string orgId)
    {
        command.CommandText = $"CALL activityfeed_use_org(@{ParameterName});\n{command.CommandText}".TrimEnd();
        command.Parameters.Add(new NpgsqlParameter<string>(ParameterName, orgId));
    }

    /// <summary>The same setting as a batch's first statement, for work sent as an <see cref="NpgsqlBatch"/>.</summary>
    public static NpgsqlBatchCommand BatchCommand(string orgId) =>
        new("CALL activityfeed_use_org($1)") { Parameters = { new NpgsqlParameter<string> { TypedValue = orgId } } };

    /// <summary><see cref="Apply(DbCommand, string)"/> with the ambient org, when there is one; without, the command sees no tenant rows.</summary>
    public static void Apply(DbCommand command)
    {
        if (Current is { } orgId)
        {
            Apply(command, orgId);
        }
    }
}
