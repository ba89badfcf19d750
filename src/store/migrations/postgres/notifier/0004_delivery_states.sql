-- Delivery records get the states of a delivery core (services/notifier/channel.hpp):
-- pending → sent | delivered, or failed (last error kept, retried at next_attempt) → … → dead
-- (redrivable with tickler dlq deliveries). A claim (lease_owner until lease_until) is taken
-- before each attempt, so two notifier replicas never attempt one delivery at once. The old
-- terminal 'failed' is the new 'dead'.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_state_check;
UPDATE deliveries SET state = 'dead' WHERE state = 'failed';
ALTER TABLE deliveries ADD CONSTRAINT deliveries_state_check
  CHECK (state IN ('pending', 'failed', 'sent', 'delivered', 'dead'));
ALTER TABLE deliveries ADD COLUMN sent_at bigint;
ALTER TABLE deliveries ADD COLUMN lease_owner text;
ALTER TABLE deliveries ADD COLUMN lease_until bigint;
ALTER TABLE deliveries ADD COLUMN payload text;  -- a task event's delivery: the body
UPDATE deliveries SET sent_at = delivered_at WHERE delivered_at IS NOT NULL;
DROP INDEX deliveries_pending;
DROP INDEX deliveries_pending_by_user;
CREATE INDEX deliveries_waiting_by_user ON deliveries (user_id, channel, created_at, reminder_id)
  WHERE state IN ('pending', 'failed');
CREATE INDEX deliveries_dead ON deliveries (created_at, reminder_id) WHERE state = 'dead';

-- A user may have several webhooks, each selecting its events (comma-separated); the first (lowest
-- id) is the one /api/me/webhook reads and sets. Deliveries of one are on channel webhook:<id>.
ALTER TABLE webhooks DROP CONSTRAINT webhooks_pkey;
ALTER TABLE webhooks ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
ALTER TABLE webhooks ADD COLUMN events text NOT NULL DEFAULT 'reminder.fired';
CREATE INDEX webhooks_by_user ON webhooks (user_id, id);
