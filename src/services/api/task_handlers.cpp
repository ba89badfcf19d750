// Handlers of /api/tasks* and /api/tags.
#include <boost/json/serialize.hpp>

#include "auth/digest.hpp"
#include "http/json_fields.hpp"
#include "services/api/api_service.hpp"
#include "services/api/handler_util.hpp"
#include "services/api/list_query.hpp"
#include "services/api/task_requests.hpp"
#include "wire/task_json.hpp"

namespace tickler::services::api {
namespace {

using http::beast_http::field;
using http::beast_http::status;

core::Result<std::optional<IdempotencyKey>> idempotency_key(const http::RequestContext& ctx) {
  const auto header = ctx.request["Idempotency-Key"];
  if (header.empty()) return std::optional<IdempotencyKey>{};
  const bool printable =
      header.size() <= 255 &&
      std::all_of(header.begin(), header.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
  if (!printable) {
    return core::make_error(core::Errc::invalid_parameter,
                            "Idempotency-Key must be 1–255 printable ASCII characters",
                            {{"parameter", "Idempotency-Key"}});
  }
  return std::optional<IdempotencyKey>{
      IdempotencyKey{std::string{header}, auth::sha256_hex(ctx.request.body())}};
}

Actor actor_of(const http::RequestContext& ctx) {
  return {ctx.principal->actor, ctx.request_id};
}

// A task body, or a quick-add line read in the body's time zone.
core::Result<core::TaskDraft> draft_from_body(const boost::json::object& body) {
  if (!is_quick_add(body)) return draft_from_json(body);
  std::string zone;
  auto quick = quick_from_json(body, core::now(), zone);
  if (!quick) return quick.error();
  auto draft = draft_from_quick(*quick, std::move(zone));
  if (auto st = core::validate(draft); !st) return st.error();
  return draft;
}

std::string render_task(const core::Task& t) {
  return boost::json::serialize(wire::task_to_json(t));
}

}  // namespace

net::awaitable<http::Response> ApiService::create_task(Ctx& ctx) {
  const Actor actor = actor_of(ctx);
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  auto draft = draft_from_body(*body);
  if (!draft) co_return http::error_response(draft.error());
  auto key = idempotency_key(ctx);
  if (!key) co_return http::error_response(key.error());
  const TaskService::Render render = render_task;
  auto out = co_await offload_.call(&TaskService::create, &tasks_, *ctx.user_id, *draft, *key,
                                    render, actor);
  if (!out) co_return http::error_response(out.error());
  http::Response res{static_cast<status>(out->status), 11};
  res.set(field::content_type, "application/json");
  res.body() = std::move(out->body);
  res.prepare_payload();
  if (out->replayed) {
    res.set("Idempotent-Replayed", "true");
  } else {
    res.set(field::etag, etag(out->version));
    res.set(field::location, "/api/tasks/" + std::to_string(out->id));
  }
  co_return res;
}

net::awaitable<http::Response> ApiService::get_task(Ctx& ctx) {
  auto id = task_id_param(ctx);
  if (!id) co_return http::error_response(id.error());
  auto task = co_await offload_.call(&TaskService::get, &tasks_, *ctx.user_id, *id);
  if (!task) co_return http::error_response(task.error());
  if (ctx.request[field::if_none_match] == etag(task->version)) {
    auto res = http::empty_response(status::not_modified);
    res.set(field::etag, etag(task->version));
    co_return res;
  }
  co_return task_response(status::ok, *task);
}

net::awaitable<http::Response> ApiService::update_task(Ctx& ctx) {
  const Actor actor = actor_of(ctx);
  auto id = task_id_param(ctx);
  if (!id) co_return http::error_response(id.error());
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  auto patch = patch_from_json(*body);
  if (!patch) co_return http::error_response(patch.error());
  const auto expected = if_match_version(ctx.request[field::if_match]);
  auto task = co_await offload_.call(&TaskService::update, &tasks_, *ctx.user_id, *id, *patch,
                                     expected, actor);
  if (!task) co_return http::error_response(task.error());
  co_return task_response(status::ok, *task);
}

net::awaitable<http::Response> ApiService::delete_task(Ctx& ctx) {
  const Actor actor = actor_of(ctx);
  auto id = task_id_param(ctx);
  if (!id) co_return http::error_response(id.error());
  const auto expected = if_match_version(ctx.request[field::if_match]);
  auto st =
      co_await offload_.call(&TaskService::remove, &tasks_, *ctx.user_id, *id, expected, actor);
  if (!st) co_return http::error_response(st.error());
  co_return http::empty_response(status::no_content);
}

net::awaitable<http::Response> ApiService::complete_task(Ctx& ctx) {
  const Actor actor = actor_of(ctx);
  auto id = task_id_param(ctx);
  if (!id) co_return http::error_response(id.error());
  auto task = co_await offload_.call(&TaskService::complete, &tasks_, *ctx.user_id, *id, actor);
  if (!task) co_return http::error_response(task.error());
  co_return task_response(status::ok, *task);
}

net::awaitable<http::Response> ApiService::reopen_task(Ctx& ctx) {
  const Actor actor = actor_of(ctx);
  auto id = task_id_param(ctx);
  if (!id) co_return http::error_response(id.error());
  auto out = co_await offload_.call(&TaskService::reopen, &tasks_, *ctx.user_id, *id, actor);
  if (!out) co_return http::error_response(out.error());
  auto body = wire::task_to_json(out->task);
  if (out->retracted_occurrence) body["retracted_occurrence_id"] = *out->retracted_occurrence;
  if (out->kept_occurrence) {
    const bool done = out->kept_occurrence->status == core::TaskStatus::completed;
    body["kept_occurrence_id"] = out->kept_occurrence->id;
    body["kept_occurrence_reason"] = done ? "completed" : "changed";
  }
  auto res = http::json_response(status::ok, std::move(body));
  res.set(field::etag, etag(out->task.version));
  co_return res;
}

net::awaitable<http::Response> ApiService::list_tasks(Ctx& ctx) {
  auto query = parse_list_query(*ctx.user_id, ctx.query);
  if (!query) co_return http::error_response(query.error());
  auto page = co_await offload_.call(&TaskService::list, &tasks_, *query);
  if (!page) co_return http::error_response(page.error());
  // One arena for the whole page instead of an allocation per string, array and object.
  boost::json::monotonic_resource arena{64 * 1024};
  boost::json::storage_ptr sp{&arena};
  boost::json::array items(sp);
  items.reserve(page->items.size());
  for (const auto& t : page->items) items.emplace_back(wire::task_to_json(t, sp));
  boost::json::value next = nullptr;
  if (page->next) next = encode_cursor(query->sort, query->order, *page->next);
  co_return http::json_response(
      status::ok, boost::json::object({{"items", std::move(items)}, {"next_cursor", next}}, sp));
}

net::awaitable<http::Response> ApiService::tags(Ctx& ctx) {
  auto counts = co_await offload_.call(&TaskService::tags, &tasks_, *ctx.user_id);
  if (!counts) co_return http::error_response(counts.error());
  boost::json::array items;
  for (const auto& c : *counts)
    items.push_back(boost::json::object{{"tag", c.tag}, {"count", c.count}});
  co_return http::json_response(status::ok, boost::json::object{{"items", std::move(items)}});
}

}  // namespace tickler::services::api

namespace tickler::services::api {

net::awaitable<http::Response> ApiService::parse_quick(Ctx& ctx) {
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  std::string zone;
  auto quick = quick_from_json(*body, core::now(), zone);
  if (!quick) co_return http::error_response(quick.error());
  co_return http::json_response(http::beast_http::status::ok, quick_to_json(*quick));
}

}  // namespace tickler::services::api
