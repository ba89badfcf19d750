#pragma once
// The Reader/Writer of one SQLite transaction: every statement the store runs, bound to the
// connection the transaction holds.
#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace tickler::store::sqlite {

class SqliteTx final : public Writer {
 public:
  explicit SqliteTx(Connection& conn) : conn_(conn) {}

  Result<std::optional<core::User>> user_by_email(std::string_view email) override;
  Result<std::optional<core::User>> user_by_id(core::UserId id) override;
  Result<core::Task> task(core::UserId user, core::TaskId id) override;
  Result<core::TaskPage> tasks(const core::TaskQuery& query) override;
  Result<std::vector<core::TagCount>> tag_counts(core::UserId user) override;
  Result<std::optional<IdempotentResponse>> idempotent_response(core::UserId user,
                                                                std::string_view key,
                                                                core::Instant not_before) override;

  Result<core::User> insert_user(core::User user) override;
  Result<core::Task> insert_task(core::Task task) override;
  Status update_task(const core::Task& task) override;
  Status delete_task(core::UserId user, core::TaskId id) override;
  Status save_idempotent_response(core::UserId user, std::string_view key,
                                  const IdempotentResponse& response, core::Instant at) override;
  Status purge_idempotency(core::Instant older_than) override;

 private:
  Result<std::optional<core::User>> one_user(const std::string& sql, auto bind_value);
  Status insert_tags(const core::Task& task);
  Connection& conn_;
};

}  // namespace tickler::store::sqlite
