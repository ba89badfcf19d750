#include "services/api/digest_route.hpp"

#include "bus/dapr/dapr_bus.hpp"
#include "core/task_query.hpp"
#include "http/json_fields.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "wire/digest_json.hpp"

namespace tickler::services::api {
namespace {

using http::beast_http::status;

core::Result<std::vector<core::DigestItem>> read_digest(store::Store* store,
                                                        const wire::DigestRequest& r) {
  return digest_tasks(*store, r.user_id, r.before);
}

http::net::awaitable<http::Response> digest(store::Store* store, base::Offload* offload,
                                            const std::string& app_token,
                                            http::RequestContext& ctx) {
  if (!bus::dapr::from_sidecar(ctx.request, app_token)) {
    co_return bus::dapr::sidecar_unauthorized();
  }
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  auto request = wire::digest_request_from_json(*body);
  if (!request) co_return http::error_response(request.error());
  const wire::DigestRequest req = *request;
  auto items = co_await offload->call(&read_digest, store, req);
  if (!items) co_return http::error_response(items.error());
  co_return http::json_response(status::ok, wire::digest_items_to_json(*items));
}

}  // namespace

core::Result<std::vector<core::DigestItem>> digest_tasks(store::Store& store, core::UserId user,
                                                         core::Instant day_end) {
  core::TaskQuery q;
  q.user_id = user;
  q.status = core::TaskStatus::pending;
  q.due_before = day_end;
  q.has_due = true;
  q.sort = core::SortKey::due;
  q.order = core::SortOrder::asc;
  q.limit = 100;
  auto page = store.read_value([&](store::Reader& r) { return r.tasks(q); });
  if (!page) return page.error();
  std::vector<core::DigestItem> out;
  for (const auto& t : page->items) {
    if (!t.due_at) continue;
    out.push_back({t.id, t.title, *t.due_at, t.time_zone, false});
  }
  return out;
}

void add_digest_route(const Ports& ports, std::string app_token) {
  ports.router.add(http::beast_http::verb::post, "/internal/digest", http::Access::open,
                   std::bind_front(&digest, &ports.require_store("the digest route"),
                                   &ports.offload, std::move(app_token)));
}

}  // namespace tickler::services::api
