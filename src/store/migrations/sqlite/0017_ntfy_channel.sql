-- ntfy as a reminder channel: each user's server, topic and access token.
CREATE TABLE ntfy_channels (
  user_id    INTEGER PRIMARY KEY,
  server     TEXT NOT NULL,
  topic      TEXT NOT NULL,
  token      TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
