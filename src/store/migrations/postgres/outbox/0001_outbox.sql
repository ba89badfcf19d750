-- The transactional outbox and dead letters, in every role that produces events (the api's task
-- events, the notifier's fired reminders): rows are written in the transaction of the change
-- they announce; the relay publishes them in id order and marks them sent once the bus
-- acknowledged them. id is the CloudEvent id unless event_id (a redriven event) is set.
CREATE TABLE outbox (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  topic       text NOT NULL,
  type        text NOT NULL,
  source      text NOT NULL,
  subject     text NOT NULL,
  user_id     bigint NOT NULL,  -- partition key: per-user order
  data        text NOT NULL,    -- JSON, byte for byte as written
  event_id    text,             -- a redriven event keeps its original id
  target      text,             -- only this subscriber (redrive); NULL: all of them
  created_at  bigint NOT NULL,
  sent_at     bigint,
  attempts    integer NOT NULL DEFAULT 0,
  last_error  text
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
CREATE INDEX outbox_by_user ON outbox (user_id, id);

-- An event a subscriber refused (DROP) or kept failing on; redrive puts it back in the outbox
-- for that subscriber only, with the same event id.
CREATE TABLE dead_letters (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id    text NOT NULL,
  subscriber  text NOT NULL,
  topic       text NOT NULL,
  type        text NOT NULL,
  source      text NOT NULL,
  subject     text NOT NULL,
  user_id     bigint NOT NULL,
  data        text NOT NULL,
  error       text NOT NULL,
  created_at  bigint NOT NULL,
  redriven_at bigint
);
