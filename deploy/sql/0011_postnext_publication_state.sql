-- A publication's state lives in its calendar row: one statement writes the state and the row the calendar, the
-- sweeper and the due dispatch read, so they can never disagree. Rows written before this migration keep a NULL state
-- (their state is still in Orleans grain storage and moves here on their next write). The shard spreads the due
-- dispatch of one instant over several grains.
ALTER TABLE postnext_calendar ADD COLUMN IF NOT EXISTS state bytea NULL;
ALTER TABLE postnext_calendar ADD COLUMN IF NOT EXISTS shard smallint NOT NULL DEFAULT 0;

-- The due dispatch: publications of one shard whose next tick falls in a time range.
CREATE INDEX IF NOT EXISTS postnext_calendar_due_by_shard
    ON postnext_calendar (shard, wake_at)
    WHERE wake_at IS NOT NULL;
