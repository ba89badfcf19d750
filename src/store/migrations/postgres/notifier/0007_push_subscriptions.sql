-- Web Push as a reminder channel: each user's browser subscriptions (at most 10, one per
-- endpoint), and keys the instance makes once and keeps (the distributed mode reads its VAPID
-- key from the secret store instead).
CREATE TABLE push_subscriptions (
  id         bigserial PRIMARY KEY,
  user_id    bigint NOT NULL,
  endpoint   text NOT NULL,
  p256dh     text NOT NULL,
  auth       text NOT NULL,
  user_agent text NOT NULL DEFAULT '',
  created_at bigint NOT NULL
);
CREATE UNIQUE INDEX push_subscriptions_by_user ON push_subscriptions (user_id, endpoint);
CREATE TABLE instance_keys (
  name       text PRIMARY KEY,
  value      text NOT NULL,
  created_at bigint NOT NULL
);
