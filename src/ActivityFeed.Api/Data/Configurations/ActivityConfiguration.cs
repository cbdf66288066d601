using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Orgs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ActivityFeed.Api.Data.Configurations;

public sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    private const int ClientIdLength = 128;

    private static void FilterIndex(EntityTypeBuilder<Activity> builder, System.Linq.Expressions.Expression<Func<Activity, object?>> columns, string column) =>
        builder.HasIndex(columns, IndexName(column)).HasDatabaseName(IndexName(column)).HasFilter($"{column} IS NOT NULL");

    private static string IndexName(string column) => $"ix_activities_org_{column.Replace("_id", "", StringComparison.Ordinal)}";

    public void Configure(EntityTypeBuilder<Activity> builder)
    {
        builder.ToTable("activities");
        // Org first in every key and index: the table can be distributed or partitioned by org as is.
        builder.HasKey(a => new { a.OrgId, a.Id });
        builder.Property(a => a.Id).HasMaxLength(64).UseCollation("C"); // byte order: keyset paging compares ids as the API does
        builder.Property(a => a.Type).HasMaxLength(64);
        foreach (var clientId in new[]
                 {
                     nameof(Activity.ActorId), nameof(Activity.AssistantId), nameof(Activity.ContactId),
                     nameof(Activity.VisitorId), nameof(Activity.CustomerId), nameof(Activity.TableId),
                     nameof(Activity.RecordId), nameof(Activity.SegmentId), nameof(Activity.BroadcastId),
                     nameof(Activity.RelationId), nameof(Activity.ExternalId),
                 })
        {
            builder.Property(clientId).HasMaxLength(ClientIdLength);
        }

        builder.Property(a => a.RelationType).HasMaxLength(64);
        builder.Property(a => a.Channel).HasMaxLength(64);
        builder.Property(a => a.Note).HasColumnType("jsonb");
        builder.Property(a => a.File).HasColumnType("jsonb");
        builder.Property(a => a.Attachments).HasColumnType("jsonb");
        builder.Property(a => a.Metadata).HasColumnType("jsonb").HasDefaultValueSql("'{}'::jsonb");

        // Feed indexes: each documented filter leads with the org, then the filter, then the default
        // sort (occurred_at, id); btree scans serve either sort order. Partial where the column is
        // optional, so rows without it cost nothing. Proven by FeedIndexTests and docs/benchmarks.md.
        builder.HasIndex(a => new { a.OrgId, a.OccurredAt, a.Id }).IsDescending(false, true, true);
        builder.HasIndex(a => new { a.OrgId, a.CreatedAt, a.Id }, "ix_activities_org_created").HasDatabaseName("ix_activities_org_created");
        builder.HasIndex(a => new { a.OrgId, a.UpdatedAt, a.Id }, "ix_activities_org_updated").HasDatabaseName("ix_activities_org_updated");
        builder.HasIndex(a => new { a.OrgId, a.Type, a.OccurredAt, a.Id }, "ix_activities_org_type").HasDatabaseName("ix_activities_org_type");
        FilterIndex(builder, a => new { a.OrgId, a.ActorId, a.OccurredAt, a.Id }, "actor_id");
        FilterIndex(builder, a => new { a.OrgId, a.AssistantId, a.OccurredAt, a.Id }, "assistant_id");
        FilterIndex(builder, a => new { a.OrgId, a.SegmentId, a.OccurredAt, a.Id }, "segment_id");
        FilterIndex(builder, a => new { a.OrgId, a.ContactId, a.OccurredAt, a.Id }, "contact_id");
        FilterIndex(builder, a => new { a.OrgId, a.VisitorId, a.OccurredAt, a.Id }, "visitor_id");
        FilterIndex(builder, a => new { a.OrgId, a.CustomerId, a.OccurredAt, a.Id }, "customer_id");
        FilterIndex(builder, a => new { a.OrgId, a.TableId, a.OccurredAt, a.Id }, "table_id");
        FilterIndex(builder, a => new { a.OrgId, a.RecordId, a.OccurredAt, a.Id }, "record_id");
        FilterIndex(builder, a => new { a.OrgId, a.BroadcastId, a.OccurredAt, a.Id }, "broadcast_id");
        FilterIndex(builder, a => new { a.OrgId, a.Channel, a.OccurredAt, a.Id }, "channel");
        FilterIndex(builder, a => new { a.OrgId, a.RelationType, a.OccurredAt, a.Id }, "relation_type");
        builder.HasIndex(a => new { a.OrgId, a.RelationType, a.RelationId, a.OccurredAt, a.Id }, "ix_activities_org_relation")
            .HasDatabaseName("ix_activities_org_relation").HasFilter("relation_id IS NOT NULL");
        // Named overload: an unnamed HasIndex on the same columns would reconfigure the org index above.
        builder.HasIndex(a => new { a.OrgId, a.OccurredAt, a.Id }, "ix_activities_org_pinned").HasDatabaseName("ix_activities_org_pinned").HasFilter("pinned_at IS NOT NULL");
        // Tag filters are array overlaps: a GIN index, with the org in it (btree_gin).
        builder.HasIndex(a => new { a.OrgId, a.Tags }, "ix_activities_org_tags").HasDatabaseName("ix_activities_org_tags").HasMethod("gin");
        builder.HasIndex(a => new { a.OrgId, a.ExternalId }).IsUnique().HasFilter("external_id IS NOT NULL");
        builder.HasOne<Org>().WithMany().HasForeignKey(a => a.OrgId).OnDelete(DeleteBehavior.Cascade);
    }
}
