-- Retention (services/event_retention.hpp): outbox rows sent before the horizon are deleted in
-- short batches, oldest first, found through this index (unsent rows are not in it).
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
