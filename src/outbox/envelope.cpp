#include "outbox/envelope.hpp"

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

}  // namespace tickler::outbox
