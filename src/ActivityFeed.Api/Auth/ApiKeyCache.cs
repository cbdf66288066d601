using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;

namespace ActivityFeed.Api.Auth;

/// <summary>
/// API keys that authenticated recently, by secret hash, so a request does not look its key up
/// again. Revocation is honoured at once by the process that revokes (it forgets the org's keys)
/// and within <see cref="Lifetime"/> by every other process sharing the database. User tokens are
/// not cached: they expire and are revoked per user, and cost one indexed lookup.
/// </summary>
public sealed class ApiKeyCache : IDisposable
{
    // Its own store, bounded, so a flood of distinct valid keys cannot grow it without limit.
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    /// <summary>The longest another server process keeps accepting a key revoked elsewhere.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    // last_used_at is a hint for operators, not an audit log: one write a minute per key per process.
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    // Bumped when a key of the org is revoked here: entries of an older generation are misses.
    private readonly ConcurrentDictionary<string, long> generations = new(StringComparer.Ordinal);

    public sealed class Entry(string orgId, string id, string[] scopes, long generation, DateTimeOffset? lastUsedAt)
    {
        public string OrgId { get; } = orgId;
        public string Id { get; } = id;
        public string[] Scopes { get; } = scopes;
        public long Generation { get; } = generation;
        private long lastUsedTicks = lastUsedAt?.UtcTicks ?? 0;

        /// <summary>True for one caller a minute: that caller writes last_used_at.</summary>
        public bool ClaimLastUsedWrite(DateTimeOffset now)
        {
            var seen = Interlocked.Read(ref lastUsedTicks);
            return now.UtcTicks - seen > LastUsedResolution.Ticks
                   && Interlocked.CompareExchange(ref lastUsedTicks, now.UtcTicks, seen) == seen;
        }
    }

    public long Generation(string orgId) => generations.GetValueOrDefault(orgId);

    public Entry? Find(string orgId, byte[] secretHash) =>
        cache.TryGetValue(Key(secretHash), out Entry? entry) && entry!.OrgId == orgId && entry.Generation == Generation(orgId) ? entry : null;

    public void Remember(byte[] secretHash, Entry entry) =>
        cache.Set(Key(secretHash), entry, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime, Size = 1 });

    /// <summary>After a revocation has committed: this process stops accepting every cached key of the org.</summary>
    public void ForgetOrg(string orgId) => generations.AddOrUpdate(orgId, 1, (_, generation) => generation + 1);

    private static string Key(byte[] secretHash) => "api-key:" + Convert.ToHexString(secretHash);

    public void Dispose() => cache.Dispose();
}
