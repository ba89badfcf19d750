-- Personal API tokens: long-lived bearer tokens a user makes for scripts and AI clients. Only the
-- hex SHA-256 of the token is stored (unique, the lookup key); prefix is its first characters,
-- shown in lists. scopes: space-separated ("tasks:read tasks:write"). They go with the user.
CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  prefix       TEXT NOT NULL,
  scopes       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER,
  last_used_at INTEGER
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, id);
