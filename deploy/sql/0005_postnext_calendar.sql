-- PostNext's own calendar index: one row per publication (post x account), written by the publication grains
-- through PostgresCalendarStore and read by range. It grows with the data, so it lives here and not in a grain.
CREATE TABLE postnext_calendar (
    workspace_id  text        NOT NULL,
    post_id       text        NOT NULL,
    account_id    text        NOT NULL,
    platform      text        NOT NULL,
    status        text        NOT NULL,
    scheduled_at  timestamptz NOT NULL,
    at            timestamptz NOT NULL,  -- when it goes out: the deferral time if deferred, else scheduled_at
    published_at  timestamptz NULL,
    revision      bigint      NOT NULL,  -- the publication's own counter; older writes never overwrite newer ones
    PRIMARY KEY (post_id, account_id)
);

-- Range queries per workspace in calendar order (cursor paging on (at, post_id, account_id)).
CREATE INDEX postnext_calendar_by_workspace_time
    ON postnext_calendar (workspace_id, at, post_id COLLATE "C", account_id COLLATE "C");

-- Pending publications of one account (queue slots, sweeps).
CREATE INDEX postnext_calendar_by_account_status
    ON postnext_calendar (account_id, status, at);

-- The sweeper: publications not yet final whose time has passed, across workspaces.
CREATE INDEX postnext_calendar_open_by_time
    ON postnext_calendar (at)
    WHERE status IN ('scheduled', 'deferred', 'publishing', 'unconfirmed');
