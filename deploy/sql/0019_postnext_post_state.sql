-- A post's state lives in its postnext_posts row: one statement writes the state and the list entry, so the posts list
-- can never disagree with the post, and an intake burst writes thousands of posts in a few batched statements.
-- Rows written before this migration keep a NULL state (their state is still in Orleans grain storage, under the
-- state name 'post', and moves here on their next write). A deleted post keeps its row, no longer listed, so its
-- Idempotency-Key still answers.
ALTER TABLE postnext_posts ADD COLUMN IF NOT EXISTS state bytea NULL;
ALTER TABLE postnext_posts ADD COLUMN IF NOT EXISTS revision bigint NOT NULL DEFAULT 0;  -- the ETag: a write names the revision it read
ALTER TABLE postnext_posts ADD COLUMN IF NOT EXISTS deleted boolean NOT NULL DEFAULT false;
