using ActivityFeed.Api.Data.Changes;

namespace ActivityFeed.Api.Webhooks;

/// <summary>Event type names as webhooks show them, and the change-log kinds behind them.</summary>
public static class WebhookEvents
{
    public const string Created = "activity.created";
    public const string Updated = "activity.updated";
    public const string Deleted = "activity.deleted";

    public static readonly string[] All = [Created, Updated, Deleted];

    public static string FromKind(string kind) => kind switch
    {
        ChangeKinds.Created => Created,
        ChangeKinds.Updated => Updated,
        ChangeKinds.Deleted => Deleted,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a change kind."),
    };

    public static string ToKind(string type) => type switch
    {
        Created => ChangeKinds.Created,
        Updated => ChangeKinds.Updated,
        Deleted => ChangeKinds.Deleted,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a webhook event type."),
    };
}
