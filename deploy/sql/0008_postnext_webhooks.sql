-- Outbound webhook deliveries: one row per event per webhook, written when the event is emitted and updated after
-- every attempt by the webhook's delivery grain. The subscriptions themselves are few per workspace and live in the
-- workspace's webhooks grain; the deliveries grow with the traffic, so they live here.
CREATE TABLE postnext_webhook_deliveries (
    id               text        PRIMARY KEY,            -- derived from (webhook, event): a re-emitted event adds nothing
    seq              bigint      GENERATED ALWAYS AS IDENTITY,  -- insertion order: deliveries go out in event order
    workspace_id     text        NOT NULL,
    webhook_id       text        NOT NULL,
    event_id         text        NOT NULL,
    event_type       text        NOT NULL,
    payload          text        NOT NULL,               -- the exact JSON body, identical on every attempt
    created_at       timestamptz NOT NULL,
    status           text        NOT NULL,               -- pending | delivered | failed
    attempt_count    integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NULL,                   -- set while pending
    delivered_at     timestamptz NULL,
    attempts         jsonb       NOT NULL DEFAULT '[]'   -- the most recent attempts (bounded by the application)
);

-- What is due for one webhook, in order.
CREATE INDEX postnext_webhook_deliveries_pending
    ON postnext_webhook_deliveries (webhook_id, next_attempt_at, seq) WHERE status = 'pending';

-- A webhook's deliveries, newest first (the API) and pruning of old finished ones.
CREATE INDEX postnext_webhook_deliveries_by_webhook
    ON postnext_webhook_deliveries (webhook_id, seq);
