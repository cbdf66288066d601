using ActivityFeed.Api.Activities.Idempotency;
using ActivityFeed.Api.Orgs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ActivityFeed.Api.Data.Configurations;

public sealed class IdempotencyKeyConfiguration : IEntityTypeConfiguration<IdempotencyKey>
{
    public void Configure(EntityTypeBuilder<IdempotencyKey> builder)
    {
        builder.ToTable("idempotency_keys");
        builder.HasKey(k => new { k.OrgId, k.Key });
        builder.Property(k => k.Key).HasMaxLength(255);
        builder.Property(k => k.ResponseBody).HasColumnType("jsonb");
        builder.HasIndex(k => k.ExpiresAt); // the sweeper's range scan across orgs
        builder.HasOne<Org>().WithMany().HasForeignKey(k => k.OrgId).OnDelete(DeleteBehavior.Cascade);
    }
}
