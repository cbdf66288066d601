using ActivityFeed.Api.Auth;
using ActivityFeed.Api.Orgs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ActivityFeed.Api.Data.Configurations;

public sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => new { k.OrgId, k.Id });
        builder.Property(k => k.Id).HasMaxLength(64).UseCollation("C"); // byte order: keyset paging compares ids as the API does
        builder.Property(k => k.Name).HasMaxLength(200);
        builder.Property(k => k.CreatedAt).HasDefaultValueSql("now()");
        // The token names its org, so authentication is one lookup on (org_id, secret_hash).
        builder.HasIndex(k => new { k.OrgId, k.SecretHash }).IsUnique();
        builder.HasOne<Org>().WithMany().HasForeignKey(k => k.OrgId).OnDelete(DeleteBehavior.Cascade);
    }
}
