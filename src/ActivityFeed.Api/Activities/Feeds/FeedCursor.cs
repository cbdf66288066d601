using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using ActivityFeed.Api.Data;
using Microsoft.Extensions.Options;

namespace ActivityFeed.Api.Activities.Feeds;

/// <summary>
/// The keyset position after a page, with everything needed to fetch the next one: the feed it
/// belongs to, its filters and sort (canonical text), and the last row's sort value and id.
/// </summary>
public sealed record FeedCursor(string Feed, IReadOnlyDictionary<string, string> Parameters, long SortValueMicros, string LastId)
{
    public static long ToMicros(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);
}

/// <summary>
/// Cursors are opaque and tamper-evident: JSON, base64url, and an HMAC-SHA256 tag with a key every
/// server process shares (<see cref="CursorKey"/>), so any process can continue any client's walk.
/// </summary>
public sealed class CursorCodec(CursorKey key)
{
    private const int TagBytes = 16;

    private sealed record Payload(string F, SortedDictionary<string, string> P, long V, string I);

    public async Task<string> EncodeAsync(FeedCursor cursor, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(cursor.Feed, new SortedDictionary<string, string>(cursor.Parameters.ToDictionary(), StringComparer.Ordinal), cursor.SortValueMicros, cursor.LastId));
        var tag = HMACSHA256.HashData(await key.GetAsync(cancellationToken), payload).AsSpan(0, TagBytes);
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(tag)}";
    }

    /// <returns>Null for anything this server did not issue, or that was altered.</returns>
    public async Task<FeedCursor?> DecodeAsync(string text, CancellationToken cancellationToken)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || text.Length > 8192)
        {
            return null;
        }

        try
        {
            var payload = Base64Url.DecodeFromChars(text.AsSpan(0, dot));
            var tag = Base64Url.DecodeFromChars(text.AsSpan(dot + 1));
            var expected = HMACSHA256.HashData(await key.GetAsync(cancellationToken), payload).AsSpan(0, TagBytes);
            if (!CryptographicOperations.FixedTimeEquals(tag, expected))
            {
                return null;
            }

            var decoded = JsonSerializer.Deserialize<Payload>(payload);
            return decoded is { F: not null, P: not null, I: not null } ? new FeedCursor(decoded.F, decoded.P, decoded.V, decoded.I) : null;
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// The cursor signing key: <c>ActivityFeed:CursorSecret</c> (base64, 32+ bytes) when configured,
/// otherwise a random key created once in the database and shared by every process that uses it.
/// </summary>
public sealed class CursorKey(IServiceScopeFactory scopes, IOptions<CursorOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private byte[]? _key;

    public async ValueTask<byte[]> GetAsync(CancellationToken cancellationToken)
    {
        if (_key is not null)
        {
            return _key;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            _key ??= options.Value.Key ?? await ServerSecrets.GetOrCreateAsync(scopes, "cursor_signing_key", cancellationToken);
            return _key;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
