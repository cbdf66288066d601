using ActivityFeed.Api.Activities.Types;
using ActivityFeed.Api.Orgs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ActivityFeed.Api.Data.Configurations;

public sealed class CustomActivityTypeConfiguration : IEntityTypeConfiguration<CustomActivityType>
{
    public void Configure(EntityTypeBuilder<CustomActivityType> builder)
    {
        builder.ToTable("activity_types");
        builder.HasKey(t => new { t.OrgId, t.Name });
        builder.Property(t => t.Name).HasMaxLength(64).UseCollation("C"); // byte order, as the merged list sorts names
        builder.Property(t => t.Description).HasMaxLength(1000);
        builder.Property(t => t.MetadataSchema).HasColumnType("jsonb");
        builder.HasOne<Org>().WithMany().HasForeignKey(t => t.OrgId).OnDelete(DeleteBehavior.Cascade);
    }
}
