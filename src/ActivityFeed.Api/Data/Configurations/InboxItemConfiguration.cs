using ActivityFeed.Api.Inbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ActivityFeed.Api.Data.Configurations;

public sealed class InboxItemConfiguration : IEntityTypeConfiguration<InboxItem>
{
    public void Configure(EntityTypeBuilder<InboxItem> builder)
    {
        builder.ToTable("inbox_items");
        builder.HasKey(i => new { i.OrgId, i.UserId, i.ActivityId });
        builder.Property(i => i.UserId).HasMaxLength(128);
        builder.Property(i => i.ActivityId).HasMaxLength(64).UseCollation("C"); // as activities.id: keyset ties compare in byte order
        // Deleting or erasing an activity takes its inbox items with it, in the same statement.
        builder.HasOne(i => i.Activity).WithMany()
            .HasForeignKey(i => new { i.OrgId, i.ActivityId }).HasPrincipalKey(a => new { a.OrgId, a.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(i => new { i.OrgId, i.ActivityId }, "ix_inbox_items_org_activity").HasDatabaseName("ix_inbox_items_org_activity");

        // The inbox list, one index per sort for the default tab, and one per status tab in the
        // default sort; partial, so each tab and each count reads only its own rows. Counts are
        // index-only scans of the unread, unseen and not-archived indexes.
        Index(builder, "occurred", i => new { i.OrgId, i.UserId, i.OccurredAt, i.ActivityId }, "archived_at IS NULL");
        Index(builder, "created", i => new { i.OrgId, i.UserId, i.CreatedAt, i.ActivityId }, "archived_at IS NULL");
        Index(builder, "updated", i => new { i.OrgId, i.UserId, i.UpdatedAt, i.ActivityId }, "archived_at IS NULL");
        Index(builder, "unread", i => new { i.OrgId, i.UserId, i.OccurredAt, i.ActivityId }, "archived_at IS NULL AND read_at IS NULL");
        Index(builder, "read", i => new { i.OrgId, i.UserId, i.OccurredAt, i.ActivityId }, "archived_at IS NULL AND read_at IS NOT NULL");
        Index(builder, "unseen", i => new { i.OrgId, i.UserId, i.OccurredAt, i.ActivityId }, "archived_at IS NULL AND seen_at IS NULL");
        Index(builder, "archived", i => new { i.OrgId, i.UserId, i.OccurredAt, i.ActivityId }, "archived_at IS NOT NULL");
    }

    private static void Index(EntityTypeBuilder<InboxItem> builder, string name, System.Linq.Expressions.Expression<Func<InboxItem, object?>> columns, string filter) =>
        builder.HasIndex(columns, $"ix_inbox_items_{name}").HasDatabaseName($"ix_inbox_items_{name}").HasFilter(filter);
}
