-- PostNext's own post index: one row per post (drafts included), written by the post grain after each change of the
-- post and read by the posts list (newest first, filtered by account, platform, text, draft or not). A post's live
-- status comes from its publications' rows in postnext_calendar, so publishing writes nothing here.
CREATE TABLE IF NOT EXISTS postnext_posts (
    workspace_id  text        NOT NULL,
    post_id       text        NOT NULL PRIMARY KEY,
    draft         boolean     NOT NULL,
    canceled      boolean     NOT NULL,
    text          text        NOT NULL,
    title         text        NULL,
    search_text   text        NOT NULL,  -- lower-case text, title and override texts, for the text search
    account_ids   text[]      NOT NULL,  -- the targets in order; platforms[i] is account_ids[i]'s platform
    platforms     text[]      NOT NULL,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL   -- a write older than the stored one changes nothing
);

-- The list per workspace, newest first (cursor paging on (created_at, post_id)).
CREATE INDEX IF NOT EXISTS postnext_posts_by_workspace_created
    ON postnext_posts (workspace_id, created_at DESC, post_id COLLATE "C" DESC);
