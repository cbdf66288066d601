-- :rows activities for org 'bench', spread like a busy CRM: many contacts and records, a few
-- hundred users, a dozen types, rare tags and pins, a year of history (newest first by i).
INSERT INTO activities (org_id, id, type, occurred_at, created_at, updated_at, actor_id, assistant_id, contact_id,
    visitor_id, customer_id, table_id, record_id, segment_id, broadcast_id, relation_type, relation_id, title, tags,
    channel, pinned_at, external_id, recipients, metadata)
SELECT 'bench',
       'act_' || lpad(to_hex(:rows - i), 26, '0'),
       (ARRAY['call','meeting','sent_email','email_reply','note_created','contact_updated','message.sent',
              'message.opened','segment_added','task.completed','comment_created','file_uploaded'])[1 + i % 12],
       now() - i * interval '31 seconds',
       now() - i * interval '31 seconds' + interval '2 seconds',
       now() - i * interval '31 seconds' + interval '5 seconds',
       'u' || i % 500,
       CASE WHEN i % 10 = 0 THEN 'as' || i % 20 END,
       'c' || i % 20000,
       CASE WHEN i % 7 = 0 THEN 'v' || i % 30000 END,
       CASE WHEN i % 11 = 0 THEN 'cu' || i % 10000 END,
       't' || i % 20,
       'r' || i % 50000,
       CASE WHEN i % 13 = 0 THEN 's' || i % 300 END,
       CASE WHEN i % 17 = 0 THEN 'b' || i % 100 END,
       CASE WHEN i % 10 = 0 THEN 'product' WHEN i % 10 = 1 THEN 'task' END,
       CASE WHEN i % 10 < 2 THEN 'p' || i % 5000 END,
       'Activity ' || i,
       CASE WHEN i % 200 = 0 THEN ARRAY['vip', 'primary'] WHEN i % 3 = 0 THEN ARRAY['primary'] ELSE ARRAY[]::text[] END,
       (ARRAY['EMAIL','LINKEDIN','MANUAL','SMS'])[1 + i % 4],
       CASE WHEN i % 1000 = 0 THEN now() - i * interval '31 seconds' END,
       'ext-' || i,
       ARRAY['u' || i % 500],
       '{}'::jsonb
FROM generate_series(1, :rows) AS i;
ANALYZE activities;

-- The directory the feed is enriched from: every user, assistant, segment and broadcast above.
INSERT INTO users (org_id, id, name, email, avatar, created_at, updated_at)
SELECT 'bench', 'u' || i, 'User ' || i, 'user' || i || '@example.com', 'https://img.example/u' || i || '.png', now(), now()
FROM generate_series(0, 499) AS i;
INSERT INTO assistants (org_id, id, name, created_at, updated_at)
SELECT 'bench', 'as' || i, 'Assistant ' || i, now(), now() FROM generate_series(0, 19) AS i;
INSERT INTO segments (org_id, id, name, color, contacts_count, boards, created_at, updated_at)
SELECT 'bench', 's' || i, 'Segment ' || i, 'red', i, '[{"board_id":"b1","board_name":"Sales","column_id":"c1"}]', now(), now()
FROM generate_series(0, 299) AS i;
INSERT INTO broadcasts (org_id, id, name, created_at, updated_at)
SELECT 'bench', 'b' || i, 'Broadcast ' || i, now(), now() FROM generate_series(0, 99) AS i;
ANALYZE users; ANALYZE assistants; ANALYZE segments; ANALYZE broadcasts;
