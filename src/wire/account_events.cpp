#include "wire/account_events.hpp"

#include <boost/json.hpp>

#include "wire/fields.hpp"

namespace tickler::wire {

boost::json::object UserRevoked::to_json() const {
  return {{"user_id", user_id}, {"token_generation", token_generation}};
}

core::Result<UserRevoked> UserRevoked::from_json(const boost::json::object& data) {
  auto user_id = fields::integer(data, "user_id");
  if (!user_id) return user_id.error();
  auto generation = fields::integer(data, "token_generation");
  if (!generation) return generation.error();
  return UserRevoked{*user_id, *generation};
}

boost::json::object UserDeleted::to_json() const {
  return {{"user_id", user_id}};
}

core::Result<UserDeleted> UserDeleted::from_json(const boost::json::object& data) {
  auto user_id = fields::integer(data, "user_id");
  if (!user_id) return user_id.error();
  return UserDeleted{*user_id};
}

}  // namespace tickler::wire
