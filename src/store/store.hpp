#pragma once
// The Store interface: everything the services persist, behind read and write transactions.
// What a transaction can do is split by area, each in its own header next to its rows:
// users.hpp, tasks.hpp, events.hpp, audit.hpp, notifier.hpp, tokens.hpp, oauth.hpp,
// conversations.hpp; Reader and Writer unite them. A write transaction commits when its function
// returns success and rolls back otherwise, so a service can make several changes (a task change
// plus its outbox rows) atomically. A write function may run more than once (PostgreSQL retries a
// transaction that lost a race), so it acts only through the Writer and overwrites, never appends
// to, what it captures.
// Calls block; callers run them off the I/O threads (base::Offload).
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>

#include "core/result.hpp"
#include "store/audit.hpp"
#include "store/conversations.hpp"
#include "store/events.hpp"
#include "store/notifier.hpp"
#include "store/oauth.hpp"
#include "store/tasks.hpp"
#include "store/tokens.hpp"
#include "store/users.hpp"

namespace tickler::store {

using core::Result;
using core::Status;

struct PoolStats {
  int size = 0;
  int in_use = 0;
  std::uint64_t waits = 0;       // checkouts that had to wait for a free connection
  std::uint64_t commits = 0;     // write transactions committed (or rolled back)
  std::uint64_t write_jobs = 0;  // write() calls they carried: jobs / commits = group size
};

// The write-ahead log of an engine that keeps one in a file of its own (SQLite).
struct WalStats {
  std::int64_t bytes = 0;    // the WAL file's size
  std::uint64_t resets = 0;  // checkpoints that started it over under a steady writer
  std::uint64_t busy = 0;    // resets given up for a while: readers kept the old WAL too long
  std::int64_t longest_hold_us = 0;  // the longest time writes waited for a reset
};

// Everything a read transaction sees: the union of the areas' readers. A function that reads
// one area only may take that area's reader instead (store.read([&](AuditReader& r) {...})).
class Reader : public virtual UserReader,
               public virtual TaskReader,
               public virtual EventReader,
               public virtual AuditReader,
               public virtual NotifierReader,
               public virtual ConversationReader,
               public virtual TokenReader,
               public virtual OAuthReader {};

// Everything a write transaction may do: the union of the areas' writers, each of which reads
// its own area too (the areas' readers are virtual bases, so a Writer holds each once).
class Writer : public Reader,
               public UserWriter,
               public TaskWriter,
               public EventWriter,
               public AuditWriter,
               public NotifierWriter,
               public ConversationWriter,
               public TokenWriter,
               public OAuthWriter {};

class Store {
 public:
  virtual ~Store() = default;
  virtual Status read(const std::function<Status(Reader&)>& fn) = 0;
  virtual Status write(const std::function<Status(Writer&)>& fn) = 0;
  // Applies pending migrations; returns how many were applied.
  virtual Result<int> migrate() = 0;
  virtual Status ping() = 0;
  [[nodiscard]] virtual PoolStats pool_stats() const = 0;
  // nullopt for an engine without a WAL file of its own.
  [[nodiscard]] virtual std::optional<WalStats> wal_stats() const { return std::nullopt; }

  // Typed conveniences over read/write for a function returning Result<T>.
  template <class F>
  auto read_value(F&& fn) -> decltype(fn(std::declval<Reader&>())) {
    return run<decltype(fn(std::declval<Reader&>()))>(
        [&](auto& sink) { return read([&](Reader& r) { return sink(fn(r)); }); });
  }
  template <class F>
  auto write_value(F&& fn) -> decltype(fn(std::declval<Writer&>())) {
    return run<decltype(fn(std::declval<Writer&>()))>(
        [&](auto& sink) { return write([&](Writer& w) { return sink(fn(w)); }); });
  }

 private:
  template <class R, class Tx>
  static R run(Tx&& tx) {
    std::optional<R> out;
    auto sink = [&out](R r) -> Status {
      if (!r) return r.error();
      out.emplace(std::move(r));
      return {};
    };
    Status st = tx(sink);
    if (!st) return st.error();
    return std::move(*out);
  }
};

}  // namespace tickler::store
