#include "services/notifier/digest_client.hpp"

#include <boost/json.hpp>

#include "http/json_fields.hpp"
#include "wire/digest_json.hpp"

namespace tickler::services::notifier {
namespace {

core::Result<std::vector<DigestItem>> via_api(bus::dapr::DaprClient& dapr,
                                              const std::string& api_app_id, core::UserId user,
                                              core::Instant day_end) {
  auto r = dapr.invoke(api_app_id, "internal/digest",
                       boost::json::serialize(wire::digest_request_to_json({user, day_end})));
  if (!r) return r.error();
  if (r->status != 200) {
    return core::make_error(core::Errc::unavailable,
                            "api answered " + std::to_string(r->status) + ": " + r->body);
  }
  auto json = http::parse_json_object(r->body);
  if (!json) return json.error();
  auto items = wire::digest_items_from_json(*json);
  if (!items) {
    return core::make_error(core::Errc::unavailable, "unreadable digest: " + items.error().message);
  }
  return items;
}

}  // namespace

DigestSource digest_by_invocation(bus::dapr::DaprClient& dapr, std::string api_app_id) {
  return [&dapr, app = std::move(api_app_id)](core::UserId user, core::Instant day_end) {
    return via_api(dapr, app, user, day_end);
  };
}

}  // namespace tickler::services::notifier
