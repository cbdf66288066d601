using System.Text.Json;
using FluentValidation;

namespace ActivityFeed.Api.Activities.Types;

public sealed record PutActivityTypeRequest(string? Description, JsonElement? MetadataSchema);

public sealed record ActivityTypeResponse(
    string Type,
    bool BuiltIn,
    string Source,
    string? Description,
    JsonElement MetadataSchema,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt);

public sealed class PutActivityTypeRequestValidator : AbstractValidator<PutActivityTypeRequest>
{
    public PutActivityTypeRequestValidator()
    {
        RuleFor(r => r.Description).MaximumLength(1000);
        RuleFor(r => r.MetadataSchema).NotNull().WithMessage("metadata_schema is required: a JSON Schema object ({} accepts any metadata).")
            .Must(s => s is null || s.Value.ValueKind == JsonValueKind.Object).WithMessage("metadata_schema must be a JSON object.")
            .Must(s => s is null || s.Value.GetRawText().Length <= ActivityRules.MaxMetadataBytes)
            .WithMessage($"metadata_schema may be at most {ActivityRules.MaxMetadataBytes} bytes.");
    }
}
