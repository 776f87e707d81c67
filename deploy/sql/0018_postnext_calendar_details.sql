-- What a calendar shows of each publication, kept in its row and written with its state, so a month of the calendar is
-- one read and no post is asked for its details: the start of the text it publishes (its override if it has one), why
-- it waits (deferred), its permalink (published) and its error (failed or unconfirmed). Bounded: the publication
-- clips the snippet to 80 characters and the messages to 300.
ALTER TABLE postnext_calendar ADD COLUMN IF NOT EXISTS snippet        text NULL;
ALTER TABLE postnext_calendar ADD COLUMN IF NOT EXISTS defer_reason   text NULL;
ALTER TABLE postnext_calendar ADD COLUMN IF NOT EXISTS permalink      text NULL;
ALTER TABLE postnext_calendar ADD COLUMN IF NOT EXISTS error_category text NULL;
ALTER TABLE postnext_calendar ADD COLUMN IF NOT EXISTS error_message  text NULL;

-- Rows written before: the post's text until the publication's next write brings its own.
UPDATE postnext_calendar c SET snippet = CASE WHEN length(p.text) > 80 THEN left(p.text, 80) || '…' ELSE p.text END
FROM postnext_posts p
WHERE p.post_id = c.post_id AND c.snippet IS NULL;
