-- Deliveries know their user and when they were created, so that each user's deliveries go out
-- in order, one at a time per channel, while other users' go out beside them.
ALTER TABLE deliveries ADD COLUMN user_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deliveries ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
UPDATE deliveries SET
  user_id = COALESCE((SELECT user_id FROM reminders WHERE reminders.id = deliveries.reminder_id), 0),
  created_at = COALESCE((SELECT fired_at FROM reminders WHERE reminders.id = deliveries.reminder_id), 0);
CREATE INDEX deliveries_pending_by_user ON deliveries (user_id, channel, created_at, reminder_id)
  WHERE state = 'pending';
