namespace ActivityFeed.Tests.Infrastructure;

/// <summary>
/// The in-process server with two seeded orgs, A and B, for the adversarial suites: the rate
/// limits stay on but far above what thousands of probes a minute need, and webhook deliveries are
/// off (registrations still answer), so generated input never dials out.
/// </summary>
public sealed class TwoTenantApiFactory(PostgresServer server) : ApiFactory(server), IAsyncLifetime
{
    public TenantData A { get; private set; } = null!;

    public TenantData B { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["ActivityFeed:RateLimit:Enabled"] = "true",
        ["ActivityFeed:RateLimit:PermitsPerSecond"] = "1000000",
        ["ActivityFeed:RateLimit:Burst"] = "1000000",
        ["ActivityFeed:RateLimit:FailedAuthPerMinute"] = "1000000",
        ["ActivityFeed:RateLimit:FailedAuthBurst"] = "1000000",
        ["ActivityFeed:Webhooks:DeliveryEnabled"] = "false",
        ["ActivityFeed:Webhooks:AllowLoopback"] = "true",
    };

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        await base.InitializeAsync();
        A = await TenantData.SeedAsync(this, "ta");
        B = await TenantData.SeedAsync(this, "tb");
    }
}
