-- The backlog gauges (count and oldest pending delivery, every ~15 s per silo) read only pending rows: an index-only
-- scan of this partial index, proportional to the backlog rather than to the whole deliveries table.
CREATE INDEX IF NOT EXISTS postnext_webhook_deliveries_pending_created
    ON postnext_webhook_deliveries (created_at) WHERE status = 'pending';
