#pragma once
// realtime's token check in distributed mode: a WebSocket is opened only for a token the api
// still accepts (GET /api/me through service invocation), since the api alone knows revoked
// generations, disabled and deleted users. The signature and expiry are checked here first.
// Open sockets learn of later revocations from tickler.user.revoked.v1 on task-updates.
// (In tickler serve the check is the api's own authenticate.)
#include <functional>
#include <string>

#include "base/offload.hpp"
#include "bus/dapr/sidecar_client.hpp"
#include "http/pipeline.hpp"

namespace tickler::services::realtime {

// The token's signature and expiry (auth::JwtIssuer::verify); the user it stands for.
using VerifyToken = std::function<core::Result<core::UserId>(std::string_view token)>;

// unauthorized when the api answers 401 or 403; unavailable when it cannot be reached or
// answers anything else. The client and the pool must outlive the authenticator.
[[nodiscard]] http::Authenticator token_check_by_api(VerifyToken verify,
                                                     bus::dapr::DaprClient& dapr,
                                                     base::Offload& offload,
                                                     std::string api_app_id);

}  // namespace tickler::services::realtime
