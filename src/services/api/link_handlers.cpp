// Handlers of a reminder's links — mailed (/links/task/{token}), in a Web Push message
// (/links/push/{token}) or an ntfy message (/links/ntfy/{token}) — and of
// POST /api/tasks/{id}/snooze. A link's GET shows a page with a button and changes nothing (mail
// scanners fetch links); the POST to the same URL acts, through the same task operations as the
// REST routes (events, audit with the channel's actor: "email link", "push", "ntfy"), once.
#include <charconv>

#include "core/local_time.hpp"
#include "http/json_fields.hpp"
#include "http/link_page.hpp"
#include "http/response.hpp"
#include "services/api/api_service.hpp"
#include "services/api/handler_util.hpp"
#include "wire/task_json.hpp"

namespace tickler::services::api {
namespace {

using http::beast_http::status;

// What each action of a mailed link does: its page's question and button, and the snooze it
// makes (none for done).
struct LinkAction {
  std::string_view name;
  std::string_view question;  // "<question> “<title>”?"
  std::string_view button;
  std::string_view done;  // the page after it acted
};

constexpr LinkAction k_actions[] = {
    {"done", "Mark as done", "Done", "Marked as done"},
    {"snooze-10m", "Remind you again in 10 minutes of", "Snooze 10 min", "Snoozed"},
    {"snooze-1h", "Remind you again in an hour of", "Snooze 1 h", "Snoozed"},
    {"snooze-tomorrow", "Remind you again tomorrow at 9:00 of", "Snooze until tomorrow 9:00",
     "Snoozed"},
};

const LinkAction* action_named(std::string_view name) {
  for (const auto& a : k_actions) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

SnoozeUntil snooze_of(std::string_view action) {
  if (action == "snooze-10m") {
    return [](const core::Task&, core::Instant now) { return now + std::chrono::minutes{10}; };
  }
  if (action == "snooze-1h") {
    return [](const core::Task&, core::Instant now) { return now + std::chrono::hours{1}; };
  }
  return [](const core::Task& t, core::Instant now) {
    return core::next_day_at(now, t.time_zone, 9, 0);
  };
}

// The purpose a link's path names (/links/<purpose>/…) and the audit actor of acting on it.
struct LinkPurpose {
  std::string_view purpose;
  std::string_view actor;
};
constexpr LinkPurpose k_purposes[] = {{"task", "email link"}, {"push", "push"}, {"ntfy", "ntfy"}};

const LinkPurpose* purpose_of(const http::RequestContext& ctx) {
  const std::string_view target = ctx.request.target();
  for (const auto& p : k_purposes) {
    const auto prefix = "/links/" + std::string{p.purpose} + "/";
    if (target.starts_with(prefix)) return &p;
  }
  return nullptr;
}

http::Response refused_page(const core::Error& e) {
  return http::link_page(http::status_of(e.code), "This link does not work", e.message);
}

}  // namespace

// After inlining, GCC 12 pairs the coroutine frame's aligned allocation with Asio's sized
// operator delete and reports a mismatch (GCC bug 109224); Asio allocates and frees the frame
// with one matching pair.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

core::Result<auth::LinkClaims> ApiService::task_link(const http::RequestContext& ctx) const {
  auto claims = auth::verify_link(link_key_, ctx.path_params.at("token"), core::now());
  if (!claims) return claims.error();
  core::TaskId id = 0;
  const auto& s = claims->subject;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  const auto* purpose = purpose_of(ctx);
  if (!purpose || claims->purpose != purpose->purpose || !action_named(claims->action) ||
      ec != std::errc{} || ptr != s.data() + s.size()) {
    auto e = core::make_error(core::Errc::forbidden, "this link is not a task's link");
    e.code_name = "link_invalid";
    return e;
  }
  return claims;
}

net::awaitable<http::Response> ApiService::task_link_page(Ctx& ctx) {
  auto claims = task_link(ctx);
  if (!claims) co_return refused_page(claims.error());
  const auto id = std::stoll(claims->subject);
  auto task = co_await offload_.call(&TaskService::get, &tasks_, claims->user_id, id);
  if (!task) co_return refused_page(task.error());
  const auto* action = action_named(claims->action);
  co_return http::link_page(status::ok, std::string{action->button},
                            std::string{action->question} + " “" + task->title + "”?",
                            action->button);
}

net::awaitable<http::Response> ApiService::act_on_task_link(Ctx& ctx) {
  auto claims = task_link(ctx);
  if (!claims) co_return refused_page(claims.error());
  const auto id = std::stoll(claims->subject);
  const Actor actor{std::string{purpose_of(ctx)->actor}, ctx.request_id};
  const std::optional<std::string> link_id = claims->id;
  core::Result<core::Task> task = core::make_error(core::Errc::internal, "not acted");
  if (claims->action == "done") {
    task = co_await offload_.call(&TaskService::complete_once, &tasks_, claims->user_id, id, actor,
                                  claims->id);
  } else {
    task = co_await offload_.call(&TaskService::snooze, &tasks_, claims->user_id, id,
                                  snooze_of(claims->action), actor, link_id);
  }
  if (!task) co_return refused_page(task.error());
  const auto* action = action_named(claims->action);
  std::string message = "“" + task->title + "”";
  if (claims->action == "done") {
    message += " is done.";
  } else if (!task->reminders.empty()) {
    // The latest one-off reminder is the one this link set.
    std::optional<core::Instant> latest;
    for (const auto& r : task->reminders) {
      if (r.at && (!latest || *r.at > *latest)) latest = r.at;
    }
    message += latest ? ": you will be reminded " + core::local_time_text(*latest, task->time_zone)
                      : std::string{};
    message += ".";
  }
  co_return http::link_page(status::ok, std::string{action->done}, message);
}

net::awaitable<http::Response> ApiService::snooze_task(Ctx& ctx) {
  auto id = task_id_param(ctx);
  if (!id) co_return http::error_response(id.error());
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  http::JsonFields f{*body};
  if (auto st = f.only({"until"}); !st) co_return http::error_response(st.error());
  auto text = f.required_string("until");
  if (!text) co_return http::error_response(text.error());
  const auto until = core::parse_rfc3339(*text);
  if (!until) {
    co_return http::error_response(core::field_error("until", "must be an RFC 3339 instant"));
  }
  if (*until <= core::now()) {
    co_return http::error_response(core::field_error("until", "must be in the future"));
  }
  const Actor actor{ctx.principal->actor, ctx.request_id};
  const SnoozeUntil fixed = [at = *until](const core::Task&, core::Instant) { return at; };
  const std::optional<std::string> no_link;
  auto task = co_await offload_.call(&TaskService::snooze, &tasks_, *ctx.user_id, *id, fixed, actor,
                                     no_link);
  if (!task) co_return http::error_response(task.error());
  co_return task_response(status::ok, *task);
}

#pragma GCC diagnostic pop

}  // namespace tickler::services::api
