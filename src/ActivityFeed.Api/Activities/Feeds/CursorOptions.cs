using Microsoft.Extensions.Options;

namespace ActivityFeed.Api.Activities.Feeds;

/// <summary><c>ActivityFeed:CursorSecret</c>: base64 of 32 or more bytes, or unset to keep a key in the database.</summary>
public sealed class CursorOptions
{
    public const string Section = "ActivityFeed";
    public const string SettingName = "ActivityFeed:CursorSecret";
    public const int MinimumKeyBytes = 32;

    public string? CursorSecret { get; set; }

    /// <summary>The configured key, or null when none is configured.</summary>
    public byte[]? Key => string.IsNullOrWhiteSpace(CursorSecret) ? null : Convert.FromBase64String(CursorSecret);
}

/// <summary>Checked at start-up, so a bad secret stops the server rather than failing the first paged request.</summary>
public sealed class CursorOptionsValidator : IValidateOptions<CursorOptions>
{
    public ValidateOptionsResult Validate(string? name, CursorOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CursorSecret))
        {
            return ValidateOptionsResult.Success;
        }

        var bytes = new byte[options.CursorSecret.Length];
        // The message never repeats the secret.
        return Convert.TryFromBase64String(options.CursorSecret, bytes, out var length) && length >= CursorOptions.MinimumKeyBytes
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{CursorOptions.SettingName} must be base64 of at least {CursorOptions.MinimumKeyBytes} bytes (e.g. `openssl rand -base64 32`), or unset to use a key kept in the database.");
    }
}
