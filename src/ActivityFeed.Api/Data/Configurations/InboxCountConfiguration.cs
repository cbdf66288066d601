using ActivityFeed.Api.Inbox;
using ActivityFeed.Api.Orgs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ActivityFeed.Api.Data.Configurations;

public sealed class InboxCountConfiguration : IEntityTypeConfiguration<InboxCount>
{
    public void Configure(EntityTypeBuilder<InboxCount> builder)
    {
        builder.ToTable("inbox_counts");
        builder.HasKey(c => new { c.OrgId, c.UserId });
        builder.Property(c => c.UserId).HasMaxLength(128);
        builder.HasOne<Org>().WithMany().HasForeignKey(c => c.OrgId).OnDelete(DeleteBehavior.Cascade);
    }
}
