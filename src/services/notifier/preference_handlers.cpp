// Handlers of the controls: /api/me/notification-settings (GET/PUT: zone, quiet hours, channels
// by priority, digest), /api/tasks/{id}/notification-override (GET/PUT/DELETE) and
// POST /api/me/channels/test (a test message on one of the user's channels, no delivery record).
#include <boost/json.hpp>
#include <charconv>

#include "http/json_fields.hpp"
#include "http/response.hpp"
#include "services/notifier/notifier_service.hpp"
#include "services/notifier/preferences.hpp"

namespace tickler::services::notifier {
namespace {

using http::beast_http::status;
using http::beast_http::verb;

constexpr int k_tests_per_minute = 5;

std::optional<core::TaskId> task_id(const http::RequestContext& ctx) {
  const auto& text = ctx.path_params.at("id");
  core::TaskId id = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || ptr != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

core::Error no_task() {
  return core::make_error(core::Errc::not_found, "task not found");
}

// An Offload runs work answering a Result.
core::Result<Outcome> run_send(const std::function<Outcome()>& send) {
  return send();
}

const char* outcome_name(Outcome::Kind k) {
  switch (k) {
    case Outcome::Kind::delivered:
      return "delivered";
    case Outcome::Kind::sent:
      return "sent";
    default:
      return "failed";
  }
}

}  // namespace

void NotifierService::register_control_routes(http::Router& router) {
  router.add(verb::get, "/api/me/notification-settings", http::Access::account,
             std::bind_front(&NotifierService::get_settings, this));
  router.add(verb::put, "/api/me/notification-settings", http::Access::account,
             std::bind_front(&NotifierService::put_settings, this));
  for (auto method : {verb::get, verb::put, verb::delete_}) {
    router.add(method, "/api/tasks/{id}/notification-override",
               method == verb::get ? http::Access::tasks_read : http::Access::tasks_write,
               std::bind_front(&NotifierService::handle_override, this));
  }
  router.add(verb::post, "/api/me/channels/test", http::Access::account,
             std::bind_front(&NotifierService::test_channel, this));
}

core::Result<core::NotificationPrefs> NotifierService::read_settings(core::UserId user) {
  auto doc =
      store_.read_value([&](store::NotifierReader& r) { return r.notification_settings(user); });
  if (!doc) return doc.error();
  // No user-level zone exists elsewhere (each task has its own): UTC until the user sets one.
  return *doc ? stored_prefs((*doc)->body) : core::NotificationPrefs::defaults("UTC");
}

core::Status NotifierService::write_settings(core::UserId user,
                                             const core::NotificationPrefs& prefs) {
  const auto now = core::now();
  const store::PreferenceDocument doc{user, boost::json::serialize(prefs_json(prefs)), now};
  std::optional<store::ReminderRow> digest;
  auto st = store_.write([&](store::NotifierWriter& w) -> core::Status {
    auto old = w.notification_settings(user);
    if (!old) return old.error();
    const auto old_zone = *old ? stored_prefs((*old)->body).time_zone : std::string{"UTC"};
    if (auto s = w.set_notification_settings(doc); !s) return s;
    auto next = schedule_digest(w, user, prefs, old_zone, now);
    if (!next) return next.error();
    digest = std::move(*next);
    return {};
  });
  if (!st) return st;
  if (digest && scheduler_) scheduler_->schedule(digest->id, digest->remind_at);
  return {};
}

// After inlining, GCC 12 pairs the coroutine frame's aligned allocation with Asio's sized
// operator delete and reports a mismatch (GCC bug 109224): the handlers below.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
http::net::awaitable<http::Response> NotifierService::get_settings(http::RequestContext& ctx) {
  auto prefs = co_await offload_.call(&NotifierService::read_settings, this, *ctx.user_id);
  if (!prefs) co_return http::error_response(prefs.error());
  co_return http::json_response(status::ok, prefs_json(*prefs));
}

http::net::awaitable<http::Response> NotifierService::put_settings(http::RequestContext& ctx) {
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  auto current = co_await offload_.call(&NotifierService::read_settings, this, *ctx.user_id);
  if (!current) co_return http::error_response(current.error());
  auto prefs = read_prefs(*body, std::move(*current));
  if (!prefs) co_return http::error_response(prefs.error());
  auto st = co_await offload_.call(&NotifierService::write_settings, this, *ctx.user_id, *prefs);
  if (!st) co_return http::error_response(st.error());
  co_return http::json_response(status::ok, prefs_json(*prefs));
}

core::Result<std::optional<core::NotificationOverride>> NotifierService::override_op(
    core::UserId user, core::TaskId task, OverrideOp op,
    const std::optional<core::NotificationOverride>& value) {
  if (task_check_) {
    auto owned = task_check_(user, task);
    if (!owned) return owned.error();
    if (!*owned) return no_task();
  }
  if (op == OverrideOp::get) {
    auto doc = store_.read_value(
        [&](store::NotifierReader& r) { return r.notification_override(user, task); });
    if (!doc) return doc.error();
    if (!*doc) return core::make_error(core::Errc::not_found, "the task has no override");
    return std::optional{stored_override((*doc)->body)};
  }
  if (op == OverrideOp::remove) {
    auto removed = store_.write_value(
        [&](store::NotifierWriter& w) { return w.delete_notification_override(user, task); });
    if (!removed) return removed.error();
    if (!*removed) return core::make_error(core::Errc::not_found, "the task has no override");
    return std::optional<core::NotificationOverride>{};
  }
  const store::PreferenceDocument doc{user, boost::json::serialize(override_json(*value)),
                                      core::now()};
  auto st = store_.write(
      [&](store::NotifierWriter& w) { return w.set_notification_override(task, doc); });
  if (!st) return st.error();
  return value;
}

http::net::awaitable<http::Response> NotifierService::handle_override(http::RequestContext& ctx) {
  auto task = task_id(ctx);
  if (!task) co_return http::error_response(no_task());
  const auto method = ctx.request.method();
  auto op = method == verb::get   ? OverrideOp::get
            : method == verb::put ? OverrideOp::set
                                  : OverrideOp::remove;
  std::optional<core::NotificationOverride> value;
  if (op == OverrideOp::set) {
    auto body = http::parse_json_object(ctx.request.body());
    if (!body) co_return http::error_response(body.error());
    auto read = read_override(*body);
    if (!read) co_return http::error_response(read.error());
    value = std::move(*read);
  }
  auto done =
      co_await offload_.call(&NotifierService::override_op, this, *ctx.user_id, *task, op, value);
  if (!done) co_return http::error_response(done.error());
  if (op == OverrideOp::remove) co_return http::empty_response(status::no_content);
  auto out = override_json(**done);
  out["task_id"] = *task;
  co_return http::json_response(status::ok, out);
}

bool NotifierService::take_test_slot(core::UserId user) {
  std::lock_guard lock{tests_mutex_};
  const auto now = std::chrono::steady_clock::now();
  auto& recent = tests_[user];
  while (!recent.empty() && now - recent.front() >= std::chrono::minutes{1}) recent.pop_front();
  if (recent.size() >= static_cast<std::size_t>(k_tests_per_minute)) return false;
  recent.push_back(now);
  return true;
}

core::Result<std::optional<Attempt>> NotifierService::prepare_test(core::UserId user,
                                                                   const std::string& record) {
  auto* channel = channel_for(record);
  if (!channel) return std::optional<Attempt>{};
  return store_.read_value(
      [&](store::NotifierReader& r) { return channel->test_attempt(r, user, record); });
}

http::net::awaitable<http::Response> NotifierService::test_channel(http::RequestContext& ctx) {
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  http::JsonFields f{*body};
  if (auto st = f.only({"channel"}); !st) co_return http::error_response(st.error());
  auto record = f.required_string("channel");
  if (!record) co_return http::error_response(record.error());
  if (!take_test_slot(*ctx.user_id)) {
    auto e = core::make_error(core::Errc::too_many_requests,
                              "at most 5 tests a minute: try again in a minute",
                              {{"retry_after_seconds", std::int64_t{60}}});
    e.code_name = "test_rate_limited";
    co_return http::error_response(e);
  }
  auto attempt =
      co_await offload_.call(&NotifierService::prepare_test, this, *ctx.user_id, *record);
  if (!attempt) co_return http::error_response(attempt.error());
  if (!*attempt) {
    auto e = core::make_error(core::Errc::not_found, "no such channel: " + *record);
    e.code_name = "channel_not_found";
    co_return http::error_response(e);
  }
  // The send may wait on a slow receiver or resolver: on the lookups' threads, not the store's.
  const auto send = std::move((*attempt)->send);
  auto outcome = co_await lookups_.call(&run_send, send);
  if (!outcome) co_return http::error_response(outcome.error());
  boost::json::object out{{"channel", *record}, {"outcome", outcome_name(outcome->kind)}};
  if (!outcome->error.empty()) out["error"] = outcome->error;
  co_return http::json_response(status::ok, out);
}

#pragma GCC diagnostic pop

}  // namespace tickler::services::notifier
