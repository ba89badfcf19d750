-- The controls of notifications: a reminder carries its task's priority (which channels it goes
-- to, whether quiet hours hold it); a user's preferences (a JSON document the notifier reads:
-- zone, quiet hours, channels by priority, digest) and a task's override of them.
ALTER TABLE reminders ADD COLUMN priority TEXT NOT NULL DEFAULT 'none';
CREATE TABLE notification_settings (
  user_id    INTEGER PRIMARY KEY,
  body       TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE notification_overrides (
  task_id    INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL,
  body       TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX notification_overrides_by_user ON notification_overrides (user_id);
