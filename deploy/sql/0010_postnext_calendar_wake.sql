-- When each open publication next needs a tick: its time while scheduled, the deferral time while deferred, the end
-- of its attempt's lease while publishing, its next reconciliation while unconfirmed; NULL once final. The sweeper
-- wakes only publications whose tick is overdue, so healthy attempts still inside their lease never crowd out a
-- publication whose reminder was lost.
ALTER TABLE postnext_calendar ADD COLUMN IF NOT EXISTS wake_at timestamptz NULL;

UPDATE postnext_calendar SET wake_at = at
WHERE wake_at IS NULL AND status IN ('scheduled', 'deferred', 'publishing', 'unconfirmed');

DROP INDEX IF EXISTS postnext_calendar_open_by_time;

CREATE INDEX IF NOT EXISTS postnext_calendar_open_by_wake
    ON postnext_calendar (wake_at)
    WHERE wake_at IS NOT NULL;
