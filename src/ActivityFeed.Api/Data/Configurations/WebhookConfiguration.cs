using ActivityFeed.Api.Orgs;
using ActivityFeed.Api.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ActivityFeed.Api.Data.Configurations;

public sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> builder)
    {
        builder.ToTable("webhooks");
        builder.HasKey(w => new { w.OrgId, w.Id });
        builder.Property(w => w.Id).HasMaxLength(64).UseCollation("C"); // keyset paging compares ids as the API does
        builder.Property(w => w.Url).HasMaxLength(2048);
        builder.Property(w => w.Description).HasMaxLength(500);
        builder.Property(w => w.Filters).HasColumnType("jsonb");
        builder.Property(w => w.Secret).HasMaxLength(100);
        builder.HasOne<Org>().WithMany().HasForeignKey(w => w.OrgId).OnDelete(DeleteBehavior.Cascade);
    }
}
