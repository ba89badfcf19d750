-- Exactly-once effects, in every role that consumes events: a consumer records the event id in
-- the transaction of its effect, so a redelivery is a no-op.
CREATE TABLE processed_events (
  consumer     text NOT NULL,
  event_id     text NOT NULL,
  processed_at bigint NOT NULL,
  PRIMARY KEY (consumer, event_id)
);
