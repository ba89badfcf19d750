-- The chat assistant's conversations: one row each (state: the JSON the next turn needs, a
-- pending choice or confirmation and the undo record), and their messages (role, text, the
-- structured actions of an assistant reply as a JSON array). They go with the user; messages go
-- with their conversation.
CREATE TABLE conversations (
  id         TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title      TEXT NOT NULL,
  state      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conversations_by_user ON conversations (user_id, updated_at DESC, id);
CREATE TABLE conversation_messages (
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  seq             INTEGER NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
  text            TEXT NOT NULL,
  actions         TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  PRIMARY KEY (conversation_id, seq)
) WITHOUT ROWID;
