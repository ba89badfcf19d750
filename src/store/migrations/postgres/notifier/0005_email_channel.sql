-- Email as a reminder channel: the task's time zone travels with its reminders (a mailed
-- reminder shows the due time there), and each user's address, mailed only once confirmed.
ALTER TABLE reminders ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC';
CREATE TABLE email_channels (
  user_id             bigint PRIMARY KEY,
  address             text NOT NULL,
  confirmed           boolean NOT NULL DEFAULT false,
  created_at          bigint NOT NULL,
  confirmed_at        bigint,
  confirmations_sent  integer NOT NULL DEFAULT 0,
  confirmations_since bigint NOT NULL
);
