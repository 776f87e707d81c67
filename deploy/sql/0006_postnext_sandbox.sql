-- The built-in sandbox platform's record of every publication it received (duplicates included, so exactly-once
-- can be checked), and the answer to "did you receive publication X?" when an outcome is unknown.
CREATE TABLE postnext_sandbox_received (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id       text        NOT NULL,
    publication_key  text        NOT NULL,
    attempt_id       text        NOT NULL,
    external_id      text        NOT NULL,
    permalink        text        NOT NULL,
    text             text        NOT NULL,
    media_count      integer     NOT NULL,
    received_at      timestamptz NOT NULL
);

CREATE INDEX postnext_sandbox_received_by_account ON postnext_sandbox_received (account_id, id);
CREATE INDEX postnext_sandbox_received_by_publication ON postnext_sandbox_received (account_id, publication_key);
