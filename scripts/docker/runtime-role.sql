-- Run once by the postgres image on a fresh volume (docker-entrypoint-initdb.d): the login the API
-- serves as. A member of activityfeed_runtime, which the RowLevelSecurity migration grants DML to;
-- no superuser, no BYPASSRLS, owns nothing, so row-level security holds for it. Migrations run as
-- POSTGRES_USER, the owner. An older volume: run these two statements once by hand.
CREATE ROLE activityfeed_runtime NOLOGIN;
CREATE ROLE activityfeed_app LOGIN PASSWORD 'activityfeed_app' IN ROLE activityfeed_runtime;
