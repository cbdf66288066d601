using ActivityFeed.Api.Data.Changes;
using ActivityFeed.Api.Orgs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ActivityFeed.Api.Data.Configurations;

public sealed class ChangeEventConfiguration : IEntityTypeConfiguration<ChangeEvent>
{
    public void Configure(EntityTypeBuilder<ChangeEvent> builder)
    {
        builder.ToTable("change_events");
        builder.HasKey(e => new { e.OrgId, e.Position });
        builder.Property(e => e.Kind).HasMaxLength(16);
        builder.Property(e => e.ActivityId).HasMaxLength(64).UseCollation("C");
        builder.Property(e => e.Snapshot).HasColumnType("jsonb");
        builder.HasIndex(e => e.CreatedAt); // the retention sweep
        builder.HasOne<Org>().WithMany().HasForeignKey(e => e.OrgId).OnDelete(DeleteBehavior.Cascade);
    }
}
