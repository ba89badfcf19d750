-- Each user × channel queue of waiting deliveries (pending or failed) has one head: its oldest
-- (created_at, reminder_id), the only one that may be attempted. `head` marks it and the trigger
-- below keeps it on every insert and every change of state, so the notifier reads the due heads
-- of a channel kind from a small index (heads only, by kind and next_attempt) and a read costs
-- what it returns, not the whole backlog (the ranking of every waiting delivery that it
-- replaces). A channel's kind is its name up to the first ':' (webhook:7 → webhook).
ALTER TABLE deliveries ADD COLUMN head boolean NOT NULL DEFAULT false;
UPDATE deliveries d SET head = true
  WHERE d.state IN ('pending', 'failed') AND NOT EXISTS (
    SELECT 1 FROM deliveries e
    WHERE e.user_id = d.user_id AND e.channel = d.channel AND e.state IN ('pending', 'failed')
      AND (e.created_at, e.reminder_id) < (d.created_at, d.reminder_id));
CREATE INDEX deliveries_due_heads
  ON deliveries (split_part(channel, ':', 1), next_attempt, created_at) WHERE head;
CREATE INDEX deliveries_queue_head ON deliveries (user_id, channel) WHERE head;

-- The queue's head rows are written on every call (also when they stay the head): two
-- transactions that change one queue at once (a reminder firing while its predecessor's outcome
-- is recorded) then write one row, and at REPEATABLE READ the second fails and is retried
-- instead of each missing the other's row and leaving the queue without a head.
CREATE FUNCTION deliveries_settle_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  first_id text;
BEGIN
  SELECT f.reminder_id INTO first_id FROM deliveries f
    WHERE f.user_id = NEW.user_id AND f.channel = NEW.channel AND f.state IN ('pending', 'failed')
    ORDER BY f.created_at, f.reminder_id LIMIT 1;
  UPDATE deliveries SET head = (reminder_id IS NOT DISTINCT FROM first_id)
    WHERE user_id = NEW.user_id AND channel = NEW.channel AND head;
  IF first_id IS NOT NULL THEN
    UPDATE deliveries SET head = true
      WHERE reminder_id = first_id AND channel = NEW.channel AND NOT head;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER deliveries_head_after_insert AFTER INSERT ON deliveries
  FOR EACH ROW EXECUTE FUNCTION deliveries_settle_head();
CREATE TRIGGER deliveries_head_after_state AFTER UPDATE OF state ON deliveries
  FOR EACH ROW EXECUTE FUNCTION deliveries_settle_head();
