-- Topo-style metadata on the message.* activities of load.sql (1 in 6 rows): a sequence run out of
-- 2,000 (about 80 rows each), a template out of 50, the org; what metadata.sequence_id filters on.
UPDATE activities
SET metadata = jsonb_build_object('sequence_id', 's_' || (substring(title FROM 10)::int % 2000),
                                  'sequence_template_id', 'st_' || (substring(title FROM 10)::int % 50),
                                  'organization_id', 'bench')
WHERE org_id = 'bench' AND type LIKE 'message.%';
VACUUM ANALYZE activities;
