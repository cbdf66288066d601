using ActivityFeed.Api.Activities;
using System.Text.Json.Serialization;
using FluentValidation;

namespace ActivityFeed.Api.Inbox;

/// <summary>The activity as §3 returns it, plus the recipient's state.</summary>
public sealed record InboxItemResponse : ActivityResponse
{
    public InboxItemResponse(ActivityResponse activity, DateTimeOffset? readAt, DateTimeOffset? seenAt, DateTimeOffset? archivedAt)
        : base(activity)
    {
        ReadAt = readAt;
        SeenAt = seenAt;
        ArchivedAt = archivedAt;
    }

    // After the activity's members (the default order 0 would put a derived record's first).
    [JsonPropertyOrder(1)]
    public DateTimeOffset? ReadAt { get; init; }

    [JsonPropertyOrder(2)]
    public DateTimeOffset? SeenAt { get; init; }

    [JsonPropertyOrder(3)]
    public DateTimeOffset? ArchivedAt { get; init; }
}

/// <summary><c>{"ids": […]}</c> names items; <c>{"all": true}</c> means every item the query's filters match.</summary>
public sealed record InboxActionRequest(IReadOnlyList<string>? Ids = null, bool? All = null);

public sealed record InboxUpdatedResponse(int Updated);

/// <summary>Counts over the items the filters match; archived items are never counted.</summary>
public sealed record InboxCountsResponse(long Unread, long Unseen, long Total);

public sealed class InboxActionRequestValidator : AbstractValidator<InboxActionRequest>
{
    public const int MaxIds = 1000;

    public InboxActionRequestValidator()
    {
        RuleFor(r => r).Must(r => (r.Ids is null) != (r.All is null))
            .OverridePropertyName("body").WithMessage("Send either ids (a list of activity ids) or all: true.");
        RuleFor(r => r.All).Equal(true).When(r => r.All is not null).WithMessage("all must be true (to act on selected items, send ids).");
        RuleFor(r => r.Ids).Must(ids => ids!.Count is > 0 and <= MaxIds).When(r => r.Ids is not null)
            .WithMessage($"ids must list 1 to {MaxIds} activity ids.");
        RuleForEach(r => r.Ids).NotEmpty().MaximumLength(64);
    }
}
