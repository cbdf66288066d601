using Npgsql;

namespace ActivityFeed.Api.Data;

/// <summary>
/// Statements a transaction must run before its first statement that can wait on another writer's
/// lock (a <c>SET LOCAL lock_timeout</c>, say), handed out once to whichever round trip carries that
/// statement, so they cost no round trip of their own.
/// </summary>
public sealed class LockPreamble(IReadOnlyList<NpgsqlBatchCommand> statements)
{
    private IReadOnlyList<NpgsqlBatchCommand> _pending = statements;

    /// <summary>The statements, the first time; nothing after that.</summary>
    public IReadOnlyList<NpgsqlBatchCommand> Take()
    {
        var pending = _pending;
        _pending = [];
        return pending;
    }
}
