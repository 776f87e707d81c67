-- Metrics tracking of a published publication lives in its calendar row, not in a reminder per post: metrics_at is
-- when its next reading is due (set by the publication's own write when it publishes, then by the tracking after each
-- reading; NULL once tracking is over), metrics_state the tracking's state (NULL until its first reading), and
-- metrics_revision that state's revision. The due buckets read it by shard and time, as they read wake_at, so a million
-- tracked posts cost no reminder rows of their own.
ALTER TABLE postnext_calendar ADD COLUMN IF NOT EXISTS metrics_at timestamptz NULL;
ALTER TABLE postnext_calendar ADD COLUMN IF NOT EXISTS metrics_state bytea NULL;
ALTER TABLE postnext_calendar ADD COLUMN IF NOT EXISTS metrics_revision bigint NOT NULL DEFAULT 0;

CREATE INDEX IF NOT EXISTS postnext_calendar_metrics_by_shard
    ON postnext_calendar (shard, metrics_at)
    WHERE metrics_at IS NOT NULL;
