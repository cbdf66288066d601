using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Data;

/// <summary>Secrets every server process must agree on, made once by whichever process asks first.</summary>
public sealed class ServerSecret
{
    public required string Name { get; init; }
    public required byte[] Value { get; init; }
}

public static class ServerSecrets
{
    public static async Task<byte[]> GetOrCreateAsync(IServiceScopeFactory scopes, string name, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ActivityFeedDb>();
        var candidate = RandomNumberGenerator.GetBytes(32);
        // Concurrent first starts race here; ON CONFLICT keeps the first and every process reads it back.
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO server_secrets (name, value) VALUES ({name}, {candidate}) ON CONFLICT (name) DO NOTHING", cancellationToken);
        return await db.ServerSecrets.AsNoTracking().Where(s => s.Name == name).Select(s => s.Value).SingleAsync(cancellationToken);
    }
}
