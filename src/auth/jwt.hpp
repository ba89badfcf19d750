#pragma once
// HS256 JSON Web Tokens (RFC 7519) carrying a user id: issue and verify. HMAC-SHA256 from
// OpenSSL, base64url from libsodium, claims with Boost.JSON.
#include <chrono>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/task.hpp"

namespace tickler::auth {

struct JwtSettings {
  std::string secret;  // at least 32 bytes
  std::chrono::seconds ttl{std::chrono::hours{24}};
};

// What a valid token says: its user, the user's token generation it was issued under (claim
// "gen"; 0 when absent) and when it expires.
struct TokenClaims {
  core::UserId user = 0;
  std::int64_t generation = 0;
  core::Instant expires_at{};
};

class JwtIssuer {
 public:
  explicit JwtIssuer(JwtSettings settings) : settings_(std::move(settings)) {}
  [[nodiscard]] std::string issue(core::UserId user, core::Instant now,
                                  std::int64_t generation = 0) const;
  // The user id of a valid, unexpired token; unauthorized with a reason otherwise.
  [[nodiscard]] core::Result<core::UserId> verify(std::string_view token, core::Instant now) const;
  [[nodiscard]] core::Result<TokenClaims> verify_claims(std::string_view token,
                                                        core::Instant now) const;

 private:
  JwtSettings settings_;
};

// Constant-time comparison of two byte strings.
[[nodiscard]] bool equal_constant_time(std::string_view a, std::string_view b);
[[nodiscard]] std::string base64url_encode(std::string_view bytes);
[[nodiscard]] std::optional<std::string> base64url_decode(std::string_view text);
[[nodiscard]] std::string hmac_sha256(std::string_view key, std::string_view data);

}  // namespace tickler::auth
