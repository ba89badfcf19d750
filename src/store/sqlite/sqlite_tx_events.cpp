// SqliteTx: the outbox, processed events and dead letters.
#include "store/row_codec.hpp"
#include "store/sqlite/sqlite_tx.hpp"

namespace tickler::store::sqlite {
namespace {

constexpr const char* k_insert_outbox =
    "INSERT INTO outbox (topic, type, source, subject, user_id, data, event_id, target, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
const std::string k_select_unsent = select_columns(
    k_outbox_columns, " FROM outbox WHERE sent_at IS NULL AND user_id % ? = ? ORDER BY id LIMIT ?");
constexpr const char* k_outbox_backlog =
    "SELECT count(*), min(created_at) FROM outbox WHERE sent_at IS NULL";
constexpr const char* k_mark_sent = "UPDATE outbox SET sent_at = ? WHERE id = ?";
constexpr const char* k_mark_failed =
    "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?";
constexpr const char* k_insert_processed =
    "INSERT INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, ?) "
    "ON CONFLICT DO NOTHING";
constexpr const char* k_insert_dead_letter =
    "INSERT INTO dead_letters (event_id, subscriber, topic, type, source, subject, user_id, data, "
    "error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const std::string k_select_dead_letters =
    select_columns(k_dead_letter_columns,
                   " FROM dead_letters WHERE ? OR redriven_at IS NULL ORDER BY id DESC LIMIT ?");
// ?1 the redrive's instant, ?2 one letter's id (NULL: every one), ?3 the horizon.
constexpr const char* k_redrive =
    "INSERT INTO outbox (topic, type, source, subject, user_id, data, event_id, target, "
    "created_at) SELECT topic, type, source, subject, user_id, data, event_id, subscriber, ?1 "
    "FROM dead_letters WHERE redriven_at IS NULL AND (?2 IS NULL OR id = ?2) "
    "AND created_at >= ?3 ORDER BY id";
constexpr const char* k_mark_redriven =
    "UPDATE dead_letters SET redriven_at = ?1 WHERE redriven_at IS NULL "
    "AND (?2 IS NULL OR id = ?2) AND created_at >= ?3";
constexpr const char* k_count_too_old =
    "SELECT count(*) FROM dead_letters WHERE redriven_at IS NULL AND (?1 IS NULL OR id = ?1) "
    "AND created_at < ?2";
// Oldest first, through the partial index outbox_sent and processed_events_by_time.
constexpr const char* k_prune_sent_outbox =
    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NOT NULL "
    "AND sent_at < ? ORDER BY sent_at LIMIT ?)";
constexpr const char* k_prune_processed =
    "DELETE FROM processed_events WHERE (consumer, event_id) IN (SELECT consumer, event_id "
    "FROM processed_events WHERE processed_at < ? ORDER BY processed_at LIMIT ?)";

}  // namespace

Result<std::int64_t> SqliteTx::append_outbox(const OutboxRow& row) {
  auto s = bound(conn_, k_insert_outbox, row.topic, row.type, row.source, row.subject, row.user_id,
                 row.data, row.event_id, row.target, row.created_at);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return conn_.last_insert_id();
}

Result<OutboxBacklog> SqliteTx::outbox_backlog() {
  auto s = conn_.prepare(k_outbox_backlog);
  if (!s) return s.error();
  auto row = s->step();
  if (!row) return row.error();
  return OutboxBacklog{s->int64(0), s->opt_instant(1)};
}

Result<std::vector<OutboxRow>> SqliteTx::unsent_outbox(int limit, OutboxLane lane) {
  auto s = bound(conn_, k_select_unsent, std::int64_t{lane.count}, std::int64_t{lane.index},
                 std::int64_t{limit});
  if (!s) return s.error();
  return collect<OutboxRow>(*s, read_outbox_row<Statement>);
}

Status SqliteTx::mark_outbox_sent(const std::vector<std::int64_t>& ids, core::Instant at) {
  for (auto id : ids) {
    auto s = bound(conn_, k_mark_sent, at, id);
    if (!s) return s.error();
    if (auto st = s->run(); !st) return st;
  }
  return {};
}

Status SqliteTx::mark_outbox_failed(std::int64_t id, std::string_view error) {
  auto s = bound(conn_, k_mark_failed, error, id);
  if (!s) return s.error();
  return s->run();
}

Result<bool> SqliteTx::mark_processed(std::string_view consumer, std::string_view event_id,
                                      core::Instant at) {
  auto s = bound(conn_, k_insert_processed, consumer, event_id, at);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Status SqliteTx::insert_dead_letter(const DeadLetter& d) {
  auto s = bound(conn_, k_insert_dead_letter, d.event.cloud_event_id(), d.subscriber, d.event.topic,
                 d.event.type, d.event.source, d.event.subject, d.event.user_id, d.event.data,
                 d.error, d.created_at);
  if (!s) return s.error();
  return s->run();
}

Result<std::vector<DeadLetter>> SqliteTx::dead_letters(bool include_redriven, int limit) {
  auto s = bound(conn_, k_select_dead_letters, std::int64_t{include_redriven ? 1 : 0},
                 std::int64_t{limit});
  if (!s) return s.error();
  return collect<DeadLetter>(*s, read_dead_letter<Statement>);
}

Result<Redrive> SqliteTx::redrive_dead_letters(std::optional<std::int64_t> id, core::Instant at,
                                               core::Instant horizon) {
  Redrive out;
  auto old = bound(conn_, k_count_too_old, id, horizon);
  if (!old) return old.error();
  if (auto row = old->step(); !row) return row.error();
  out.too_old = static_cast<int>(old->int64(0));
  auto s = bound(conn_, k_redrive, at, id, horizon);
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  out.redriven = sqlite3_changes(conn_.handle());
  auto m = bound(conn_, k_mark_redriven, at, id, horizon);
  if (!m) return m.error();
  if (auto st = m->run(); !st) return st.error();
  return out;
}

Result<int> SqliteTx::prune_sent_outbox(core::Instant sent_before, int limit) {
  auto s = bound(conn_, k_prune_sent_outbox, sent_before, std::int64_t{limit});
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle());
}

Result<int> SqliteTx::prune_processed_events(core::Instant processed_before, int limit) {
  auto s = bound(conn_, k_prune_processed, processed_before, std::int64_t{limit});
  if (!s) return s.error();
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle());
}

}  // namespace tickler::store::sqlite
