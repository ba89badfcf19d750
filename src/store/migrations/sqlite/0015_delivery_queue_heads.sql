-- Each user × channel queue of waiting deliveries (pending or failed) has one head: its oldest
-- (created_at, reminder_id), the only one that may be attempted. `head` marks it and the
-- triggers below keep it on every insert and every change of state, so the notifier reads the
-- due heads of a channel kind from a small index (heads only, by kind and next_attempt) and a
-- read costs what it returns, not the whole backlog (the ranking of every waiting delivery that
-- it replaces). A channel's kind is its name up to the first ':' (webhook:7 → webhook).
ALTER TABLE deliveries ADD COLUMN head INTEGER NOT NULL DEFAULT 0;
UPDATE deliveries SET head = 1
  WHERE state IN ('pending', 'failed') AND NOT EXISTS (
    SELECT 1 FROM deliveries e
    WHERE e.user_id = deliveries.user_id AND e.channel = deliveries.channel
      AND e.state IN ('pending', 'failed')
      AND (e.created_at < deliveries.created_at
           OR (e.created_at = deliveries.created_at AND e.reminder_id < deliveries.reminder_id)));
CREATE INDEX deliveries_due_heads
  ON deliveries (substr(channel, 1, instr(channel || ':', ':') - 1), next_attempt, created_at)
  WHERE head = 1;
CREATE INDEX deliveries_queue_head ON deliveries (user_id, channel) WHERE head = 1;

CREATE TRIGGER deliveries_head_after_insert AFTER INSERT ON deliveries BEGIN
  UPDATE deliveries SET head = 0
    WHERE user_id = NEW.user_id AND channel = NEW.channel AND head = 1
      AND reminder_id IS NOT (
        SELECT f.reminder_id FROM deliveries f
        WHERE f.user_id = NEW.user_id AND f.channel = NEW.channel
          AND f.state IN ('pending', 'failed')
        ORDER BY f.created_at, f.reminder_id LIMIT 1);
  UPDATE deliveries SET head = 1
    WHERE channel = NEW.channel AND head = 0 AND reminder_id = (
      SELECT f.reminder_id FROM deliveries f
      WHERE f.user_id = NEW.user_id AND f.channel = NEW.channel
        AND f.state IN ('pending', 'failed')
      ORDER BY f.created_at, f.reminder_id LIMIT 1);
END;
CREATE TRIGGER deliveries_head_after_state AFTER UPDATE OF state ON deliveries BEGIN
  UPDATE deliveries SET head = 0
    WHERE user_id = NEW.user_id AND channel = NEW.channel AND head = 1
      AND reminder_id IS NOT (
        SELECT f.reminder_id FROM deliveries f
        WHERE f.user_id = NEW.user_id AND f.channel = NEW.channel
          AND f.state IN ('pending', 'failed')
        ORDER BY f.created_at, f.reminder_id LIMIT 1);
  UPDATE deliveries SET head = 1
    WHERE channel = NEW.channel AND head = 0 AND reminder_id = (
      SELECT f.reminder_id FROM deliveries f
      WHERE f.user_id = NEW.user_id AND f.channel = NEW.channel
        AND f.state IN ('pending', 'failed')
      ORDER BY f.created_at, f.reminder_id LIMIT 1);
END;
