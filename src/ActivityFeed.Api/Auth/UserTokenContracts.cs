using ActivityFeed.Api.Infrastructure.Json;
using FluentValidation;

namespace ActivityFeed.Api.Auth;

/// <summary>Either <c>expires_in</c> (seconds) or <c>expires_at</c>; neither means one hour.</summary>
public sealed record CreateUserTokenRequest(long? ExpiresIn = null, DateTimeOffset? ExpiresAt = null)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);

    public DateTimeOffset ExpiryFrom(DateTimeOffset now) =>
        ExpiresAt is { } at ? Timestamps.Truncate(at.ToUniversalTime()) : now + (ExpiresIn is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultLifetime);
}

/// <summary>The only response that ever carries the secret.</summary>
public sealed record CreatedUserTokenResponse(string Id, string Token, string UserId, DateTimeOffset ExpiresAt);

public sealed record UserTokenResponse(string Id, string UserId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt);

public sealed class CreateUserTokenRequestValidator : AbstractValidator<CreateUserTokenRequest>
{
    public CreateUserTokenRequestValidator(TimeProvider clock)
    {
        var maxSeconds = (long)CreateUserTokenRequest.MaxLifetime.TotalSeconds;
        RuleFor(r => r.ExpiresIn).InclusiveBetween(1, maxSeconds)
            .WithMessage($"expires_in must be a whole number of seconds from 1 to {maxSeconds} (30 days).");
        RuleFor(r => r.ExpiresAt)
            .Must(at => at > clock.GetUtcNow()).WithMessage("expires_at must be in the future.")
            .Must(at => at <= clock.GetUtcNow() + CreateUserTokenRequest.MaxLifetime).WithMessage("expires_at may be at most 30 days away.")
            .When(r => r.ExpiresAt is not null);
        RuleFor(r => r).Must(r => r.ExpiresIn is null || r.ExpiresAt is null)
            .WithName("expires_at").OverridePropertyName("expires_at")
            .WithMessage("Give expires_in or expires_at, not both.");
    }
}
