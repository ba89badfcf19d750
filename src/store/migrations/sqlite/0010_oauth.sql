-- The OAuth 2.1 authorization server (MCP clients): registered clients, authorization codes,
-- grants (a user's consent to a client) and the access and refresh tokens issued under them.
-- Codes, tokens and client secrets are stored as their SHA-256 (hex) only. Instants are Unix
-- milliseconds. A user's grants and codes go with the user; a grant's tokens and codes with it.
CREATE TABLE oauth_clients (
  client_id   TEXT PRIMARY KEY,         -- issued at registration, or a metadata document's URL
  metadata    TEXT NOT NULL,            -- JSON: client_name, redirect_uris, grant_types, …
  secret_hash TEXT NOT NULL DEFAULT '', -- empty: a public client
  created_at  INTEGER NOT NULL,
  granted_at  INTEGER,                  -- first consent; clients never granted expire
  fetched_at  INTEGER                   -- a metadata document's client: when it was read
) WITHOUT ROWID;
CREATE INDEX oauth_clients_ungranted ON oauth_clients (created_at) WHERE granted_at IS NULL;

CREATE TABLE oauth_grants (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  client_id    TEXT NOT NULL REFERENCES oauth_clients(client_id) ON DELETE CASCADE,
  scopes       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER,
  UNIQUE (user_id, client_id)
);
CREATE INDEX oauth_grants_by_client ON oauth_grants (client_id);

CREATE TABLE oauth_codes (
  code_hash      TEXT PRIMARY KEY,
  client_id      TEXT NOT NULL,
  user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  grant_id       INTEGER NOT NULL REFERENCES oauth_grants(id) ON DELETE CASCADE,
  redirect_uri   TEXT NOT NULL,
  code_challenge TEXT NOT NULL,
  scopes         TEXT NOT NULL,
  resource       TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  used           INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1))
) WITHOUT ROWID;
CREATE INDEX oauth_codes_by_user ON oauth_codes (user_id, created_at);
CREATE INDEX oauth_codes_by_grant ON oauth_codes (grant_id);
CREATE INDEX oauth_codes_by_expiry ON oauth_codes (expires_at);

CREATE TABLE oauth_tokens (
  token_hash TEXT PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
  grant_id   INTEGER NOT NULL REFERENCES oauth_grants(id) ON DELETE CASCADE,
  family     TEXT NOT NULL,             -- the code the chain started from
  scopes     TEXT NOT NULL,
  resource   TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  rotated_at INTEGER                    -- a refresh token already exchanged
) WITHOUT ROWID;
CREATE INDEX oauth_tokens_by_grant ON oauth_tokens (grant_id, kind, created_at);
CREATE INDEX oauth_tokens_by_family ON oauth_tokens (family);
CREATE INDEX oauth_tokens_by_expiry ON oauth_tokens (expires_at);
