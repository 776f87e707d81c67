-- 0004_orleans_reminders.sql
-- Reminder table and queries for Microsoft.Orleans.Reminders.AdoNet 10.4.2
-- (AdoNetReminderTable). Written by us to the provider query contract (RelationalOrleansQueries
-- / DbStoredQueries in the reminders package); not derived from the upstream scripts.
--
-- Contract highlights:
--  * GrainId is GrainId.ToString() ("type/key"), parsed back with GrainId.Parse.
--  * GrainHash / BeginHash / EndHash are the uint ring hashes cast to a signed int32. The
--    provider picks ReadRangeRows1Key when (int)begin < (int)end and ReadRangeRows2Key
--    otherwise (wrap-around, including begin = end = whole ring). In signed order the ring
--    range (begin, end] is therefore "hash > begin AND hash <= end" or its wrap-around
--    "hash > begin OR hash <= end".
--  * Period is bound as int32 milliseconds (int64 only if it exceeds int32), read back with
--    GetInt64; stored as bigint.
--  * Version is the etag (int). Upsert returns it in a "Version" column; delete returns one
--    boolean.

CREATE TABLE IF NOT EXISTS orleans_reminder
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    CONSTRAINT orleans_reminder_pk PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- Range scans by silo ring ownership.
CREATE INDEX IF NOT EXISTS orleans_reminder_service_hash_ix
    ON orleans_reminder (service_id, grain_hash);

INSERT INTO orleansquery (querykey, querytext) VALUES
-- Params: ServiceId, GrainId. Rows: GrainId, ReminderName, StartTime, Period, Version.
('ReadReminderRowsKey', $q$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period_ms     AS "Period",
       version       AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId
  AND grain_id = @GrainId;
$q$),

-- Params: ServiceId, GrainId, ReminderName. 0 or 1 row, same columns.
('ReadReminderRowKey', $q$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period_ms     AS "Period",
       version       AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId
  AND grain_id = @GrainId
  AND reminder_name = @ReminderName;
$q$),

-- Non-wrapping range ((int)BeginHash < (int)EndHash). Params: ServiceId, BeginHash, EndHash.
('ReadRangeRows1Key', $q$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period_ms     AS "Period",
       version       AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId
  AND grain_hash > @BeginHash
  AND grain_hash <= @EndHash;
$q$),

-- Wrapping range ((int)BeginHash >= (int)EndHash). Params: ServiceId, BeginHash, EndHash.
('ReadRangeRows2Key', $q$
SELECT grain_id      AS "GrainId",
       reminder_name AS "ReminderName",
       start_time    AS "StartTime",
       period_ms     AS "Period",
       version       AS "Version"
FROM orleans_reminder
WHERE service_id = @ServiceId
  AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
$q$),

-- Insert or replace. Params: ServiceId, GrainHash, GrainId, ReminderName, StartTime, Period.
-- Returns one row: Version (the new etag).
('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminder AS r
    (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = EXCLUDED.start_time,
    period_ms  = EXCLUDED.period_ms,
    grain_hash = EXCLUDED.grain_hash,
    version    = orleans_next_version(r.version)
RETURNING r.version AS "Version";
$q$),

-- Delete if the etag still matches. Params: ServiceId, GrainId, ReminderName, Version.
-- One row, one boolean column: true if a row was deleted.
('DeleteReminderRowKey', $q$
WITH removed AS (
    DELETE FROM orleans_reminder
    WHERE service_id = @ServiceId
      AND grain_id = @GrainId
      AND reminder_name = @ReminderName
      AND version = @Version
    RETURNING 1
)
SELECT count(*) > 0 AS "Deleted" FROM removed;
$q$),

-- Test-only: wipe a service's reminders. Params: ServiceId. No result.
('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminder
WHERE service_id = @ServiceId;
$q$)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
