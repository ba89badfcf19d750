#pragma once
// An event on the bus: the attributes of a CloudEvent 1.0 plus its JSON data, and its JSON
// (structured-mode) encoding — the only place that writes or reads CloudEvents JSON. Topic names
// and payloads are defined in wire/; outbox/envelope.hpp fills these attributes.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace tickler::bus {

struct Event {
  std::string id;  // stable across redeliveries (the outbox row id)
  std::string topic;
  std::string type;           // e.g. tickler.task.created.v1
  std::string source;         // e.g. tickler/api
  std::string subject;        // e.g. the task id
  std::string partition_key;  // the user id: events of one user stay in order
  core::Instant time{};
  std::string data;  // JSON text
};

// CloudEvents 1.0 structured JSON; the partition key travels as the extension "partitionkey".
[[nodiscard]] std::string to_cloudevent_json(const Event& event);
// invalid_json / validation_failed when the text is not a CloudEvent with JSON data.
[[nodiscard]] core::Result<Event> event_from_cloudevent_json(std::string_view text,
                                                             std::string_view topic);
// The same, from an already parsed CloudEvent (an entry of a bulk delivery).
[[nodiscard]] core::Result<Event> event_from_cloudevent(const boost::json::object& cloudevent,
                                                        std::string_view topic);

}  // namespace tickler::bus
