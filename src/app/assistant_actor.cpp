#include "app/assistant_actor.hpp"

#include "auth/jwt.hpp"
#include "services/assistant/invocation_tools.hpp"

namespace tickler::app {
namespace {

// A key of its own, so that a proof is never a valid signature of anything else.
std::string proof_key(std::string_view jwt_secret) {
  return auth::hmac_sha256(jwt_secret, "tickler assistant actor v1");
}

}  // namespace

bool is_assistant_actor(std::string_view actor) {
  constexpr std::string_view prefix = "assistant (";
  if (!actor.starts_with(prefix) || !actor.ends_with(")")) return false;
  const auto name = actor.substr(prefix.size(), actor.size() - prefix.size() - 1);
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '(' || c == ')') return false;
  }
  return true;
}

std::string assistant_actor_proof(std::string_view jwt_secret, std::string_view actor,
                                  std::string_view authorization) {
  std::string data{actor};
  data += '\n';
  data += authorization;
  return auth::base64url_encode(auth::hmac_sha256(proof_key(jwt_secret), data));
}

http::ActorOverride assistant_actor_override(std::string jwt_secret) {
  return
      [secret = std::move(jwt_secret)](const http::Request& request, http::Principal& principal) {
        const auto actor = request[services::assistant::k_actor_header];
        if (actor.empty() || !principal.audience.empty() || !is_assistant_actor(actor)) return;
        const auto given = request[services::assistant::k_actor_proof_header];
        const auto expected =
            assistant_actor_proof(secret, actor, request[http::beast_http::field::authorization]);
        if (!auth::equal_constant_time(given, expected)) return;
        principal.actor = std::string{actor};
      };
}

}  // namespace tickler::app
