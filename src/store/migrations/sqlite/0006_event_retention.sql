-- Retention of the events tables (services/event_retention.hpp): outbox rows sent before the
-- outbox horizon and processed_events older than the processed-events horizon are deleted in
-- short batches, oldest first; these indexes find them without walking either table.
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX processed_events_by_time ON processed_events (processed_at);
