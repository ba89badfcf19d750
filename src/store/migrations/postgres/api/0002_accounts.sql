-- Accounts of a public instance: a per-user token generation (every token carries the one it was
-- issued under; changing the password or deleting the account moves it, so older tokens stop
-- working), disabled accounts, and one-time sign-up invites (only their SHA-256 is stored).
ALTER TABLE users ADD COLUMN token_generation bigint NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN disabled boolean NOT NULL DEFAULT false;

CREATE TABLE invites (
  code_hash  text PRIMARY KEY,   -- hex SHA-256 of the code
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  used_at    bigint
);
