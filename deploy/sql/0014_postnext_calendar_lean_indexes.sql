-- Every index of postnext_calendar takes a new entry on each publication write (a status change is never a HOT
-- update), so a publish paid for six. Two go:
-- * the sweeper's overdue scan reads the due index per shard (postnext_calendar_due_by_shard) instead of its own
--   index on wake_at;
-- * pending times of an account (queue slots, best times) come from a partial index that holds only pending rows, so a
--   publication that starts or finishes adds nothing to it.
DROP INDEX IF EXISTS postnext_calendar_open_by_wake;
DROP INDEX IF EXISTS postnext_calendar_by_account_status;

CREATE INDEX IF NOT EXISTS postnext_calendar_pending_by_account
    ON postnext_calendar (account_id, at)
    WHERE status IN ('scheduled', 'deferred');
