-- Users, tasks, tags, full-text index and idempotency keys. Instants are Unix milliseconds (UTC).
CREATE TABLE users (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  email         TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);

CREATE TABLE tasks (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: history refers to ids
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  title        TEXT NOT NULL,
  description  TEXT NOT NULL DEFAULT '',
  status       INTEGER NOT NULL CHECK (status IN (0, 1)),        -- 0 pending, 1 completed
  priority     INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 3), -- none, low, medium, high
  tags         TEXT NOT NULL DEFAULT '',                          -- normalized tags, space-separated
  due_at       INTEGER,
  time_zone    TEXT NOT NULL DEFAULT 'UTC',
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  completed_at INTEGER,
  version      INTEGER NOT NULL DEFAULT 1,
  -- No due date sorts after every date.
  due_sort     INTEGER GENERATED ALWAYS AS (coalesce(due_at, 9223372036854775807)) VIRTUAL
);

-- One index per sort key: every listing walks one of them in order, with the filters as residuals.
CREATE INDEX tasks_by_due      ON tasks (user_id, due_sort, id);
CREATE INDEX tasks_by_priority ON tasks (user_id, priority, id);
CREATE INDEX tasks_by_title    ON tasks (user_id, title COLLATE NOCASE, id);
CREATE INDEX tasks_by_created  ON tasks (user_id, created_at, id);

CREATE TABLE task_tags (
  user_id INTEGER NOT NULL,
  tag     TEXT NOT NULL,
  task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, tag, task_id)
) WITHOUT ROWID;
CREATE INDEX task_tags_by_task ON task_tags (task_id);

CREATE VIRTUAL TABLE tasks_fts USING fts5(
  title, description, tags,
  content = 'tasks', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN
  INSERT INTO tasks_fts (rowid, title, description, tags)
  VALUES (new.id, new.title, new.description, new.tags);
END;
CREATE TRIGGER tasks_fts_delete AFTER DELETE ON tasks BEGIN
  INSERT INTO tasks_fts (tasks_fts, rowid, title, description, tags)
  VALUES ('delete', old.id, old.title, old.description, old.tags);
END;
CREATE TRIGGER tasks_fts_update AFTER UPDATE OF title, description, tags ON tasks BEGIN
  INSERT INTO tasks_fts (tasks_fts, rowid, title, description, tags)
  VALUES ('delete', old.id, old.title, old.description, old.tags);
  INSERT INTO tasks_fts (rowid, title, description, tags)
  VALUES (new.id, new.title, new.description, new.tags);
END;

CREATE TABLE idempotency_keys (
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status       INTEGER NOT NULL,
  body         TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
