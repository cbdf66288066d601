using FluentValidation;

namespace ActivityFeed.Api.Auth;

public sealed record CreateApiKeyRequest(string? Name, string[]? Scopes);

/// <summary>The only response that ever carries the secret.</summary>
public sealed record CreatedApiKeyResponse(string Id, string Name, string[] Scopes, string Key, DateTimeOffset CreatedAt);

public sealed record ApiKeyResponse(string Id, string Name, string[] Scopes, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

public sealed class CreateApiKeyRequestValidator : AbstractValidator<CreateApiKeyRequest>
{
    public CreateApiKeyRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Scopes).NotEmpty().WithMessage("scopes must list at least one of: " + string.Join(", ", Auth.Scopes.All) + ".");
        RuleForEach(r => r.Scopes).Must(Auth.Scopes.IsKnown)
            .WithMessage((_, scope) => $"Unknown scope '{scope}'; expected one of: {string.Join(", ", Auth.Scopes.All)}.");
    }
}
