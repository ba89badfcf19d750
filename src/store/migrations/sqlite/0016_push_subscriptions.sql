-- Web Push as a reminder channel: each user's browser subscriptions (at most 10, one per
-- endpoint), and keys the instance makes once and keeps (its VAPID key).
CREATE TABLE push_subscriptions (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id    INTEGER NOT NULL,
  endpoint   TEXT NOT NULL,
  p256dh     TEXT NOT NULL,
  auth       TEXT NOT NULL,
  user_agent TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX push_subscriptions_by_user ON push_subscriptions (user_id, endpoint);
CREATE TABLE instance_keys (
  name       TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
