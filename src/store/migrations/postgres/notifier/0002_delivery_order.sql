-- Deliveries know their user and when they were created, so that each user's deliveries go out
-- in order, one at a time per channel, while other users' go out beside them.
ALTER TABLE deliveries ADD COLUMN user_id bigint NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN created_at bigint NOT NULL DEFAULT 0;
UPDATE deliveries d SET user_id = r.user_id, created_at = COALESCE(r.fired_at, 0)
  FROM reminders r WHERE r.id = d.reminder_id;
CREATE INDEX deliveries_pending_by_user ON deliveries (user_id, channel, created_at, reminder_id)
  WHERE state = 'pending';
