#include "services/api/token_principal.hpp"

#include <boost/json/array.hpp>

#include "services/api/token_service.hpp"

namespace tickler::services::api {
namespace {

std::string after_colon(const std::string& actor) {
  const auto colon = actor.find(':');
  return colon == std::string::npos ? actor : actor.substr(colon + 1);
}

core::Error bad_answer(std::string what) {
  return core::make_error(core::Errc::unavailable, "the api's answer to a token check " + what);
}

}  // namespace

std::uint8_t scope_bits(const std::vector<std::string>& names) {
  std::uint8_t bits = 0;
  for (const auto& n : names) {
    if (n == k_scope_tasks_read) bits |= http::scope::tasks_read;
    if (n == k_scope_tasks_write) bits |= http::scope::tasks_write;
  }
  return bits;
}

std::vector<std::string> scope_names(std::uint8_t bits) {
  std::vector<std::string> out;
  if (bits & http::scope::tasks_read) out.emplace_back(k_scope_tasks_read);
  if (bits & http::scope::tasks_write) out.emplace_back(k_scope_tasks_write);
  return out;
}

http::Principal personal_token_principal(const store::ApiToken& token) {
  return {token.user_id, scope_bits(token.scopes), "token:" + token.name, {}};
}

std::optional<boost::json::object> credential_json(const http::Principal& p) {
  if (p.actor == "user:" + std::to_string(p.user)) return std::nullopt;
  const std::string kind = p.actor.starts_with("token:") ? "personal_token"
                           : p.actor.starts_with("mcp:") ? "oauth_client"
                                                         : "delegated";
  boost::json::array scopes;
  for (auto& n : scope_names(p.scopes)) scopes.emplace_back(n);
  boost::json::object o{{"kind", kind},
                        {"name", after_colon(p.actor)},
                        {"scopes", std::move(scopes)},
                        {"actor", p.actor}};
  if (!p.audience.empty()) o["audience"] = p.audience;
  return o;
}

core::Result<http::Principal> principal_from_me(const boost::json::object& me) {
  const auto* id = me.if_contains("id");
  if (!id || !id->is_int64() || id->as_int64() <= 0) return bad_answer("has no user id");
  const core::UserId user = id->as_int64();
  const auto* credential = me.if_contains("credential");
  if (!credential) return http::session_principal(user);
  const auto* c = credential->if_object();
  const auto* actor = c ? c->if_contains("actor") : nullptr;
  const auto* scopes = c ? c->if_contains("scopes") : nullptr;
  if (!actor || !actor->is_string() || !scopes || !scopes->is_array()) {
    return bad_answer("has a malformed credential");
  }
  std::vector<std::string> names;
  for (const auto& s : scopes->as_array()) {
    if (s.is_string()) names.emplace_back(s.as_string());
  }
  http::Principal p{user, scope_bits(names), std::string{actor->as_string()}, {}};
  if (const auto* aud = c->if_contains("audience"); aud && aud->is_string()) {
    p.audience = std::string{aud->as_string()};
  }
  return p;
}

}  // namespace tickler::services::api
