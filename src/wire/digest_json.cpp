#include "wire/digest_json.hpp"

#include <boost/json.hpp>

#include "wire/fields.hpp"

namespace tickler::wire {

boost::json::object digest_request_to_json(const DigestRequest& r) {
  return {{"user_id", r.user_id}, {"before", core::format_rfc3339(r.before)}};
}

core::Result<DigestRequest> digest_request_from_json(const boost::json::object& o) {
  auto user = fields::integer(o, "user_id");
  if (!user) return user.error();
  if (*user <= 0) return core::field_error("user_id", "must be a user id");
  auto before = fields::instant(o, "before");
  if (!before) return before.error();
  return DigestRequest{*user, *before};
}

boost::json::object digest_items_to_json(const std::vector<core::DigestItem>& items) {
  boost::json::array out;
  out.reserve(items.size());
  for (const auto& item : items) {
    out.push_back(boost::json::object{{"task_id", item.task_id},
                                      {"title", item.title},
                                      {"due_at", core::format_rfc3339(item.due_at)},
                                      {"time_zone", item.time_zone}});
  }
  return {{"items", std::move(out)}};
}

core::Result<std::vector<core::DigestItem>> digest_items_from_json(const boost::json::object& o) {
  const auto* items = o.if_contains("items");
  if (!items || !items->is_array()) return core::field_error("items", "must be an array");
  std::vector<core::DigestItem> out;
  out.reserve(items->as_array().size());
  for (const auto& value : items->as_array()) {
    if (!value.is_object()) return core::field_error("items", "must hold objects");
    const auto& item = value.as_object();
    auto id = fields::integer(item, "task_id");
    if (!id) return id.error();
    auto title = fields::text(item, "title");
    if (!title) return title.error();
    auto due = fields::instant(item, "due_at");
    if (!due) return due.error();
    auto zone = fields::text(item, "time_zone");
    if (!zone) return zone.error();
    out.push_back({*id, std::move(*title), *due, std::move(*zone), false});
  }
  return out;
}

}  // namespace tickler::wire
