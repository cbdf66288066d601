using ActivityFeed.Api.Infrastructure.Identifiers;
using FluentValidation;

namespace ActivityFeed.Api.Directory;

// PUT bodies (the id is the path's) and responses of the seven directory collections.

// The fields an entry has, shared by its PUT body and the object an activity may embed, so both
// are checked by the same rules.

public interface IUserFields
{
    string? Name { get; }
    string? Email { get; }
    string? Avatar { get; }
}

public interface IAssistantFields
{
    string? Name { get; }
    string? AvatarUrl { get; }
}

public interface ISegmentFields
{
    string? Name { get; }
    string? Color { get; }
    int? ContactsCount { get; }
    IReadOnlyList<SegmentBoard>? Boards { get; }
}

public interface INamedFields
{
    string? Name { get; }
}

public sealed record PutUserRequest(string? Name = null, string? Email = null, string? Avatar = null, DateTimeOffset? SeenAt = null) : IUserFields;

public sealed record UserResponse(string Id, string? Name, string? Email, string? Avatar, DateTimeOffset? SeenAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PutAssistantRequest(string? Name = null, string? AvatarUrl = null) : IAssistantFields;

public sealed record AssistantResponse(string Id, string? Name, string? AvatarUrl, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PutContactRequest(string? Name = null, string? Email = null);

public sealed record ContactResponse(string Id, string? Name, string? Email, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PutSegmentRequest(string? Name = null, string? Color = null, int? ContactsCount = null, IReadOnlyList<SegmentBoard>? Boards = null) : ISegmentFields;

public sealed record SegmentResponse(string Id, string? Name, string? Color, int? ContactsCount, IReadOnlyList<SegmentBoard> Boards, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PutBroadcastRequest(string? Name = null) : INamedFields;

public sealed record BroadcastResponse(string Id, string? Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PutTableRequest(string? Name = null) : INamedFields;

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

public sealed class UserFieldsValidator : AbstractValidator<IUserFields>
{
    public UserFieldsValidator()
    {
        RuleFor(r => r.Name).MaximumLength(200);
        RuleFor(r => r.Email).Email();
        RuleFor(r => r.Avatar).Url();
    }
}

public sealed class AssistantFieldsValidator : AbstractValidator<IAssistantFields>
{
    public AssistantFieldsValidator()
    {
        RuleFor(r => r.Name).MaximumLength(200);
        RuleFor(r => r.AvatarUrl).Url();
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

public sealed class SegmentFieldsValidator : AbstractValidator<ISegmentFields>
{
    public SegmentFieldsValidator()
    {
        RuleFor(r => r.Name).MaximumLength(200);
        RuleFor(r => r.Color).MaximumLength(32);
        RuleFor(r => r.ContactsCount).GreaterThanOrEqualTo(0);
        RuleFor(r => r.Boards).Must(b => b is null || b.Count <= 100).WithMessage("At most 100 boards.");
        RuleForEach(r => r.Boards).SetValidator(new SegmentBoardValidator());
    }
}

public sealed class NamedFieldsValidator : AbstractValidator<INamedFields>
{
    public NamedFieldsValidator() => RuleFor(r => r.Name).MaximumLength(200);
}

public sealed class PutUserRequestValidator : AbstractValidator<PutUserRequest>
{
    public PutUserRequestValidator() => Include(new UserFieldsValidator());
}

public sealed class PutAssistantRequestValidator : AbstractValidator<PutAssistantRequest>
{
    public PutAssistantRequestValidator() => Include(new AssistantFieldsValidator());
}

public sealed class PutContactRequestValidator : AbstractValidator<PutContactRequest>
{
    public PutContactRequestValidator()
    {
        RuleFor(r => r.Name).MaximumLength(200);
        RuleFor(r => r.Email).Email();
    }
}

public sealed class PutSegmentRequestValidator : AbstractValidator<PutSegmentRequest>
{
    public PutSegmentRequestValidator() => Include(new SegmentFieldsValidator());
}

public sealed class PutBroadcastRequestValidator : AbstractValidator<PutBroadcastRequest>
{
    public PutBroadcastRequestValidator() => Include(new NamedFieldsValidator());
}

public sealed class PutTableRequestValidator : AbstractValidator<PutTableRequest>
{
    public PutTableRequestValidator() => Include(new NamedFieldsValidator());
}

public sealed class PutRecordRequestValidator : AbstractValidator<PutRecordRequest>
{
    public PutRecordRequestValidator()
    {
        RuleFor(r => r.TableId).ClientId();
        RuleFor(r => r.Name).MaximumLength(200);
    }
}
