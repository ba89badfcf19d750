// SqliteTx: users' push subscriptions and ntfy topics, and the instance's keys (the notifier's).
#include "store/row_codec.hpp"
#include "store/sqlite/sqlite_tx.hpp"

namespace tickler::store::sqlite {
namespace {

const std::string k_select_push_subscriptions = select_columns(
    k_push_subscription_columns, " FROM push_subscriptions WHERE user_id = ? ORDER BY id");
constexpr const char* k_insert_push_subscription =
    "INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, user_agent, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr const char* k_delete_push_subscription =
    "DELETE FROM push_subscriptions WHERE id = ? AND user_id = ?";
const std::string k_select_ntfy_channel =
    select_columns(k_ntfy_channel_columns, " FROM ntfy_channels WHERE user_id = ?");
constexpr const char* k_set_ntfy_channel =
    "INSERT OR REPLACE INTO ntfy_channels (user_id, server, topic, token, created_at) "
    "VALUES (?, ?, ?, ?, ?)";
constexpr const char* k_delete_ntfy_channel = "DELETE FROM ntfy_channels WHERE user_id = ?";
constexpr const char* k_select_instance_key = "SELECT value FROM instance_keys WHERE name = ?";
constexpr const char* k_insert_instance_key =
    "INSERT OR IGNORE INTO instance_keys (name, value, created_at) VALUES (?, ?, ?)";

}  // namespace

Result<std::vector<PushSubscription>> SqliteTx::push_subscriptions(core::UserId user) {
  auto s = bound(conn_, k_select_push_subscriptions, user);
  if (!s) return s.error();
  return collect<PushSubscription>(*s, read_push_subscription<Statement>);
}

Result<std::int64_t> SqliteTx::insert_push_subscription(const PushSubscription& p) {
  auto s = bound(conn_, k_insert_push_subscription, p.user_id, p.endpoint, p.p256dh, p.auth,
                 p.user_agent, p.created_at);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return conn_.last_insert_id();
}

Result<bool> SqliteTx::delete_push_subscription(core::UserId user, std::int64_t id) {
  auto s = bound(conn_, k_delete_push_subscription, id, user);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Result<std::optional<NtfyChannel>> SqliteTx::ntfy_channel(core::UserId user) {
  auto s = bound(conn_, k_select_ntfy_channel, user);
  if (!s) return s.error();
  return first<NtfyChannel>(*s, read_ntfy_channel<Statement>);
}

Status SqliteTx::set_ntfy_channel(const NtfyChannel& c) {
  auto s = bound(conn_, k_set_ntfy_channel, c.user_id, c.server, c.topic, c.token, c.created_at);
  if (!s) return s.error();
  return s->run();
}

Status SqliteTx::delete_ntfy_channel(core::UserId user) {
  auto s = bound(conn_, k_delete_ntfy_channel, user);
  if (!s) return s.error();
  return s->run();
}

Result<std::optional<std::string>> SqliteTx::instance_key(std::string_view name) {
  auto s = bound(conn_, k_select_instance_key, std::string{name});
  if (!s) return s.error();
  return first<std::string>(*s, [](const Statement& r) { return r.text(0); });
}

Status SqliteTx::insert_instance_key(std::string_view name, std::string_view value,
                                     core::Instant at) {
  auto s = bound(conn_, k_insert_instance_key, std::string{name}, std::string{value}, at);
  if (!s) return s.error();
  return s->run();
}

}  // namespace tickler::store::sqlite
