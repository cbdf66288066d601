using ActivityFeed.Api.Activities;
using FluentValidation;

namespace ActivityFeed.Api.Directory;

// PUT bodies (the id is the path's) and responses of the seven directory collections.

public sealed record PutUserRequest(string? Name = null, string? Email = null, string? Avatar = null, DateTimeOffset? SeenAt = null);

public sealed record UserResponse(string Id, string? Name, string? Email, string? Avatar, DateTimeOffset? SeenAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PutAssistantRequest(string? Name = null, string? AvatarUrl = null);

public sealed record AssistantResponse(string Id, string? Name, string? AvatarUrl, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PutContactRequest(string? Name = null, string? Email = null);

public sealed record ContactResponse(string Id, string? Name, string? Email, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PutSegmentRequest(string? Name = null, string? Color = null, int? ContactsCount = null, IReadOnlyList<SegmentBoard>? Boards = null);

public sealed record SegmentResponse(string Id, string? Name, string? Color, int? ContactsCount, IReadOnlyList<SegmentBoard> Boards, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PutBroadcastRequest(string? Name = null);

public sealed record BroadcastResponse(string Id, string? Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PutTableRequest(string? Name = null);

public sealed record TableResponse(string Id, string? Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PutRecordRequest(string? TableId = null, string? Name = null);

public sealed record RecordResponse(string Id, string? TableId, string? Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public static class DirectoryRules
{
    public static IRuleBuilderOptions<T, string?> Url<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(2048)
            .Must(url => url is null || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            .WithMessage("{PropertyName} must be an absolute http or https URL.");

    public static IRuleBuilderOptions<T, string?> Email<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(320).EmailAddress();
}

public sealed class PutUserRequestValidator : AbstractValidator<PutUserRequest>
{
    public PutUserRequestValidator()
    {
        RuleFor(r => r.Name).MaximumLength(200);
        RuleFor(r => r.Email).Email();
        RuleFor(r => r.Avatar).Url();
    }
}

public sealed class PutAssistantRequestValidator : AbstractValidator<PutAssistantRequest>
{
    public PutAssistantRequestValidator()
    {
        RuleFor(r => r.Name).MaximumLength(200);
        RuleFor(r => r.AvatarUrl).Url();
    }
}

public sealed class PutContactRequestValidator : AbstractValidator<PutContactRequest>
{
    public PutContactRequestValidator()
    {
        RuleFor(r => r.Name).MaximumLength(200);
        RuleFor(r => r.Email).Email();
    }
}

public sealed class SegmentBoardValidator : AbstractValidator<SegmentBoard>
{
    public SegmentBoardValidator()
    {
        RuleFor(b => b.BoardId).NotEmpty().ClientId();
        RuleFor(b => b.BoardName).MaximumLength(200);
        RuleFor(b => b.ColumnId).ClientId();
    }
}

public sealed class PutSegmentRequestValidator : AbstractValidator<PutSegmentRequest>
{
    public PutSegmentRequestValidator()
    {
        RuleFor(r => r.Name).MaximumLength(200);
        RuleFor(r => r.Color).MaximumLength(32);
        RuleFor(r => r.ContactsCount).GreaterThanOrEqualTo(0);
        RuleFor(r => r.Boards).Must(b => b is null || b.Count <= 100).WithMessage("At most 100 boards.");
        RuleForEach(r => r.Boards).SetValidator(new SegmentBoardValidator());
    }
}

public sealed class PutNamedRequestValidators : AbstractValidator<PutBroadcastRequest>
{
    public PutNamedRequestValidators() => RuleFor(r => r.Name).MaximumLength(200);
}

public sealed class PutTableRequestValidator : AbstractValidator<PutTableRequest>
{
    public PutTableRequestValidator() => RuleFor(r => r.Name).MaximumLength(200);
}

public sealed class PutRecordRequestValidator : AbstractValidator<PutRecordRequest>
{
    public PutRecordRequestValidator()
    {
        RuleFor(r => r.TableId).ClientId();
        RuleFor(r => r.Name).MaximumLength(200);
    }
}
