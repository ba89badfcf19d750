-- The notifier's tables: reminders go scheduled → fired (once) or cancelled; the notifications
-- they produce; users' webhooks; deliveries per channel.
CREATE TABLE reminders (
  id         text PRIMARY KEY,
  task_id    bigint NOT NULL,
  user_id    bigint NOT NULL,
  title      text NOT NULL,
  due_at     bigint,
  remind_at  bigint NOT NULL,
  state      text NOT NULL CHECK (state IN ('scheduled', 'fired', 'cancelled')),
  fired_at   bigint,
  created_at bigint NOT NULL
);
CREATE INDEX reminders_due ON reminders (remind_at) WHERE state = 'scheduled';
CREATE INDEX reminders_by_task ON reminders (task_id);

CREATE TABLE notifications (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     bigint NOT NULL,
  task_id     bigint NOT NULL,
  reminder_id text NOT NULL UNIQUE,
  title       text NOT NULL,
  remind_at   bigint NOT NULL,
  fired_at    bigint NOT NULL,
  read_at     bigint
);
CREATE INDEX notifications_by_user ON notifications (user_id, id);

CREATE TABLE webhooks (
  user_id    bigint PRIMARY KEY,
  url        text NOT NULL,
  secret     text NOT NULL,
  created_at bigint NOT NULL
);

CREATE TABLE deliveries (
  reminder_id  text NOT NULL,
  channel      text NOT NULL,  -- in_app | webhook
  state        text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  next_attempt bigint,
  delivered_at bigint,
  PRIMARY KEY (reminder_id, channel)
);
CREATE INDEX deliveries_pending ON deliveries (next_attempt) WHERE state = 'pending';
