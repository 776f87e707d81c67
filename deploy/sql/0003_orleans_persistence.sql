-- 0003_orleans_persistence.sql
-- Grain state storage for Microsoft.Orleans.Persistence.AdoNet 10.4.2 (AdoNetGrainStorage).
-- Written by us to the provider query contract (AdoNetGrainStorage.cs: parameter names,
-- result columns, and the etag rules of CheckVersionInconsistency); not derived from the
-- upstream scripts.
--
-- Identity of a state row: ServiceId + grain type string + (N0, N1, extension string).
--   * long keys:   N0 = 0, N1 = key, extension = key extension or NULL
--   * Guid keys:   N0/N1 = the two halves of the Guid bytes, extension as above
--   * string keys: N0 = N1 = 0, extension = the string key
-- GrainIdHash / GrainTypeHash are 32-bit hashes computed by the provider's hasher; they are
-- stored and used to narrow lookups, never trusted alone (collisions are possible).
-- The provider name is NOT part of the contract: two storage providers pointed at the same
-- table and service share rows for the same grain type + id.
--
-- Etag rules the provider enforces (a mismatch raises InconsistentStateException):
--   * the etag is the integer "Version" as a string; NULL etag = "I expect no row".
--   * write/clear/delete queries must return exactly one row whose first column is the new
--     version on success and NULL on a version conflict (NULL becomes "" in C#, which the
--     provider treats as a conflict). Returning no row would be read as success when the
--     caller's etag is NULL, so the queries always return one row.

CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    service_id       text        NOT NULL,
    grain_type_hash  integer     NOT NULL,
    grain_type       text        NOT NULL,
    grain_id_hash    integer     NOT NULL,
    grain_id_n0      bigint      NOT NULL,
    grain_id_n1      bigint      NOT NULL,
    grain_id_ext     text        NULL,
    payload          bytea       NULL,      -- NULL after ClearStorageKey (row kept, version kept)
    version          integer     NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    modified_at      timestamptz NOT NULL DEFAULT now()
);

-- One row per grain state. The (possibly long) key extension is indexed through md5 so an
-- arbitrary-length string key cannot exceed the btree entry limit; coalesce maps NULL to ''
-- which no md5 value can equal, so "no extension" and "empty extension" stay distinct.
-- Lookups filter on the leading columns and compare the extension exactly.
CREATE UNIQUE INDEX IF NOT EXISTS orleans_grain_state_key_ux
    ON orleans_grain_state (service_id, grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1,
                            grain_type, (coalesce(md5(grain_id_ext), '')));

-- WriteToStorageKey. p_expected_version NULL => insert a new row (conflict if one exists);
-- otherwise compare-and-swap on version. Returns the new version or NULL on conflict.
CREATE OR REPLACE FUNCTION orleans_grain_state_write(
    p_service_id       text,
    p_grain_type_hash  integer,
    p_grain_type       text,
    p_grain_id_hash    integer,
    p_grain_id_n0      bigint,
    p_grain_id_n1      bigint,
    p_grain_id_ext     text,
    p_expected_version integer,
    p_payload          bytea)
    RETURNS integer
    LANGUAGE plpgsql
AS $$
DECLARE
    v_new integer;
BEGIN
    IF p_expected_version IS NULL THEN
        INSERT INTO orleans_grain_state
            (service_id, grain_type_hash, grain_type, grain_id_hash, grain_id_n0, grain_id_n1,
             grain_id_ext, payload, version, created_at, modified_at)
        VALUES
            (p_service_id, p_grain_type_hash, p_grain_type, p_grain_id_hash, p_grain_id_n0,
             p_grain_id_n1, p_grain_id_ext, p_payload, 1, now(), now())
        ON CONFLICT DO NOTHING
        RETURNING version INTO v_new;
        RETURN v_new;   -- NULL: somebody else's row already exists
    END IF;

    UPDATE orleans_grain_state
    SET payload = p_payload,
        version = orleans_next_version(version),
        modified_at = now()
    WHERE service_id = p_service_id
      AND grain_id_hash = p_grain_id_hash
      AND grain_type_hash = p_grain_type_hash
      AND grain_id_n0 = p_grain_id_n0
      AND grain_id_n1 = p_grain_id_n1
      AND grain_type = p_grain_type
      AND coalesce(md5(grain_id_ext), '') = coalesce(md5(p_grain_id_ext), '')
      AND grain_id_ext IS NOT DISTINCT FROM p_grain_id_ext
      AND version = p_expected_version
    RETURNING version INTO v_new;
    RETURN v_new;       -- NULL: stale etag or row gone
END;
$$;

