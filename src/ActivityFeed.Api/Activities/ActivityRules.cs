using System.Text.Json;
using ActivityFeed.Api.Directory;
using ActivityFeed.Api.Infrastructure.Identifiers;
using FluentValidation;

namespace ActivityFeed.Api.Activities;

/// <summary>The field rules shared by create, batch and patch, so a value is judged the same way everywhere.</summary>
public static class ActivityRules
{
    public const string TypePattern = @"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$";
    public const int MaxTags = 20;
    public const int MaxTagLength = 64;
    public const int MaxAttachments = 50;
    public const int MaxRecipients = 100;
    public const int MaxMetadataBytes = 64 * 1024;

    public static IRuleBuilderOptions<T, string?> ActivityType<T>(this IRuleBuilder<T, string?> rule) =>
        rule.NotEmpty().MaximumLength(64).Matches(TypePattern)
            .WithMessage("type must be lowercase words of a-z 0-9 _ separated by dots, starting with a letter (e.g. contact_updated, message.sent).");

    public static IRuleBuilderOptions<T, string?> Text<T>(this IRuleBuilder<T, string?> rule, int maxLength) => rule.MaximumLength(maxLength);

    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> Tags<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule) =>
        rule.Must(tags => tags is null || tags.Count <= MaxTags).WithMessage($"At most {MaxTags} tags.")
            .Must(tags => tags is null || tags.All(t => !string.IsNullOrWhiteSpace(t) && t.Length <= MaxTagLength && !t.Any(char.IsControl)))
            .WithMessage($"Each tag must be 1-{MaxTagLength} printable characters.");

    public static IRuleBuilderOptions<T, string?> Channel<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Matches("^[A-Z][A-Z0-9_]{0,31}$").WithMessage("channel must be an upper-case token such as EMAIL, LINKEDIN, MANUAL, SMS (A-Z 0-9 _, up to 32).");

    public static IRuleBuilderOptions<T, JsonElement?> MetadataObject<T>(this IRuleBuilder<T, JsonElement?> rule) =>
        rule.Must(m => m is null || m.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null).WithMessage("metadata must be a JSON object.")
            .Must(m => m is null || m.Value.GetRawText().Length <= MaxMetadataBytes).WithMessage($"metadata may be at most {MaxMetadataBytes} bytes.");

    /// <summary>Child validators are skipped for a null relation, which is allowed.</summary>
    public static void RelationRules<T>(this AbstractValidator<T> validator, System.Linq.Expressions.Expression<Func<T, Relation?>> relation) =>
        validator.RuleFor(relation).SetValidator(new RelationValidator()!);
}

public sealed class RelationValidator : AbstractValidator<Relation>
{
    public RelationValidator()
    {
        RuleFor(x => x.Type).NotEmpty().MaximumLength(64).Matches("^[a-z][a-z0-9_]*$")
            .WithMessage("relation.type must be a lowercase word such as product, task, media, note.");
        RuleFor(x => x.Id).NotEmpty().ClientId();
    }
}

public sealed class FileObjectValidator : AbstractValidator<FileObject>
{
    public FileObjectValidator()
    {
        RuleFor(f => f.Id).ClientId();
        RuleFor(f => f.FileFilename).NotEmpty().MaximumLength(255);
        RuleFor(f => f.FileSize).GreaterThanOrEqualTo(0);
        RuleFor(f => f.FileMimetype).MaximumLength(255).Matches(@"^[\w.+-]+/[\w.+-]+$").When(f => f.FileMimetype is not null)
            .WithMessage("file_mimetype must look like type/subtype.");
        RuleFor(f => f.FileUrl).MaximumLength(2048)
            .Must(url => url is null || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            .WithMessage("file_url must be an absolute http or https URL.");
        RuleFor(f => f.FilePath).MaximumLength(1024);
    }
}

/// <summary>An embedded object is its directory entry's fields plus a required id.</summary>
public static class EmbeddedObjectValidators
{
    public sealed class Actor : AbstractValidator<ActorInput>
    {
        public Actor()
        {
            RuleFor(a => a.Id).NotEmpty().ClientId();
            Include(new UserFieldsValidator());
        }
    }

    public sealed class Assistant : AbstractValidator<AssistantInput>
    {
        public Assistant()
        {
            RuleFor(a => a.Id).NotEmpty().ClientId();
            Include(new AssistantFieldsValidator());
        }
    }

    public sealed class Segment : AbstractValidator<SegmentInput>
    {
        public Segment()
        {
            RuleFor(s => s.Id).NotEmpty().ClientId();
            Include(new SegmentFieldsValidator());
        }
    }

