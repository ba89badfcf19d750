#include "outbox/envelope.hpp"

#include <charconv>

namespace tickler::outbox {

store::OutboxRow outbox_row(std::string_view topic, std::string_view type, std::string_view source,
                            std::string subject, core::UserId user, std::string data,
                            core::Instant time) {
  store::OutboxRow r;
  r.topic = std::string{topic};
  r.type = std::string{type};
  r.source = std::string{source};
  r.subject = std::move(subject);
  r.user_id = user;
  r.data = std::move(data);
  r.created_at = time;
  return r;
}

bus::Event to_event(const store::OutboxRow& row) {
  return {row.cloud_event_id(),        row.topic,      row.type, row.source, row.subject,
          std::to_string(row.user_id), row.created_at, row.data};
}

store::OutboxRow from_event(const bus::Event& event, core::Instant created_at) {
  store::OutboxRow row;
  row.topic = event.topic;
  row.type = event.type;
  row.source = event.source;
  row.subject = event.subject;
  const auto& key = event.partition_key;
  std::from_chars(key.data(), key.data() + key.size(), row.user_id);
  row.data = event.data;
  row.event_id = event.id;
  row.created_at = created_at;
  return row;
}

}  // namespace tickler::outbox
