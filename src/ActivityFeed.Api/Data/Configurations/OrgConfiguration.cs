using ActivityFeed.Api.Orgs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ActivityFeed.Api.Data.Configurations;

public sealed class OrgConfiguration : IEntityTypeConfiguration<Org>
{
    public void Configure(EntityTypeBuilder<Org> builder)
    {
        builder.ToTable("orgs");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).HasMaxLength(128);
        builder.Property(o => o.Name).HasMaxLength(200);
        builder.Property(o => o.CreatedAt).HasDefaultValueSql("now()");
        builder.Property(o => o.OccurredLead).HasDefaultValueSql("interval '0'");
    }
}