    public sealed class Broadcast : AbstractValidator<BroadcastInput>
    {
        public Broadcast()
        {
            RuleFor(b => b.Id).NotEmpty().ClientId();
            Include(new NamedFieldsValidator());
        }
    }

    public sealed class NoteUser : AbstractValidator<NoteUserInput>
    {
        public NoteUser()
        {
            RuleFor(u => u.Id).NotEmpty().ClientId();
            Include(new UserFieldsValidator());
        }
    }
}

public sealed class NoteInputValidator : AbstractValidator<NoteInput>
{
    public NoteInputValidator()
    {
        RuleFor(n => n.User).SetValidator(new EmbeddedObjectValidators.NoteUser()!);
        RuleFor(n => n.User!.Id).Equal(n => n.UserId).When(n => n.User is not null && n.UserId is not null)
            .OverridePropertyName("user.id").WithMessage("note.user_id and note.user.id differ; send one of them.");
        RuleFor(n => n.Id).ClientId();
        RuleFor(n => n.UserId).ClientId();
        RuleFor(n => n.Content).MaximumLength(20_000);
        RuleFor(n => n.Attachments).Must(a => a is null || a.Count <= ActivityRules.MaxAttachments)
            .WithMessage($"At most {ActivityRules.MaxAttachments} attachments.");
        RuleForEach(n => n.Attachments).SetValidator(new FileObjectValidator());
    }
}

public sealed class CreateActivityRequestValidator : AbstractValidator<CreateActivityRequest>
{
    public CreateActivityRequestValidator()
    {
        RuleFor(a => a.Type).ActivityType();
        foreach (var id in new System.Linq.Expressions.Expression<Func<CreateActivityRequest, string?>>[]
                 {
                     a => a.ActorId, a => a.AssistantId, a => a.ContactId, a => a.VisitorId, a => a.CustomerId,
                     a => a.TableId, a => a.RecordId, a => a.SegmentId, a => a.BroadcastId, a => a.ExternalId,
                 })
        {
            RuleFor(id).ClientId(); // null passes: the fields are optional
        }

        this.RelationRules(a => a.Relation);
        RuleFor(a => a.Actor).SetValidator(new EmbeddedObjectValidators.Actor()!);
        RuleFor(a => a.Assistant).SetValidator(new EmbeddedObjectValidators.Assistant()!);
        RuleFor(a => a.Segment).SetValidator(new EmbeddedObjectValidators.Segment()!);
        RuleFor(a => a.Broadcast).SetValidator(new EmbeddedObjectValidators.Broadcast()!);
        RuleFor(a => a.Actor!.Id).Equal(a => a.ActorId).When(a => a.Actor is not null && a.ActorId is not null).OverridePropertyName("actor.id").WithMessage("actor_id and actor.id differ; send one of them.");
        RuleFor(a => a.Assistant!.Id).Equal(a => a.AssistantId).When(a => a.Assistant is not null && a.AssistantId is not null).OverridePropertyName("assistant.id").WithMessage("assistant_id and assistant.id differ; send one of them.");
        RuleFor(a => a.Segment!.Id).Equal(a => a.SegmentId).When(a => a.Segment is not null && a.SegmentId is not null).OverridePropertyName("segment.id").WithMessage("segment_id and segment.id differ; send one of them.");
        RuleFor(a => a.Broadcast!.Id).Equal(a => a.BroadcastId).When(a => a.Broadcast is not null && a.BroadcastId is not null).OverridePropertyName("broadcast.id").WithMessage("broadcast_id and broadcast.id differ; send one of them.");
        RuleFor(a => a.Title).Text(500);
        RuleFor(a => a.Description).Text(10_000);
        RuleFor(a => a.FormattedDescription).Text(20_000);
        RuleFor(a => a.Comment).Text(20_000);
        RuleFor(a => a.Note).SetValidator(new NoteInputValidator()!);
        RuleFor(a => a.File).SetValidator(new FileObjectValidator()!);
        RuleFor(a => a.Attachments).Must(a => a is null || a.Count <= ActivityRules.MaxAttachments)
            .WithMessage($"At most {ActivityRules.MaxAttachments} attachments.");
        RuleForEach(a => a.Attachments).SetValidator(new FileObjectValidator());
        RuleFor(a => a.Tags).Tags();
        RuleFor(a => a.PinnedAt).Null().When(a => a.Pinned is not null).WithMessage("Send pinned or pinned_at, not both.");
        RuleFor(a => a.Channel).Channel();
        RuleFor(a => a.Recipients).Must(r => r is null || r.Count <= ActivityRules.MaxRecipients)
            .WithMessage($"At most {ActivityRules.MaxRecipients} recipients.");
        RuleForEach(a => a.Recipients).NotEmpty().ClientId();
        RuleFor(a => a.Metadata).MetadataObject();
    }
}
