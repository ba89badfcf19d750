#pragma once
// The Store interface: everything the services persist, behind read and write transactions.
// A write transaction commits when its function returns success and rolls back otherwise, so a
// service can make several changes (later: a task change plus its outbox rows) atomically.
// Calls block; callers run them off the I/O threads (http::Offload).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/task.hpp"
#include "core/task_query.hpp"

namespace tickler::store {

using core::Result;
using core::Status;

// A stored answer for an Idempotency-Key.
struct IdempotentResponse {
  std::string request_hash;
  int status = 0;
  std::string body;
};

struct PoolStats {
  int size = 0;
  int in_use = 0;
  std::uint64_t waits = 0;       // checkouts that had to wait for a free connection
  std::uint64_t commits = 0;     // write transactions committed (or rolled back)
  std::uint64_t write_jobs = 0;  // write() calls they carried: jobs / commits = group size
};

class Reader {
 public:
  virtual ~Reader() = default;
  virtual Result<std::optional<core::User>> user_by_email(std::string_view email) = 0;
  virtual Result<std::optional<core::User>> user_by_id(core::UserId id) = 0;
  // not_found when the task does not exist for this user.
  virtual Result<core::Task> task(core::UserId user, core::TaskId id) = 0;
  virtual Result<core::TaskPage> tasks(const core::TaskQuery& query) = 0;
  virtual Result<std::vector<core::TagCount>> tag_counts(core::UserId user) = 0;
  // The stored answer for (user, key) created at or after not_before, if any.
  virtual Result<std::optional<IdempotentResponse>> idempotent_response(
      core::UserId user, std::string_view key, core::Instant not_before) = 0;
};

class Writer : public Reader {
 public:
  // conflict when the email exists. Returns the user with its id.
  virtual Result<core::User> insert_user(core::User user) = 0;
  // Assigns the id.
  virtual Result<core::Task> insert_task(core::Task task) = 0;
  virtual Status update_task(const core::Task& task) = 0;
  virtual Status delete_task(core::UserId user, core::TaskId id) = 0;
  virtual Status save_idempotent_response(core::UserId user, std::string_view key,
                                          const IdempotentResponse& response, core::Instant at) = 0;
  virtual Status purge_idempotency(core::Instant older_than) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual Status read(const std::function<Status(Reader&)>& fn) = 0;
  virtual Status write(const std::function<Status(Writer&)>& fn) = 0;
  // Applies pending migrations; returns how many were applied.
  virtual Result<int> migrate() = 0;
  virtual Status ping() = 0;
  [[nodiscard]] virtual PoolStats pool_stats() const = 0;

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
