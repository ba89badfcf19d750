#pragma once
// realtime wired into a process: its subscriptions to task-updates and notifications (consumer
// "realtime"), the server's upgrade requests (GET /api/ws), and its sockets closed when the
// process stops accepting, and its metrics (connections, the replay buffer). How tokens are
// checked is the process's: in tickler serve the api's authenticate and token claims, in
// tickler realtime app::token_check_by_api and the JWT's claims; the replay buffer's bounds are
// configuration.
#include <memory>

#include "services/ports.hpp"
#include "services/realtime/realtime_service.hpp"

namespace tickler::services::realtime {

[[nodiscard]] std::unique_ptr<RealtimeService> wire_realtime(const Ports& ports,
                                                             http::Authenticator check_token,
                                                             RealtimeService::TokenInfo token_info,
                                                             HubSettings hub = {});

}  // namespace tickler::services::realtime
