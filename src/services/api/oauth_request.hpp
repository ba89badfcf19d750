#pragma once
// An authorization request on its way from /oauth/authorize to the consent page and back: the
// validated parameters, sealed (HMAC-SHA256 under the server's key, base64url) into the short-
// lived `request` the consent page carries in its URL, so any api replica can take the answer
// without keeping state.
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace tickler::services::api::oauth {

struct AuthorizationRequest {
  std::string client_id;
  std::string redirect_uri;
  std::string state;           // given back as it came (may be empty)
  std::string code_challenge;  // S256
  std::string scopes;          // space-separated, canonical
  std::string resource;        // the MCP resource the tokens will be for
  std::string issuer;          // the `iss` of the answer (RFC 9207)
  core::Instant expires_at{};
};

[[nodiscard]] std::string seal(const AuthorizationRequest& request, std::string_view key);
// invalid_request (400) when the text was not sealed under `key`, is malformed or has expired.
[[nodiscard]] core::Result<AuthorizationRequest> unseal(std::string_view sealed,
                                                        std::string_view key, core::Instant now);

}  // namespace tickler::services::api::oauth
