#pragma once
// Links mailed to a user that act once without a login: what a link does (its claims) travels in
// the link itself, HMAC-SHA256-signed with a key derived from the JWT secret (every role has it),
// so the role that serves the link needs nothing but that secret to trust it. A link expires,
// and carries a random id: the role that acts records the ids it used (as a processed event) so a
// link acts once. Token: base64url(claims JSON) "." base64url(HMAC), safe in a URL path.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace tickler::auth {

struct LinkClaims {
  std::string purpose;  // what kind of link: "task" (a reminder's actions), "email" (confirmation)
  std::string action;   // done | snooze-10m | snooze-1h | snooze-tomorrow | open | confirm
  std::int64_t user_id = 0;
  std::string subject;  // the task id, or the address to confirm
  std::string id;       // random, unique per link: what "used" is recorded under
  core::Instant expires_at{};
  bool operator==(const LinkClaims&) const = default;
};

// The signing key of mailed links: HMAC(jwt_secret, "tickler mailed links v1"), so that a link's
// signature can never pass for a JWT's, nor the other way round.
[[nodiscard]] std::string link_key(std::string_view jwt_secret);

// A fresh random link id (128 bits, hex).
[[nodiscard]] std::string new_link_id();

[[nodiscard]] std::string sign_link(std::string_view key, const LinkClaims& claims);

// The claims of a token signed with `key` and not expired at `now`. forbidden (code_name
// "link_invalid") for a token altered or not ours, "link_expired" for one past its time.
[[nodiscard]] core::Result<LinkClaims> verify_link(std::string_view key, std::string_view token,
                                                   core::Instant now);

}  // namespace tickler::auth
