// PgTx: the outbox, processed events and dead letters.
#include "store/postgres/pg_tx.hpp"
#include "store/row_codec.hpp"

namespace tickler::store::postgres {
namespace {

constexpr Query k_insert_outbox{
    "insert_outbox",
    "INSERT INTO outbox (topic, type, source, subject, user_id, data, event_id, target, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"};
const std::string k_unsent_sql =
    select_columns(k_outbox_columns,
                   " FROM outbox WHERE sent_at IS NULL AND user_id % $2 = $3 ORDER BY id LIMIT $1");
const Query k_select_unsent{"select_unsent", k_unsent_sql.c_str()};
constexpr Query k_outbox_backlog{
    "outbox_backlog", "SELECT count(*), min(created_at) FROM outbox WHERE sent_at IS NULL"};
constexpr Query k_mark_sent{"mark_sent",
                            "UPDATE outbox SET sent_at = $1 WHERE id = ANY($2::bigint[])"};
constexpr Query k_mark_failed{
    "mark_failed", "UPDATE outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2"};
constexpr Query k_insert_processed{
    "insert_processed",
    "INSERT INTO processed_events (consumer, event_id, processed_at) VALUES ($1, $2, $3) "
    "ON CONFLICT DO NOTHING"};
constexpr Query k_insert_dead_letter{
    "insert_dead_letter",
    "INSERT INTO dead_letters (event_id, subscriber, topic, type, source, subject, user_id, data, "
    "error, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"};
const std::string k_dead_letters_sql = select_columns(
    k_dead_letter_columns,
    " FROM dead_letters WHERE $1::boolean OR redriven_at IS NULL ORDER BY id DESC LIMIT $2");
const Query k_select_dead_letters{"select_dead_letters", k_dead_letters_sql.c_str()};
// One statement: the letters marked redriven are exactly the ones copied back, in id order; the
// waiting letters older than the horizon ($3) are counted (the snapshot before the update).
constexpr Query k_redrive{
    "redrive",
    "WITH moved AS (UPDATE dead_letters SET redriven_at = $1 "
    "WHERE redriven_at IS NULL AND ($2::bigint IS NULL OR id = $2) AND created_at >= $3 "
    "RETURNING id, topic, type, source, subject, user_id, data, event_id, subscriber), "
    "copied AS (INSERT INTO outbox (topic, type, source, subject, user_id, data, event_id, "
    "target, created_at) SELECT topic, type, source, subject, user_id, data, event_id, "
    "subscriber, $1 FROM moved ORDER BY id RETURNING 1) "
    "SELECT (SELECT count(*) FROM copied), (SELECT count(*) FROM dead_letters "
    "WHERE redriven_at IS NULL AND ($2::bigint IS NULL OR id = $2) AND created_at < $3)"};
// Oldest first, through the partial index outbox_sent and processed_events_by_time.
constexpr Query k_prune_sent_outbox{
    "prune_sent_outbox",
    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NOT NULL "
    "AND sent_at < $1 ORDER BY sent_at LIMIT $2)"};
constexpr Query k_prune_processed{
    "prune_processed",
    "DELETE FROM processed_events WHERE ctid = ANY(ARRAY(SELECT ctid FROM processed_events "
    "WHERE processed_at < $1 ORDER BY processed_at LIMIT $2))"};

}  // namespace

Result<std::int64_t> PgTx::append_outbox(const OutboxRow& row) {
  auto res =
      conn_.exec(k_insert_outbox, Params{row.topic, row.type, row.source, row.subject, row.user_id,
                                         row.data, row.event_id, row.target, row.created_at});
  if (!res) return res.error();
  return res->row(0).int64(0);
}

Result<OutboxBacklog> PgTx::outbox_backlog() {
  auto res = conn_.exec(k_outbox_backlog, Params{});
  if (!res) return res.error();
  const auto row = res->row(0);
  return OutboxBacklog{row.int64(0), row.opt_instant(1)};
}

Result<std::vector<OutboxRow>> PgTx::unsent_outbox(int limit, OutboxLane lane) {
  const Params params{limit, lane.count, lane.index};
  return collect<OutboxRow>(conn_.exec(k_select_unsent, params), read_outbox_row<Row>);
}

Status PgTx::mark_outbox_sent(const std::vector<std::int64_t>& ids, core::Instant at) {
  if (ids.empty()) return {};
  std::string array = "{";  // the text form of a bigint[]
  for (auto id : ids) array += std::to_string(id) + ",";
  array.back() = '}';
  return done(conn_.exec(k_mark_sent, Params{at, array}));
}

Status PgTx::mark_outbox_failed(std::int64_t id, std::string_view error) {
  return done(conn_.exec(k_mark_failed, Params{error, id}));
}

Result<bool> PgTx::mark_processed(std::string_view consumer, std::string_view event_id,
                                  core::Instant at) {
  auto res = conn_.exec(k_insert_processed, Params{consumer, event_id, at});
  if (!res) return res.error();
  return res->affected() == 1;
}

Status PgTx::insert_dead_letter(const DeadLetter& d) {
  return done(conn_.exec(
      k_insert_dead_letter,
      Params{d.event.cloud_event_id(), d.subscriber, d.event.topic, d.event.type, d.event.source,
             d.event.subject, d.event.user_id, d.event.data, d.error, d.created_at}));
}

Result<std::vector<DeadLetter>> PgTx::dead_letters(bool include_redriven, int limit) {
  return collect<DeadLetter>(conn_.exec(k_select_dead_letters, Params{include_redriven, limit}),
                             read_dead_letter<Row>);
}

Result<Redrive> PgTx::redrive_dead_letters(std::optional<std::int64_t> id, core::Instant at,
                                           core::Instant horizon) {
  auto res = conn_.exec(k_redrive, Params{at, id, horizon});
  if (!res) return res.error();
  const auto row = res->row(0);
  return Redrive{static_cast<int>(row.int64(0)), static_cast<int>(row.int64(1))};
}

Result<int> PgTx::prune_sent_outbox(core::Instant sent_before, int limit) {
  auto res = conn_.exec(k_prune_sent_outbox, Params{sent_before, limit});
  if (!res) return res.error();
  return static_cast<int>(res->affected());
}

Result<int> PgTx::prune_processed_events(core::Instant processed_before, int limit) {
  auto res = conn_.exec(k_prune_processed, Params{processed_before, limit});
  if (!res) return res.error();
  return static_cast<int>(res->affected());
}

}  // namespace tickler::store::postgres
