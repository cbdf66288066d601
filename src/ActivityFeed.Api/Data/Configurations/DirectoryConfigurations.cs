using ActivityFeed.Api.Directory;
using ActivityFeed.Api.Orgs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ActivityFeed.Api.Data.Configurations;

/// <summary>What every directory table shares: (org_id, id) keys in byte order, 128-char client ids.</summary>
public abstract class DirectoryEntryConfiguration<T> : IEntityTypeConfiguration<T>
    where T : DirectoryEntry
{
    protected abstract string Table { get; }

    public virtual void Configure(EntityTypeBuilder<T> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(e => new { e.OrgId, e.Id });
        builder.Property(e => e.Id).HasMaxLength(128).UseCollation("C");
        builder.HasOne<Org>().WithMany().HasForeignKey(e => e.OrgId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class UserConfiguration : DirectoryEntryConfiguration<User>
{
    protected override string Table => "users";

    public override void Configure(EntityTypeBuilder<User> builder)
    {
        base.Configure(builder);
        builder.Property(u => u.Name).HasMaxLength(200);
        builder.Property(u => u.Email).HasMaxLength(320);
        builder.Property(u => u.Avatar).HasMaxLength(2048);
    }
}

public sealed class AssistantConfiguration : DirectoryEntryConfiguration<Assistant>
{
    protected override string Table => "assistants";

    public override void Configure(EntityTypeBuilder<Assistant> builder)
    {
        base.Configure(builder);
        builder.Property(a => a.Name).HasMaxLength(200);
        builder.Property(a => a.AvatarUrl).HasMaxLength(2048);
    }
}

public sealed class ContactConfiguration : DirectoryEntryConfiguration<Contact>
{
    protected override string Table => "contacts";

    public override void Configure(EntityTypeBuilder<Contact> builder)
    {
        base.Configure(builder);
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.Email).HasMaxLength(320);
    }
}

public sealed class SegmentConfiguration : DirectoryEntryConfiguration<Segment>
{
    protected override string Table => "segments";

    public override void Configure(EntityTypeBuilder<Segment> builder)
    {
        base.Configure(builder);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Color).HasMaxLength(32);
        builder.Property(s => s.Boards).HasColumnType("jsonb");
    }
}

public sealed class BroadcastConfiguration : DirectoryEntryConfiguration<Broadcast>
{
    protected override string Table => "broadcasts";

    public override void Configure(EntityTypeBuilder<Broadcast> builder)
    {
        base.Configure(builder);
        builder.Property(b => b.Name).HasMaxLength(200);
    }
}

public sealed class DataTableConfiguration : DirectoryEntryConfiguration<DataTable>
{
    protected override string Table => "tables";

    public override void Configure(EntityTypeBuilder<DataTable> builder)
    {
        base.Configure(builder);
        builder.Property(t => t.Name).HasMaxLength(200);
    }
}

public sealed class TableRecordConfiguration : DirectoryEntryConfiguration<TableRecord>
{
    protected override string Table => "records";

    public override void Configure(EntityTypeBuilder<TableRecord> builder)
    {
        base.Configure(builder);
        builder.Property(r => r.TableId).HasMaxLength(128);
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.HasIndex(r => new { r.OrgId, r.TableId, r.Id }, "ix_records_org_table").HasDatabaseName("ix_records_org_table");
    }
}
