using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Activities.Idempotency;
using ActivityFeed.Api.Activities.Types;
using ActivityFeed.Api.Auth;
using ActivityFeed.Api.Directory;
using ActivityFeed.Api.Orgs;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Data;

// New migration: dotnet ef migrations add <Name> --project src/ActivityFeed.Api --output-dir Data/Migrations
public sealed class ActivityFeedDb(DbContextOptions<ActivityFeedDb> options) : DbContext(options)
{
    public DbSet<Org> Orgs => Set<Org>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<UserToken> UserTokens => Set<UserToken>();
    public DbSet<Inbox.InboxItem> InboxItems => Set<Inbox.InboxItem>();
    public DbSet<Inbox.InboxCount> InboxCounts => Set<Inbox.InboxCount>();
    public DbSet<Changes.ChangeEvent> ChangeEvents => Set<Changes.ChangeEvent>();
    public DbSet<Changes.ChangePosition> ChangePositions => Set<Changes.ChangePosition>();
    public DbSet<Webhooks.Webhook> Webhooks => Set<Webhooks.Webhook>();
    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();
    public DbSet<Webhooks.WebhookCursor> WebhookCursors => Set<Webhooks.WebhookCursor>();
    public DbSet<Activity> Activities => Set<Activity>();
    public DbSet<CustomActivityType> ActivityTypes => Set<CustomActivityType>();
    public DbSet<IdempotencyKey> IdempotencyKeys => Set<IdempotencyKey>();
    public DbSet<ServerSecret> ServerSecrets => Set<ServerSecret>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Assistant> Assistants => Set<Assistant>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Segment> Segments => Set<Segment>();
    public DbSet<Broadcast> Broadcasts => Set<Broadcast>();
    public DbSet<DataTable> Tables => Set<DataTable>();
    public DbSet<TableRecord> Records => Set<TableRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Lets one GIN index hold the org and the tags (see ActivityConfiguration).
        modelBuilder.HasPostgresExtension("btree_gin");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ActivityFeedDb).Assembly);
    }
}
