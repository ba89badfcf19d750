-- The OAuth 2.1 authorization server (MCP clients): registered clients, authorization codes,
-- grants (a user's consent to a client) and the access and refresh tokens issued under them.
-- Codes, tokens and client secrets are stored as their SHA-256 (hex) only. Instants are Unix
-- milliseconds (bigint), as in the SQLite schema. A user's grants and codes go with the user; a
-- grant's tokens and codes with it.
CREATE TABLE oauth_clients (
  client_id   text PRIMARY KEY,         -- issued at registration, or a metadata document's URL
  metadata    text NOT NULL,            -- JSON: client_name, redirect_uris, grant_types, …
  secret_hash text NOT NULL DEFAULT '', -- empty: a public client
  created_at  bigint NOT NULL,
  granted_at  bigint,                   -- first consent; clients never granted expire
  fetched_at  bigint                    -- a metadata document's client: when it was read
);
CREATE INDEX oauth_clients_ungranted ON oauth_clients (created_at) WHERE granted_at IS NULL;

CREATE TABLE oauth_grants (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id    text NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
  scopes       text NOT NULL,
  created_at   bigint NOT NULL,
  last_used_at bigint,
  revoked_at   bigint,
  UNIQUE (user_id, client_id)
);
CREATE INDEX oauth_grants_by_client ON oauth_grants (client_id);

CREATE TABLE oauth_codes (
  code_hash      text PRIMARY KEY,
  client_id      text NOT NULL,
  user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  grant_id       bigint NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
  redirect_uri   text NOT NULL,
  code_challenge text NOT NULL,
  scopes         text NOT NULL,
  resource       text NOT NULL,
  created_at     bigint NOT NULL,
  expires_at     bigint NOT NULL,
  used           boolean NOT NULL DEFAULT false
);
CREATE INDEX oauth_codes_by_user ON oauth_codes (user_id, created_at);
CREATE INDEX oauth_codes_by_grant ON oauth_codes (grant_id);
CREATE INDEX oauth_codes_by_expiry ON oauth_codes (expires_at);

CREATE TABLE oauth_tokens (
  token_hash text PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('access', 'refresh')),
  grant_id   bigint NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
  family     text NOT NULL,             -- the code the chain started from
  scopes     text NOT NULL,
  resource   text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  rotated_at bigint                     -- a refresh token already exchanged
);
CREATE INDEX oauth_tokens_by_grant ON oauth_tokens (grant_id, kind, created_at);
CREATE INDEX oauth_tokens_by_family ON oauth_tokens (family);
CREATE INDEX oauth_tokens_by_expiry ON oauth_tokens (expires_at);
