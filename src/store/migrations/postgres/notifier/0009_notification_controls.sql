-- The controls of notifications: a reminder carries its task's priority (which channels it goes
-- to, whether quiet hours hold it); a user's preferences (a JSON document the notifier reads:
-- zone, quiet hours, channels by priority, digest) and a task's override of them.
ALTER TABLE reminders ADD COLUMN priority text NOT NULL DEFAULT 'none';
CREATE TABLE notification_settings (
  user_id    bigint PRIMARY KEY,
  body       text NOT NULL,
  updated_at bigint NOT NULL
);
CREATE TABLE notification_overrides (
  task_id    bigint PRIMARY KEY,
  user_id    bigint NOT NULL,
  body       text NOT NULL,
  updated_at bigint NOT NULL
);
CREATE INDEX notification_overrides_by_user ON notification_overrides (user_id);
