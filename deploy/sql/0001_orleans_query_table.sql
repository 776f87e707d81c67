-- 0001_orleans_query_table.sql
-- The query catalogue read by the Orleans 10.4.2 ADO.NET providers (clustering, grain
-- persistence, reminders). Written by us to the provider query contract: every provider
-- loads its SQL with the fixed, unquoted statement
--     SELECT QueryKey, QueryText FROM OrleansQuery [WHERE QueryKey = '...' OR ...]
-- which PostgreSQL folds to lower case, so the table MUST be called orleansquery with the
-- columns querykey and querytext (unquoted), in a schema on the connection's search_path.
-- Npgsql matches the reader column names "QueryKey"/"QueryText" case-insensitively.
-- Key values are compared case-sensitively by the providers (e.g. 'UpdateIAmAlivetimeKey').
-- Later migrations (0002-0004) fill it; each key is unique because the providers build a
-- dictionary / call Single() on it.

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64) NOT NULL,
    querytext text        NOT NULL,
    CONSTRAINT orleansquery_pk PRIMARY KEY (querykey)
);

COMMENT ON TABLE orleansquery IS
    'Orleans ADO.NET provider query catalogue (QueryKey -> SQL text). Read by the providers at start-up.';

-- Shared helper: the next optimistic-concurrency version number. Versions are 32-bit because
-- the providers parse etags with int.Parse and bind them as Int32; wrap to 1 instead of
-- overflowing after 2^31-1 writes.
CREATE OR REPLACE FUNCTION orleans_next_version(current_version integer)
    RETURNS integer
    LANGUAGE sql
    IMMUTABLE
    PARALLEL SAFE
AS $$
    SELECT CASE WHEN current_version IS NULL OR current_version >= 2147483647 THEN 1
                ELSE current_version + 1 END;
$$;
