#include "bus/event.hpp"

#include <boost/json.hpp>

namespace tickler::bus {

std::string to_cloudevent_json(const Event& e) {
  boost::system::error_code ec;
  auto data = boost::json::parse(e.data, ec);
  if (ec) data = boost::json::string{e.data};
  boost::json::object o{{"specversion", "1.0"},
                        {"id", e.id},
                        {"source", e.source},
                        {"type", e.type},
                        {"subject", e.subject},
                        {"time", core::format_rfc3339(e.time)},
                        {"datacontenttype", "application/json"},
                        {"partitionkey", e.partition_key},
                        {"data", std::move(data)}};
  return boost::json::serialize(o);
}

core::Result<Event> event_from_cloudevent_json(std::string_view text, std::string_view topic) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) {
    return core::make_error(core::Errc::invalid_json, "event is not a JSON object");
  }
  return event_from_cloudevent(v.as_object(), topic);
}

core::Result<Event> event_from_cloudevent(const boost::json::object& o, std::string_view topic) {
  auto str = [&o](std::string_view key) -> std::string {
    const auto* f = o.if_contains(key);
    return f && f->is_string() ? std::string{f->as_string()} : std::string{};
  };
  Event e;
  e.id = str("id");
  e.type = str("type");
  if (e.id.empty() || e.type.empty() || str("specversion") != "1.0") {
    return core::field_error("event", "a CloudEvent 1.0 needs specversion, id and type");
  }
  e.topic = std::string{topic};
  e.source = str("source");
  e.subject = str("subject");
  e.partition_key = str("partitionkey");
  e.time = core::parse_rfc3339(str("time")).value_or(core::now());
  const auto* data = o.if_contains("data");
  if (!data) return core::field_error("data", "the event has no data");
  // Some transports deliver data as a JSON string holding the JSON.
  e.data = data->is_string() ? std::string{data->as_string()} : boost::json::serialize(*data);
  return e;
}

}  // namespace tickler::bus
