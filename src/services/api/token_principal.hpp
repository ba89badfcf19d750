#pragma once
// Credentials other than the web session, as a Principal and back: the principal of a personal
// API token (its scopes, actor token:<name>), the scope names of the wire ("tasks:read",
// "tasks:write") as scope bits, and the "credential" object GET /api/me adds for a principal that
// is not a session, from which another role rebuilds the principal (app/api_token_check.hpp).
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "http/types.hpp"
#include "store/tokens.hpp"

namespace tickler::services::api {

// Unknown names are ignored; "account" is never a token's.
[[nodiscard]] std::uint8_t scope_bits(const std::vector<std::string>& names);
[[nodiscard]] std::vector<std::string> scope_names(std::uint8_t bits);

[[nodiscard]] http::Principal personal_token_principal(const store::ApiToken& token);

// {"kind", "name", "scopes", "actor"} (and "audience" when bound to one); nullopt for the
// user's own session. kind: "personal_token" for actor token:<name>, "oauth_client" for
// mcp:<client>, else "delegated".
[[nodiscard]] std::optional<boost::json::object> credential_json(const http::Principal& principal);
// The principal of user `user` from GET /api/me's "credential" (absent: the session's).
[[nodiscard]] core::Result<http::Principal> principal_from_me(const boost::json::object& me);

}  // namespace tickler::services::api
