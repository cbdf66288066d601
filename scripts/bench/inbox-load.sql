-- Inbox items over the activities of load.sql: each activity in its one recipient's inbox (500
-- users, ~2,000 items each, all read), and every 10th activity also in 'u_bench''s: 100,000 items,
-- the newest 10,000 unread and unseen, 1 in 1,000 archived.
INSERT INTO inbox_items (org_id, user_id, activity_id, occurred_at, created_at, updated_at, read_at, seen_at)
SELECT org_id, recipients[1], id, occurred_at, created_at, updated_at, created_at, created_at
FROM activities WHERE org_id = 'bench';

INSERT INTO inbox_items (org_id, user_id, activity_id, occurred_at, created_at, updated_at, read_at, seen_at, archived_at)
SELECT org_id, 'u_bench', id, occurred_at, created_at, updated_at,
       CASE WHEN n > 100000 THEN created_at END,
       CASE WHEN n > 100000 THEN created_at END,
       CASE WHEN n % 1000 = 500 THEN created_at END
FROM (SELECT a.*, substring(a.title FROM 10)::int AS n FROM activities a WHERE org_id = 'bench') AS numbered
WHERE n % 10 = 0;

UPDATE activities SET recipients = recipients || 'u_bench'::text
WHERE org_id = 'bench' AND substring(title FROM 10)::int % 10 = 0;

VACUUM ANALYZE activities;
VACUUM ANALYZE inbox_items;
