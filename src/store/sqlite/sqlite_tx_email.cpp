// SqliteTx: users' email channels (the notifier's).
#include "store/row_codec.hpp"
#include "store/sqlite/sqlite_tx.hpp"

namespace tickler::store::sqlite {
namespace {

const std::string k_select_email_channel =
    select_columns(k_email_channel_columns, " FROM email_channels WHERE user_id = ?");
constexpr const char* k_set_email_channel =
    "INSERT OR REPLACE INTO email_channels (user_id, address, confirmed, created_at, "
    "confirmed_at, confirmations_sent, confirmations_since) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr const char* k_delete_email_channel = "DELETE FROM email_channels WHERE user_id = ?";

}  // namespace

Result<std::optional<EmailChannel>> SqliteTx::email_channel(core::UserId user) {
  auto s = bound(conn_, k_select_email_channel, user);
  if (!s) return s.error();
  return first<EmailChannel>(*s, read_email_channel<Statement>);
}

Status SqliteTx::set_email_channel(const EmailChannel& c) {
  auto s = bound(conn_, k_set_email_channel, c.user_id, c.address,
                 std::int64_t{c.confirmed ? 1 : 0}, c.created_at, c.confirmed_at,
                 std::int64_t{c.confirmations_sent}, c.confirmations_since);
  if (!s) return s.error();
  return s->run();
}

Status SqliteTx::delete_email_channel(core::UserId user) {
  auto s = bound(conn_, k_delete_email_channel, user);
  if (!s) return s.error();
  return s->run();
}

}  // namespace tickler::store::sqlite
