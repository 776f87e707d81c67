-- A delivery's retry window starts at its first attempt, not at its event: an event that waited behind an outage
-- still gets the whole window. NULL until the first attempt.
ALTER TABLE postnext_webhook_deliveries ADD COLUMN IF NOT EXISTS first_attempt_at timestamptz NULL;
