-- The event-driven core: recurrence and reminders on tasks, the transactional outbox, consumer
-- de-duplication, dead letters, the audit trail and the notifier's reminder state.

ALTER TABLE tasks ADD COLUMN reminders TEXT NOT NULL DEFAULT '';  -- "b<minutes>" / "a<ms>", space-separated
ALTER TABLE tasks ADD COLUMN recurrence_rrule TEXT;                 -- NULL: not recurring
ALTER TABLE tasks ADD COLUMN recurrence_mode TEXT;                  -- schedule | completion
ALTER TABLE tasks ADD COLUMN series_id INTEGER;                     -- id of the series' first task
ALTER TABLE tasks ADD COLUMN series_start INTEGER;                  -- DTSTART, Unix ms
ALTER TABLE tasks ADD COLUMN occurrence_index INTEGER;              -- position in the series
-- One task per (series, occurrence): redelivery, reopen + complete, or two consumers racing
-- can never create the same next occurrence twice.
CREATE UNIQUE INDEX tasks_by_occurrence ON tasks (series_id, occurrence_index)
  WHERE series_id IS NOT NULL;

-- Written in the same transaction as the change it announces; the relay publishes rows in id
-- order and marks them sent once the bus acknowledged them. id is the CloudEvent id.
CREATE TABLE outbox (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  topic       TEXT NOT NULL,
  type        TEXT NOT NULL,
  source      TEXT NOT NULL,
  subject     TEXT NOT NULL,
  user_id     INTEGER NOT NULL,          -- partition key: per-user order
  data        TEXT NOT NULL,             -- JSON
  event_id    INTEGER,                   -- a redriven event keeps its original id
  target      TEXT,                      -- only this subscriber (redrive); NULL: all of them
  created_at  INTEGER NOT NULL,
  sent_at     INTEGER,
  attempts    INTEGER NOT NULL DEFAULT 0,
  last_error  TEXT
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
CREATE INDEX outbox_by_user ON outbox (user_id, id);

-- Exactly-once effects: a consumer records the event id in the transaction of its effect.
CREATE TABLE processed_events (
  consumer     TEXT NOT NULL,
  event_id     TEXT NOT NULL,
  processed_at INTEGER NOT NULL,
  PRIMARY KEY (consumer, event_id)
) WITHOUT ROWID;

-- An event a subscriber refused (DROP) or kept failing on; redrive puts it back in the outbox
-- for that subscriber only, with the same event id.
CREATE TABLE dead_letters (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id    TEXT NOT NULL,
  subscriber  TEXT NOT NULL,
  topic       TEXT NOT NULL,
  type        TEXT NOT NULL,
  source      TEXT NOT NULL,
  subject     TEXT NOT NULL,
  user_id     INTEGER NOT NULL,
  data        TEXT NOT NULL,
  error       TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  redriven_at INTEGER
);

-- Append-only history with a per-user hash chain: hash = SHA-256(prev_hash || entry).
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id    TEXT NOT NULL UNIQUE,
  user_id     INTEGER NOT NULL,
  task_id     INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  type        TEXT NOT NULL,
  changes     TEXT NOT NULL,               -- JSON {field: {before, after}}
  at          INTEGER NOT NULL,
  request_id  TEXT NOT NULL DEFAULT '',
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX audit_by_task ON audit_log (user_id, task_id, id);
CREATE INDEX audit_by_user ON audit_log (user_id, id);

-- Notifier: scheduled → fired (once) or cancelled; deliveries per channel.
CREATE TABLE reminders (
  id         TEXT PRIMARY KEY,
  task_id    INTEGER NOT NULL,
  user_id    INTEGER NOT NULL,
  title      TEXT NOT NULL,
  due_at     INTEGER,
  remind_at  INTEGER NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('scheduled', 'fired', 'cancelled')),
  fired_at   INTEGER,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX reminders_due ON reminders (remind_at) WHERE state = 'scheduled';
CREATE INDEX reminders_by_task ON reminders (task_id);

CREATE TABLE notifications (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id     INTEGER NOT NULL,
  task_id     INTEGER NOT NULL,
  reminder_id TEXT NOT NULL UNIQUE,
  title       TEXT NOT NULL,
  remind_at   INTEGER NOT NULL,
  fired_at    INTEGER NOT NULL,
  read_at     INTEGER
);
CREATE INDEX notifications_by_user ON notifications (user_id, id);

CREATE TABLE webhooks (
  user_id    INTEGER PRIMARY KEY,
  url        TEXT NOT NULL,
  secret     TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE deliveries (
  reminder_id  TEXT NOT NULL,
  channel      TEXT NOT NULL,               -- in_app | webhook
  state        TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  next_attempt INTEGER,
  delivered_at INTEGER,
  PRIMARY KEY (reminder_id, channel)
) WITHOUT ROWID;
CREATE INDEX deliveries_pending ON deliveries (next_attempt) WHERE state = 'pending';

-- The head of each user's audit chain, moved in the same transaction as every append: deleting
-- the newest entries (which leaves a shorter but consistent chain) no longer goes unnoticed.
CREATE TABLE audit_heads (
  user_id  INTEGER PRIMARY KEY,
  last_id  INTEGER NOT NULL,
  hash     TEXT NOT NULL,
  entries  INTEGER NOT NULL
);
