-- The api's tables: users, tasks (tags, search terms, recurrence, reminders) and idempotency
-- keys. Instants are Unix milliseconds (UTC) in bigint, as in the SQLite schema; read them with
-- to_timestamp(created_at / 1000.0).
CREATE TABLE users (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email         text NOT NULL UNIQUE,
  name          text NOT NULL DEFAULT '',
  password_hash text NOT NULL,
  created_at    bigint NOT NULL
);

CREATE TABLE tasks (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- never reused: history refers to ids
  user_id          bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title            text NOT NULL,
  description      text NOT NULL DEFAULT '',
  status           smallint NOT NULL CHECK (status IN (0, 1)),         -- 0 pending, 1 completed
  priority         smallint NOT NULL CHECK (priority BETWEEN 0 AND 3), -- none, low, medium, high
  tags             text[] NOT NULL DEFAULT '{}',                       -- normalized, in order
  due_at           bigint,
  time_zone        text NOT NULL DEFAULT 'UTC',
  created_at       bigint NOT NULL,
  updated_at       bigint NOT NULL,
  completed_at     bigint,
  version          bigint NOT NULL DEFAULT 1,
  reminders        text NOT NULL DEFAULT '',  -- "b<minutes>" / "a<ms>", space-separated
  recurrence_rrule text,                      -- NULL: not recurring
  recurrence_mode  text,                      -- schedule | completion
  series_id        bigint,                    -- id of the series' first task
  series_start     bigint,                    -- DTSTART, Unix ms
  occurrence_index integer,                   -- position in the series
  -- Title, description and tags as FTS5's unicode61 tokenizer cuts them (written by the store,
  -- see store/postgres/search_terms.hpp), so search matches what the SQLite store matches.
  search           tsvector NOT NULL DEFAULT '',
  -- No due date sorts after every date.
  due_sort         bigint GENERATED ALWAYS AS (coalesce(due_at, 9223372036854775807)) STORED,
  -- SQLite's NOCASE order: ASCII letters folded, then bytes.
  title_key        text COLLATE "C" GENERATED ALWAYS AS
                     (translate(title, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')) STORED
);

-- One index per sort key: every listing walks one of them in order, with the filters as residuals.
CREATE INDEX tasks_by_due      ON tasks (user_id, due_sort, id);
CREATE INDEX tasks_by_priority ON tasks (user_id, priority, id);
CREATE INDEX tasks_by_title    ON tasks (user_id, title_key, id);
CREATE INDEX tasks_by_created  ON tasks (user_id, created_at, id);
CREATE INDEX tasks_by_tags     ON tasks USING gin (tags);
CREATE INDEX tasks_search      ON tasks USING gin (search);
-- One task per (series, occurrence): redelivery, reopen + complete, or two consumers racing
-- can never create the same next occurrence twice.
CREATE UNIQUE INDEX tasks_by_occurrence ON tasks (series_id, occurrence_index)
  WHERE series_id IS NOT NULL;

CREATE TABLE idempotency_keys (
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key          text NOT NULL,
  request_hash text NOT NULL,
  status       integer NOT NULL,
  body         text NOT NULL,
  created_at   bigint NOT NULL,
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
