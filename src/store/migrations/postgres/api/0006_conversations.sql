-- The chat assistant's conversations: one row each (state: the JSON the next turn needs, a
-- pending choice or confirmation and the undo record), and their messages (role, text, the
-- structured actions of an assistant reply as a JSON array). They go with the user; messages go
-- with their conversation.
CREATE TABLE conversations (
  id         text PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  title      text NOT NULL,
  state      text NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  version    bigint NOT NULL DEFAULT 0
);
CREATE INDEX conversations_by_user ON conversations (user_id, updated_at DESC, id);
CREATE TABLE conversation_messages (
  conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  seq             bigint NOT NULL,
  role            text NOT NULL CHECK (role IN ('user', 'assistant')),
  text            text NOT NULL,
  actions         text NOT NULL,
  created_at      bigint NOT NULL,
  PRIMARY KEY (conversation_id, seq)
);
