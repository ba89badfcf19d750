-- Retention (services/event_retention.hpp): records of events processed before the horizon are
-- deleted in short batches, oldest first, found through this index.
CREATE INDEX processed_events_by_time ON processed_events (processed_at);
