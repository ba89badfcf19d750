// PgTx: users' email channels (the notifier's).
#include "store/postgres/pg_tx.hpp"
#include "store/row_codec.hpp"

namespace tickler::store::postgres {
namespace {

const std::string k_email_channel_sql =
    select_columns(k_email_channel_columns, " FROM email_channels WHERE user_id = $1");
const Query k_select_email_channel{"select_email_channel", k_email_channel_sql.c_str()};
constexpr Query k_set_email_channel{
    "set_email_channel",
    "INSERT INTO email_channels (user_id, address, confirmed, created_at, confirmed_at, "
    "confirmations_sent, confirmations_since) VALUES ($1, $2, $3, $4, $5, $6, $7) "
    "ON CONFLICT (user_id) DO UPDATE SET address = excluded.address, "
    "confirmed = excluded.confirmed, created_at = excluded.created_at, "
    "confirmed_at = excluded.confirmed_at, confirmations_sent = excluded.confirmations_sent, "
    "confirmations_since = excluded.confirmations_since"};
constexpr Query k_delete_email_channel{"delete_email_channel",
                                       "DELETE FROM email_channels WHERE user_id = $1"};

}  // namespace

Result<std::optional<EmailChannel>> PgTx::email_channel(core::UserId user) {
  return first<EmailChannel>(conn_.exec(k_select_email_channel, Params{user}),
                             read_email_channel<Row>);
}

Status PgTx::set_email_channel(const EmailChannel& c) {
  return done(conn_.exec(k_set_email_channel,
                         Params{c.user_id, c.address, c.confirmed, c.created_at, c.confirmed_at,
                                c.confirmations_sent, c.confirmations_since}));
}

Status PgTx::delete_email_channel(core::UserId user) {
  return done(conn_.exec(k_delete_email_channel, Params{user}));
}

}  // namespace tickler::store::postgres
