-- The auditor's append-only history with a per-user hash chain: hash = SHA-256(prev_hash ||
-- entry). changes stays text: the hash covers its exact bytes, which jsonb would rewrite.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id    text NOT NULL UNIQUE,
  user_id     bigint NOT NULL,
  task_id     bigint NOT NULL,
  actor       text NOT NULL,
  type        text NOT NULL,
  changes     text NOT NULL,  -- JSON {field: {before, after}}
  at          bigint NOT NULL,
  request_id  text NOT NULL DEFAULT '',
  prev_hash   text NOT NULL,
  hash        text NOT NULL
);
CREATE INDEX audit_by_task ON audit_log (user_id, task_id, id);
CREATE INDEX audit_by_user ON audit_log (user_id, id);

-- The head of each user's chain, moved in the transaction of every append (only from the hash
-- the new entry follows, so concurrent appends cannot fork a chain); deleting the newest
-- entries, which leaves a shorter but consistent chain, does not go unnoticed.
CREATE TABLE audit_heads (
  user_id  bigint PRIMARY KEY,
  last_id  bigint NOT NULL,
  hash     text NOT NULL,
  entries  bigint NOT NULL
);
