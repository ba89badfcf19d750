// PgTx: users' push subscriptions and ntfy topics, and the instance's keys (the notifier's).
#include "store/postgres/pg_tx.hpp"
#include "store/row_codec.hpp"

namespace tickler::store::postgres {
namespace {

const std::string k_push_subscriptions_sql = select_columns(
    k_push_subscription_columns, " FROM push_subscriptions WHERE user_id = $1 ORDER BY id");
const Query k_select_push_subscriptions{"select_push_subscriptions",
                                        k_push_subscriptions_sql.c_str()};
constexpr Query k_insert_push_subscription{
    "insert_push_subscription",
    "INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, user_agent, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"};
constexpr Query k_delete_push_subscription{
    "delete_push_subscription", "DELETE FROM push_subscriptions WHERE id = $2 AND user_id = $1"};
const std::string k_ntfy_channel_sql =
    select_columns(k_ntfy_channel_columns, " FROM ntfy_channels WHERE user_id = $1");
const Query k_select_ntfy_channel{"select_ntfy_channel", k_ntfy_channel_sql.c_str()};
constexpr Query k_set_ntfy_channel{
    "set_ntfy_channel",
    "INSERT INTO ntfy_channels (user_id, server, topic, token, created_at) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO UPDATE SET server = excluded.server, "
    "topic = excluded.topic, token = excluded.token, created_at = excluded.created_at"};
constexpr Query k_delete_ntfy_channel{"delete_ntfy_channel",
                                      "DELETE FROM ntfy_channels WHERE user_id = $1"};
constexpr Query k_select_instance_key{"select_instance_key",
                                      "SELECT value FROM instance_keys WHERE name = $1"};
constexpr Query k_insert_instance_key{
    "insert_instance_key",
    "INSERT INTO instance_keys (name, value, created_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (name) DO NOTHING"};

}  // namespace

Result<std::vector<PushSubscription>> PgTx::push_subscriptions(core::UserId user) {
  return collect<PushSubscription>(conn_.exec(k_select_push_subscriptions, Params{user}),
                                   read_push_subscription<Row>);
}

Result<std::int64_t> PgTx::insert_push_subscription(const PushSubscription& p) {
  auto res = conn_.exec(k_insert_push_subscription, Params{p.user_id, p.endpoint, p.p256dh, p.auth,
                                                           p.user_agent, p.created_at});
  if (!res) return res.error();
  return res->row(0).int64(0);
}

Result<bool> PgTx::delete_push_subscription(core::UserId user, std::int64_t id) {
  auto res = conn_.exec(k_delete_push_subscription, Params{user, id});
  if (!res) return res.error();
  return res->affected() == 1;
}

Result<std::optional<NtfyChannel>> PgTx::ntfy_channel(core::UserId user) {
  return first<NtfyChannel>(conn_.exec(k_select_ntfy_channel, Params{user}),
                            read_ntfy_channel<Row>);
}

Status PgTx::set_ntfy_channel(const NtfyChannel& c) {
  return done(
      conn_.exec(k_set_ntfy_channel, Params{c.user_id, c.server, c.topic, c.token, c.created_at}));
}

Status PgTx::delete_ntfy_channel(core::UserId user) {
  return done(conn_.exec(k_delete_ntfy_channel, Params{user}));
}

Result<std::optional<std::string>> PgTx::instance_key(std::string_view name) {
  return first<std::string>(conn_.exec(k_select_instance_key, Params{std::string{name}}),
                            [](const Row& r) { return r.text(0); });
}

Status PgTx::insert_instance_key(std::string_view name, std::string_view value, core::Instant at) {
  return done(conn_.exec(k_insert_instance_key, Params{std::string{name}, std::string{value}, at}));
}

}  // namespace tickler::store::postgres