-- ClearStorageKey: keep the row, drop the payload, bump the version (so the grain keeps a
-- valid etag and later writes stay compare-and-swap). Returns new version or NULL.
CREATE OR REPLACE FUNCTION orleans_grain_state_clear(
    p_service_id       text,
    p_grain_type_hash  integer,
    p_grain_type       text,
    p_grain_id_hash    integer,
    p_grain_id_n0      bigint,
    p_grain_id_n1      bigint,
    p_grain_id_ext     text,
    p_expected_version integer)
    RETURNS integer
    LANGUAGE plpgsql
AS $$
DECLARE
    v_new integer;
BEGIN
    UPDATE orleans_grain_state
    SET payload = NULL,
        version = orleans_next_version(version),
        modified_at = now()
    WHERE service_id = p_service_id
      AND grain_id_hash = p_grain_id_hash
      AND grain_type_hash = p_grain_type_hash
      AND grain_id_n0 = p_grain_id_n0
      AND grain_id_n1 = p_grain_id_n1
      AND grain_type = p_grain_type
      AND coalesce(md5(grain_id_ext), '') = coalesce(md5(p_grain_id_ext), '')
      AND grain_id_ext IS NOT DISTINCT FROM p_grain_id_ext
      AND version = p_expected_version
    RETURNING version INTO v_new;
    RETURN v_new;
END;
$$;

-- DeleteStorageKey (DeleteStateOnClear = true): remove the row if the version matches.
-- On success returns the version the row would have had next: any value different from the
-- caller's etag means success (the provider then resets the etag to NULL). NULL on conflict.
CREATE OR REPLACE FUNCTION orleans_grain_state_delete(
    p_service_id       text,
    p_grain_type_hash  integer,
    p_grain_type       text,
    p_grain_id_hash    integer,
    p_grain_id_n0      bigint,
    p_grain_id_n1      bigint,
    p_grain_id_ext     text,
    p_expected_version integer)
    RETURNS integer
    LANGUAGE plpgsql
AS $$
DECLARE
    v_deleted integer;
BEGIN
    DELETE FROM orleans_grain_state
    WHERE service_id = p_service_id
      AND grain_id_hash = p_grain_id_hash
      AND grain_type_hash = p_grain_type_hash
      AND grain_id_n0 = p_grain_id_n0
      AND grain_id_n1 = p_grain_id_n1
      AND grain_type = p_grain_type
      AND coalesce(md5(grain_id_ext), '') = coalesce(md5(p_grain_id_ext), '')
      AND grain_id_ext IS NOT DISTINCT FROM p_grain_id_ext
      AND version = p_expected_version
    RETURNING version INTO v_deleted;
    IF v_deleted IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN orleans_next_version(v_deleted);
END;
$$;

INSERT INTO orleansquery (querykey, querytext) VALUES
-- Params: GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
-- GrainIdExtensionString, ServiceId. 0 or 1 row: PayloadBinary (bytea, NULL = no state),
-- Version (integer etag).
('ReadFromStorageKey', $q$
SELECT payload AS "PayloadBinary",
       version AS "Version"
FROM orleans_grain_state
WHERE service_id = @ServiceId
  AND grain_id_hash = @GrainIdHash
  AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0
  AND grain_id_n1 = @GrainIdN1
  AND grain_type = @GrainTypeString
  AND coalesce(md5(grain_id_ext), '') = coalesce(md5(@GrainIdExtensionString), '')
  AND grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString;
$q$),

-- Params: as read + GrainStateVersion (int, NULL for a new row) + PayloadBinary.
-- One row: NewGrainStateVersion (NULL = conflict).
('WriteToStorageKey', $q$
SELECT orleans_grain_state_write(
    @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash, @GrainIdN0, @GrainIdN1,
    @GrainIdExtensionString, @GrainStateVersion, @PayloadBinary) AS "NewGrainStateVersion";
$q$),

-- Params: as read + GrainStateVersion. One row, first column = new version (NULL = conflict).
('ClearStorageKey', $q$
SELECT orleans_grain_state_clear(
    @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash, @GrainIdN0, @GrainIdN1,
    @GrainIdExtensionString, @GrainStateVersion) AS "NewGrainStateVersion";
$q$),

-- Used instead of ClearStorageKey when AdoNetGrainStorageOptions.DeleteStateOnClear = true
-- (the provider refuses to start with that option if this key is missing).
-- Params: as ClearStorageKey. One row, first column non-NULL on success, NULL = conflict.
('DeleteStorageKey', $q$
SELECT orleans_grain_state_delete(
    @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash, @GrainIdN0, @GrainIdN1,
    @GrainIdExtensionString, @GrainStateVersion) AS "NewGrainStateVersion";
$q$)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
