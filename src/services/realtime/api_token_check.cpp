#include "services/realtime/api_token_check.hpp"

#include "bus/dapr/invocation.hpp"

namespace tickler::services::realtime {
namespace {

core::Result<bus::dapr::SidecarResponse> ask_api(bus::dapr::DaprClient* dapr,
                                                 const std::string& target,
                                                 const bus::dapr::Headers& headers) {
  return dapr->request("GET", target, {}, {}, headers);
}

http::net::awaitable<core::Result<http::Principal>> check(const VerifyToken& verify,
                                                          bus::dapr::DaprClient* dapr,
                                                          base::Offload* offload,
                                                          const std::string& target,
                                                          std::string_view token) {
  auto id = verify(token);
  if (!id) co_return id.error();
  const bus::dapr::Headers headers{{"Authorization", "Bearer " + std::string{token}}};
  auto r = co_await offload->call(&ask_api, dapr, target, headers);
  if (!r) {
    co_return core::make_error(core::Errc::unavailable,
                               "the api is not reachable to check the token: " + r.error().message);
  }
  if (r->status == 200) co_return http::session_principal(*id);
  if (r->status == 401 || r->status == 403) {
    co_return core::make_error(core::Errc::unauthorized,
                               "the token was revoked or its account is gone");
  }
  co_return core::make_error(core::Errc::unavailable,
                             "the api answered " + std::to_string(r->status) + " to a token check");
}

}  // namespace

http::Authenticator token_check_by_api(VerifyToken verify, bus::dapr::DaprClient& dapr,
                                       base::Offload& offload, std::string api_app_id) {
  return std::bind_front(&check, std::move(verify), &dapr, &offload,
                         bus::dapr::invocation_target(api_app_id, "/api/me"));
}

}  // namespace tickler::services::realtime
