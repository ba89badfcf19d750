// SqliteTx: the outbox, processed events and dead letters.
#include "store/sqlite/sqlite_tx.hpp"

namespace tickler::store::sqlite {
namespace {

using core::to_millis;

constexpr const char* k_insert_outbox =
    "INSERT INTO outbox (topic, type, source, subject, user_id, data, event_id, target, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* k_select_unsent =
    "SELECT id, topic, type, source, subject, user_id, data, event_id, target, created_at, "
    "attempts FROM outbox WHERE sent_at IS NULL AND user_id % ? = ? ORDER BY id LIMIT ?";
constexpr const char* k_mark_sent = "UPDATE outbox SET sent_at = ? WHERE id = ?";
constexpr const char* k_mark_failed =
    "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?";
constexpr const char* k_insert_processed =
    "INSERT INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, ?) "
    "ON CONFLICT DO NOTHING";
constexpr const char* k_insert_dead_letter =
    "INSERT INTO dead_letters (event_id, subscriber, topic, type, source, subject, user_id, data, "
    "error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* k_select_dead_letters =
    "SELECT id, event_id, subscriber, topic, type, source, subject, user_id, data, error, "
    "created_at, redriven_at FROM dead_letters WHERE ? OR redriven_at IS NULL "
    "ORDER BY id DESC LIMIT ?";
constexpr const char* k_redrive =
    "INSERT INTO outbox (topic, type, source, subject, user_id, data, event_id, target, "
    "created_at) SELECT topic, type, source, subject, user_id, data, event_id, subscriber, ? "
    "FROM dead_letters WHERE redriven_at IS NULL AND (? IS NULL OR id = ?) ORDER BY id";
constexpr const char* k_mark_redriven =
    "UPDATE dead_letters SET redriven_at = ? WHERE redriven_at IS NULL AND (? IS NULL OR id = ?)";

}  // namespace

Result<std::int64_t> SqliteTx::append_outbox(const OutboxRow& row) {
  auto s = conn_.prepare(k_insert_outbox);
  if (!s) return s.error();
  s->bind(1, row.topic).bind(2, row.type).bind(3, row.source).bind(4, row.subject);
  s->bind(5, row.user_id).bind(6, row.data);
  s->bind(7, row.event_id).bind(8, row.target);
  s->bind(9, to_millis(row.created_at));
  if (auto st = s->run(); !st) return st.error();
  return conn_.last_insert_id();
}

Result<OutboxBacklog> SqliteTx::outbox_backlog() {
  auto s = conn_.prepare("SELECT count(*), min(created_at) FROM outbox WHERE sent_at IS NULL");
  if (!s) return s.error();
  auto row = s->step();
  if (!row) return row.error();
  OutboxBacklog out;
  out.pending = s->int64(0);
  if (!s->is_null(1)) out.oldest = core::from_millis(s->int64(1));
  return out;
}

Result<std::vector<OutboxRow>> SqliteTx::unsent_outbox(int limit, OutboxLane lane) {
  auto s = conn_.prepare(k_select_unsent);
  if (!s) return s.error();
  s->bind(1, std::int64_t{lane.count})
      .bind(2, std::int64_t{lane.index})
      .bind(3, std::int64_t{limit});
  std::vector<OutboxRow> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) break;
    OutboxRow r;
    r.id = s->int64(0);
    r.topic = s->text(1);
    r.type = s->text(2);
    r.source = s->text(3);
    r.subject = s->text(4);
    r.user_id = s->int64(5);
    r.data = s->text(6);
    r.event_id = s->opt_text(7);
    r.target = s->opt_text(8);
    r.created_at = core::from_millis(s->int64(9));
    r.attempts = static_cast<int>(s->int64(10));
    out.push_back(std::move(r));
  }
  return out;
}

Status SqliteTx::mark_outbox_sent(const std::vector<std::int64_t>& ids, core::Instant at) {
  for (auto id : ids) {
    auto s = conn_.prepare(k_mark_sent);
    if (!s) return s.error();
    s->bind(1, to_millis(at)).bind(2, id);
    if (auto st = s->run(); !st) return st;
  }
  return {};
}

Status SqliteTx::mark_outbox_failed(std::int64_t id, std::string_view error) {
  auto s = conn_.prepare(k_mark_failed);
  if (!s) return s.error();
  s->bind(1, error).bind(2, id);
  return s->run();
}

Result<bool> SqliteTx::mark_processed(std::string_view consumer, std::string_view event_id,
                                      core::Instant at) {
  auto s = conn_.prepare(k_insert_processed);
  if (!s) return s.error();
  s->bind(1, consumer).bind(2, event_id).bind(3, to_millis(at));
  if (auto st = s->run(); !st) return st.error();
  return sqlite3_changes(conn_.handle()) == 1;
}

Status SqliteTx::insert_dead_letter(const DeadLetter& d) {
  auto s = conn_.prepare(k_insert_dead_letter);
  if (!s) return s.error();
  s->bind(1, d.event.cloud_event_id()).bind(2, d.subscriber).bind(3, d.event.topic);
  s->bind(4, d.event.type).bind(5, d.event.source).bind(6, d.event.subject);
  s->bind(7, d.event.user_id).bind(8, d.event.data).bind(9, d.error);
  s->bind(10, to_millis(d.created_at));
  return s->run();
}

Result<std::vector<DeadLetter>> SqliteTx::dead_letters(bool include_redriven, int limit) {
  auto s = conn_.prepare(k_select_dead_letters);
  if (!s) return s.error();
  s->bind(1, std::int64_t{include_redriven ? 1 : 0}).bind(2, std::int64_t{limit});
  std::vector<DeadLetter> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) break;
    DeadLetter d;
    d.id = s->int64(0);
    d.event.event_id = s->text(1);
    d.subscriber = s->text(2);
    d.event.topic = s->text(3);
    d.event.type = s->text(4);
    d.event.source = s->text(5);
    d.event.subject = s->text(6);
    d.event.user_id = s->int64(7);
    d.event.data = s->text(8);
    d.error = s->text(9);
    d.created_at = core::from_millis(s->int64(10));
    if (!s->is_null(11)) d.redriven_at = core::from_millis(s->int64(11));
    out.push_back(std::move(d));
  }
  return out;
}

Result<int> SqliteTx::redrive_dead_letters(std::optional<std::int64_t> id, core::Instant at) {
  auto s = conn_.prepare(k_redrive);
  if (!s) return s.error();
  s->bind(1, to_millis(at)).bind(2, id).bind(3, id);
  if (auto st = s->run(); !st) return st.error();
  const int moved = sqlite3_changes(conn_.handle());
  auto m = conn_.prepare(k_mark_redriven);
  if (!m) return m.error();
  m->bind(1, to_millis(at)).bind(2, id).bind(3, id);
  if (auto st = m->run(); !st) return st.error();
  return moved;
}

}  // namespace tickler::store::sqlite
