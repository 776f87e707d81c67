-- Engagement history: every reading is kept, not only the latest, so trends and best times can be computed.
-- One row per reading of one publication (post × account), taken on the decaying schedule after publishing.
CREATE TABLE postnext_post_metrics (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id  text        NOT NULL,
    post_id       text        NOT NULL,
    account_id    text        NOT NULL,
    platform      text        NOT NULL,
    read_at       timestamptz NOT NULL,
    likes         bigint      NOT NULL,
    comments      bigint      NOT NULL,
    shares        bigint      NOT NULL,
    impressions   bigint      NULL,      -- NULL: the platform does not report it
    views         bigint      NULL,
    saves         bigint      NULL
);

CREATE INDEX postnext_post_metrics_by_publication ON postnext_post_metrics (post_id, account_id, read_at);
CREATE INDEX postnext_post_metrics_by_account ON postnext_post_metrics (account_id, read_at);

-- One row per audience reading of an account (daily).
CREATE TABLE postnext_account_metrics (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id  text        NOT NULL,
    account_id    text        NOT NULL,
    platform      text        NOT NULL,
    read_at       timestamptz NOT NULL,
    followers     bigint      NOT NULL,
    following     bigint      NULL,
    posts         bigint      NULL
);

CREATE INDEX postnext_account_metrics_by_account ON postnext_account_metrics (account_id, read_at);
