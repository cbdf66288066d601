using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Orgs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ActivityFeed.Api.Data.Configurations;

public sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    private const int ClientIdLength = 128;

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

        builder.HasIndex(a => new { a.OrgId, a.OccurredAt, a.Id }).IsDescending(false, true, true);
        builder.HasIndex(a => new { a.OrgId, a.ExternalId }).IsUnique().HasFilter("external_id IS NOT NULL");
        builder.HasOne<Org>().WithMany().HasForeignKey(a => a.OrgId).OnDelete(DeleteBehavior.Cascade);
    }
}
