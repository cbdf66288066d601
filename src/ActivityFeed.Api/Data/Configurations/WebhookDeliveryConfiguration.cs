using ActivityFeed.Api.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ActivityFeed.Api.Data.Configurations;

public sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => new { d.OrgId, d.Id });
        builder.Property(d => d.Id).HasMaxLength(64).UseCollation("C");
        builder.Property(d => d.WebhookId).HasMaxLength(64).UseCollation("C");
        builder.Property(d => d.EventId).HasMaxLength(64);
        builder.Property(d => d.EventType).HasMaxLength(32);
        builder.Property(d => d.ActivityId).HasMaxLength(64);
        builder.Property(d => d.Status).HasMaxLength(16);
        builder.Property(d => d.LastError).HasMaxLength(500);
        builder.HasOne<Webhook>().WithMany().HasForeignKey(d => new { d.OrgId, d.WebhookId }).OnDelete(DeleteBehavior.Cascade);
        // A webhook's deliveries, newest first (ids are ULIDs: time-ordered).
        builder.HasIndex(d => new { d.OrgId, d.WebhookId, d.Id });
        // What is due per webhook (the claim, and whether a webhook has any): only pending rows, so finished ones cost the index nothing.
        builder.HasIndex(d => new { d.OrgId, d.WebhookId, d.NextAttemptAt }).HasFilter("status = 'pending'")
            .HasDatabaseName("ix_webhook_deliveries_due");
        // Pending deliveries whose retry window closes (a webhook disabled for longer than it).
        builder.HasIndex(d => d.GiveUpAt).HasFilter("status = 'pending'").HasDatabaseName("ix_webhook_deliveries_expiry");
    }
}
