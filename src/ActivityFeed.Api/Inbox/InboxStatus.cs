namespace ActivityFeed.Api.Inbox;

/// <summary>The inbox tabs. Every tab but <see cref="Archived"/> leaves archived items out.</summary>
public enum InboxStatus
{
    All,
    Unread,
    Read,
    Unseen,
    Archived,
}

public static class InboxStatuses
{
    public const string Parameter = "status";
    public static readonly string[] Names = ["all", "unread", "read", "unseen", "archived"];

    public static string Name(InboxStatus status) => Names[(int)status];

    /// <summary>Reads <c>status</c> from the query (default <paramref name="fallback"/>); a bad value is reported under its name.</summary>
    public static InboxStatus Parse(IQueryCollection query, InboxStatus fallback, IDictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(Parameter, out var given))
        {
            return fallback;
        }

        var index = given.Count == 1 ? Array.IndexOf(Names, given[0]) : -1;
        if (index < 0)
        {
            errors[Parameter] = [$"status must be one of: {string.Join(", ", Names)} (once)."];
            return fallback;
        }

        return (InboxStatus)index;
    }
}
