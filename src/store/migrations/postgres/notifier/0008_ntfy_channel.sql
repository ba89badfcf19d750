-- ntfy as a reminder channel: each user's server, topic and access token.
CREATE TABLE ntfy_channels (
  user_id    bigint PRIMARY KEY,
  server     text NOT NULL,
  topic      text NOT NULL,
  token      text NOT NULL DEFAULT '',
  created_at bigint NOT NULL
);
