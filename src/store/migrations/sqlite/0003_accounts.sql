-- Accounts of a public instance: a per-user token generation (every token carries the one it was
-- issued under; changing the password or deleting the account moves it, so older tokens stop
-- working), disabled accounts, and one-time sign-up invites (only their SHA-256 is stored).
ALTER TABLE users ADD COLUMN token_generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1));

CREATE TABLE invites (
  code_hash  TEXT PRIMARY KEY,   -- hex SHA-256 of the code
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
) WITHOUT ROWID;
