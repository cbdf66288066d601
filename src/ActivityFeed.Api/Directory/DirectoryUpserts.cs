using System.Text.Json;
using ActivityFeed.Api.Activities;
using ActivityFeed.Api.Data;
using ActivityFeed.Api.Infrastructure.Json;
using Microsoft.EntityFrameworkCore;

namespace ActivityFeed.Api.Directory;

/// <summary>
/// Writes the embedded objects of new activities into the directory, inside the caller's
/// transaction. Fields an object leaves out (or sends as null) keep their stored value; within one
/// write, a later mention of the same id wins field by field. Rows are written kind by kind, each in
/// id order, so concurrent writes naming the same entries lock them in one order and cannot deadlock.
/// </summary>
public static class DirectoryUpserts
{
    private static readonly JsonSerializerOptions Json = CreateJsonOptions();

    public static async Task ApplyAsync(ActivityFeedDb db, string orgId, IEnumerable<CreateActivityRequest> requests, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var users = new Dictionary<string, ActorInput>(StringComparer.Ordinal);
        var assistants = new Dictionary<string, AssistantInput>(StringComparer.Ordinal);
        var segments = new Dictionary<string, SegmentInput>(StringComparer.Ordinal);
        var broadcasts = new Dictionary<string, BroadcastInput>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (request.Actor is { Id: { } actorId } actor)
            {
                users[actorId] = users.TryGetValue(actorId, out var known)
                    ? new ActorInput(actorId, actor.Name ?? known.Name, actor.Email ?? known.Email, actor.Avatar ?? known.Avatar, actor.SeenAt ?? known.SeenAt)
                    : actor;
            }

            if (request.Note?.User is { Id: { } noteUserId } noteUser)
            {
                users[noteUserId] = users.TryGetValue(noteUserId, out var known)
                    ? known with { Name = noteUser.Name ?? known.Name, Avatar = noteUser.Avatar ?? known.Avatar }
                    : new ActorInput(noteUserId, noteUser.Name, null, noteUser.Avatar);
            }

            if (request.Assistant is { Id: { } assistantId } assistant)
            {
                assistants[assistantId] = assistants.TryGetValue(assistantId, out var known)
                    ? new AssistantInput(assistantId, assistant.Name ?? known.Name, assistant.AvatarUrl ?? known.AvatarUrl)
                    : assistant;
            }

            if (request.Segment is { Id: { } segmentId } segment)
            {
                segments[segmentId] = segments.TryGetValue(segmentId, out var known)
                    ? new SegmentInput(segmentId, segment.Name ?? known.Name, segment.Color ?? known.Color, segment.ContactsCount ?? known.ContactsCount, segment.Boards ?? known.Boards)
                    : segment;
            }

            if (request.Broadcast is { Id: { } broadcastId } broadcast)
            {
                broadcasts[broadcastId] = broadcasts.TryGetValue(broadcastId, out var known) ? new BroadcastInput(broadcastId, broadcast.Name ?? known.Name) : broadcast;
            }
        }

        foreach (var u in users.Values.OrderBy(entry => entry.Id, StringComparer.Ordinal))
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO users (org_id, id, name, email, avatar, seen_at, created_at, updated_at)
                VALUES ({orgId}, {u.Id}, {u.Name}, {u.Email}, {u.Avatar}, {u.SeenAt}, {now}, {now})
                ON CONFLICT (org_id, id) DO UPDATE SET
                    name = COALESCE(excluded.name, users.name), email = COALESCE(excluded.email, users.email),
                    avatar = COALESCE(excluded.avatar, users.avatar), seen_at = COALESCE(excluded.seen_at, users.seen_at),
                    updated_at = excluded.updated_at
                """, cancellationToken);
        }

        foreach (var a in assistants.Values.OrderBy(entry => entry.Id, StringComparer.Ordinal))
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO assistants (org_id, id, name, avatar_url, created_at, updated_at)
                VALUES ({orgId}, {a.Id}, {a.Name}, {a.AvatarUrl}, {now}, {now})
                ON CONFLICT (org_id, id) DO UPDATE SET
                    name = COALESCE(excluded.name, assistants.name), avatar_url = COALESCE(excluded.avatar_url, assistants.avatar_url),
                    updated_at = excluded.updated_at
                """, cancellationToken);
        }

        foreach (var s in segments.Values.OrderBy(entry => entry.Id, StringComparer.Ordinal))
        {
            var boards = s.Boards is null ? null : JsonSerializer.Serialize(s.Boards, Json);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO segments (org_id, id, name, color, contacts_count, boards, created_at, updated_at)
                VALUES ({orgId}, {s.Id}, {s.Name}, {s.Color}, {s.ContactsCount}, COALESCE({boards}::jsonb, '[]'::jsonb), {now}, {now})
                ON CONFLICT (org_id, id) DO UPDATE SET
                    name = COALESCE(excluded.name, segments.name), color = COALESCE(excluded.color, segments.color),
                    contacts_count = COALESCE(excluded.contacts_count, segments.contacts_count),
                    boards = CASE WHEN {boards}::jsonb IS NULL THEN segments.boards ELSE excluded.boards END,
                    updated_at = excluded.updated_at
                """, cancellationToken);
        }

        foreach (var b in broadcasts.Values.OrderBy(entry => entry.Id, StringComparer.Ordinal))
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO broadcasts (org_id, id, name, created_at, updated_at)
                VALUES ({orgId}, {b.Id}, {b.Name}, {now}, {now})
                ON CONFLICT (org_id, id) DO UPDATE SET name = COALESCE(excluded.name, broadcasts.name), updated_at = excluded.updated_at
                """, cancellationToken);
        }
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions();
        JsonSetup.Apply(options);
        return options;
    }
}
