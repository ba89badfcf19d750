#pragma once
// The events of a change of an account, published by the api in the change's transaction
// (docs/events/asyncapi.yaml). Subject: "user/<id>".
#include <array>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/task.hpp"
#include "wire/topics.hpp"

namespace tickler::wire {

// tickler.user.revoked.v1 on task-updates: {user_id, token_generation}. The user's tokens of an
// older generation are revoked (password changed, account disabled or deleted): the realtime
// role closes the WebSockets opened with one.
struct UserRevoked {
  static constexpr std::array<std::string_view, 1> topics{topic::task_updates};
  static constexpr std::string_view source = source::api;
  static constexpr std::string_view k_type = "tickler.user.revoked.v1";

  core::UserId user_id = 0;
  std::int64_t token_generation = 0;

  [[nodiscard]] std::string_view type() const { return k_type; }
  [[nodiscard]] std::string subject() const { return "user/" + std::to_string(user_id); }
  [[nodiscard]] boost::json::object to_json() const;
  [[nodiscard]] static core::Result<UserRevoked> from_json(const boost::json::object& data);
};

// tickler.user.deleted.v1 on reminders and on task-events: {user_id}. The notifier and the
// auditor delete what they hold of the user (a deletion is also announced as UserRevoked).
struct UserDeleted {
  static constexpr std::array<std::string_view, 2> topics{topic::reminders, topic::task_events};
  static constexpr std::string_view source = source::api;
  static constexpr std::string_view k_type = "tickler.user.deleted.v1";

  core::UserId user_id = 0;

  [[nodiscard]] std::string_view type() const { return k_type; }
  [[nodiscard]] std::string subject() const { return "user/" + std::to_string(user_id); }
  [[nodiscard]] boost::json::object to_json() const;
  [[nodiscard]] static core::Result<UserDeleted> from_json(const boost::json::object& data);
};

}  // namespace tickler::wire
