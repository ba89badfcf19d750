-- Personal API tokens: long-lived bearer tokens a user makes for scripts and AI clients. Only the
-- hex SHA-256 of the token is stored (unique, the lookup key); prefix is its first characters,
-- shown in lists. scopes: space-separated ("tasks:read tasks:write"). They go with the user.
CREATE TABLE api_tokens (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  prefix       text NOT NULL,
  scopes       text NOT NULL,
  created_at   bigint NOT NULL,
  expires_at   bigint,
  last_used_at bigint
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, id);
