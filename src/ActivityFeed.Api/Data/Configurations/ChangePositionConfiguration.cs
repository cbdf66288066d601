using ActivityFeed.Api.Data.Changes;
using ActivityFeed.Api.Orgs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ActivityFeed.Api.Data.Configurations;

public sealed class ChangePositionConfiguration : IEntityTypeConfiguration<ChangePosition>
{
    public void Configure(EntityTypeBuilder<ChangePosition> builder)
    {
        builder.ToTable("change_positions");
        builder.HasKey(p => p.OrgId);
        builder.HasOne<Org>().WithMany().HasForeignKey(p => p.OrgId).OnDelete(DeleteBehavior.Cascade);
    }
}
