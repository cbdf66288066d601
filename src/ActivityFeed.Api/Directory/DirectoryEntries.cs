namespace ActivityFeed.Api.Directory;

/// <summary>
/// A row of the org's directory: the people and things activities point at. Activities keep only
/// ids and are enriched from here when read, so a rename shows everywhere at once and deleting an
/// entry never deletes activities.
/// </summary>
public abstract class DirectoryEntry
{
    public required string OrgId { get; init; }
    public required string Id { get; init; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class User : DirectoryEntry
{
    public string? Name { get; set; }
    public string? Email { get; set; }
    public string? Avatar { get; set; }
    public DateTimeOffset? SeenAt { get; set; }
}

public sealed class Assistant : DirectoryEntry
{
    public string? Name { get; set; }
    public string? AvatarUrl { get; set; }
}

public sealed class Contact : DirectoryEntry
{
    public string? Name { get; set; }
    public string? Email { get; set; }
}

public sealed class Segment : DirectoryEntry
{
    public string? Name { get; set; }
    public string? Color { get; set; }
    public int? ContactsCount { get; set; }

    /// <summary>jsonb: [{board_id, board_name, column_id}].</summary>
    public string Boards { get; set; } = "[]";
}

public sealed class Broadcast : DirectoryEntry
{
    public string? Name { get; set; }
}

public sealed class DataTable : DirectoryEntry
{
    public string? Name { get; set; }
}

public sealed class TableRecord : DirectoryEntry
{
    public string? TableId { get; set; }
    public string? Name { get; set; }
}
