#pragma once
// The token check of the distributed roles that do not hold the api's tables (auditor, notifier,
// realtime): only the api knows revoked JWT generations, disabled and deleted users and the
// personal API tokens, so a role asks it (GET /api/me through service invocation, with the
// caller's token) and rebuilds the principal from the answer (its "credential" for a token that
// is not a session: services/api/token_principal.hpp).
//
// - An opaque token (tkl_…: personal API tokens, OAuth access tokens) is always asked about; the
//   api's answer is kept for at most cache_ttl, so a revocation reaches every role within it.
// - A JWT's signature and expiry are checked here first (no request for a forged one); then the
//   api is asked only when ask_about_sessions (realtime: a socket lives long, so it opens only
//   for a token the api still accepts). The auditor and the notifier take a valid signature as
//   enough: their routes are reached through the api, which checked the token before passing the
//   request on.
// (In tickler serve the check is the api's own ApiService::authenticate.)
#include <chrono>
#include <functional>
#include <string>

#include "base/offload.hpp"
#include "bus/dapr/sidecar_client.hpp"
#include "http/pipeline.hpp"

namespace tickler::app {

// The token's signature and expiry (auth::JwtIssuer::verify); the user it stands for.
using VerifyJwt = std::function<core::Result<core::UserId>(std::string_view token)>;
// GET /api/me on the api with these headers (blocking; run on the pool).
using AskApi = std::function<core::Result<bus::dapr::SidecarResponse>(const bus::dapr::Headers&)>;

struct ApiTokenCheckSettings {
  bool ask_about_sessions = false;
  std::chrono::milliseconds cache_ttl{1000};  // for tkl_ tokens; at most a second
};

// unauthorized when the api answers 401 or 403; unavailable when it cannot be reached or
// answers anything else. The pool must outlive the authenticator.
[[nodiscard]] http::Authenticator api_token_check(VerifyJwt verify, AskApi ask,
                                                  base::Offload& offload,
                                                  ApiTokenCheckSettings settings);

// api_token_check asking the api app `api_app_id` through the sidecar client `dapr` (which must
// outlive the authenticator).
[[nodiscard]] http::Authenticator token_check_by_api(VerifyJwt verify, bus::dapr::DaprClient& dapr,
                                                     base::Offload& offload,
                                                     const std::string& api_app_id,
                                                     ApiTokenCheckSettings settings);

}  // namespace tickler::app
