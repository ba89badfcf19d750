-- Delivery records get the states of a delivery core (services/notifier/channel.hpp):
-- pending → sent | delivered, or failed (last error kept, retried at next_attempt) → … → dead
-- (redrivable with tickler dlq deliveries). A claim (lease_owner until lease_until) is taken
-- before each attempt, so two notifiers never attempt one delivery at once. The old terminal
-- 'failed' is the new 'dead'. SQLite cannot change a CHECK: the table is rebuilt.
CREATE TABLE deliveries_new (
  reminder_id  TEXT NOT NULL,
  channel      TEXT NOT NULL,  -- in_app | webhook | webhook:<id> | email | …
  state        TEXT NOT NULL
               CHECK (state IN ('pending', 'failed', 'sent', 'delivered', 'dead')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  next_attempt INTEGER,
  delivered_at INTEGER,
  user_id      INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL DEFAULT 0,
  sent_at      INTEGER,
  lease_owner  TEXT,
  lease_until  INTEGER,
  payload      TEXT,  -- a task event's delivery (reminder_id event:<id>): the body
  PRIMARY KEY (reminder_id, channel)
) WITHOUT ROWID;
INSERT INTO deliveries_new (reminder_id, channel, state, attempts, last_error, next_attempt,
                            delivered_at, user_id, created_at, sent_at)
  SELECT reminder_id, channel, CASE state WHEN 'failed' THEN 'dead' ELSE state END, attempts,
         last_error, next_attempt, delivered_at, user_id, created_at, delivered_at
  FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_waiting_by_user ON deliveries (user_id, channel, created_at, reminder_id)
  WHERE state IN ('pending', 'failed');
CREATE INDEX deliveries_dead ON deliveries (created_at, reminder_id) WHERE state = 'dead';

-- A user may have several webhooks, each selecting its events (comma-separated); the first (lowest
-- id) is the one /api/me/webhook reads and sets. Deliveries of one are on channel webhook:<id>.
CREATE TABLE webhooks_new (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id    INTEGER NOT NULL,
  url        TEXT NOT NULL,
  secret     TEXT NOT NULL,
  events     TEXT NOT NULL DEFAULT 'reminder.fired',
  created_at INTEGER NOT NULL
);
INSERT INTO webhooks_new (user_id, url, secret, created_at)
  SELECT user_id, url, secret, created_at FROM webhooks ORDER BY user_id;
DROP TABLE webhooks;
ALTER TABLE webhooks_new RENAME TO webhooks;
CREATE INDEX webhooks_by_user ON webhooks (user_id, id);
