using ActivityFeed.Api.Auth;
using ActivityFeed.Api.Orgs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ActivityFeed.Api.Data.Configurations;

public sealed class UserTokenConfiguration : IEntityTypeConfiguration<UserToken>
{
    public void Configure(EntityTypeBuilder<UserToken> builder)
    {
        builder.ToTable("user_tokens");
        builder.HasKey(t => new { t.OrgId, t.Id });
        builder.Property(t => t.Id).HasMaxLength(64).UseCollation("C"); // byte order: keyset paging compares ids as the API does
        builder.Property(t => t.UserId).HasMaxLength(128);
        builder.Property(t => t.CreatedAt).HasDefaultValueSql("now()");
        // The token names its org, so authentication is one lookup on (org_id, secret_hash).
        builder.HasIndex(t => new { t.OrgId, t.SecretHash }).IsUnique();
        builder.HasIndex(t => new { t.OrgId, t.UserId, t.Id });
        builder.HasOne<Org>().WithMany().HasForeignKey(t => t.OrgId).OnDelete(DeleteBehavior.Cascade);
    }
}
