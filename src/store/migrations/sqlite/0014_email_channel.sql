-- Email as a reminder channel: the task's time zone travels with its reminders (a mailed
-- reminder shows the due time there), and each user's address, mailed only once confirmed.
ALTER TABLE reminders ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
CREATE TABLE email_channels (
  user_id             INTEGER PRIMARY KEY,
  address             TEXT NOT NULL,
  confirmed           INTEGER NOT NULL DEFAULT 0,
  created_at          INTEGER NOT NULL,
  confirmed_at        INTEGER,
  confirmations_sent  INTEGER NOT NULL DEFAULT 0,
  confirmations_since INTEGER NOT NULL
);
