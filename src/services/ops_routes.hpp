#pragma once
// The operational routes every process serves, defined once: GET /healthz (alive), /readyz
// (ready: what "ready" means is the process's check) and /metrics (Prometheus text).
#include <functional>

#include "core/result.hpp"
#include "services/ports.hpp"

namespace tickler::services {

// Whether the process can serve (blocking; run on the pool). An error answers /readyz with its
// status and message.
using ReadyCheck = std::function<core::Status()>;

void add_ops_routes(const Ports& ports, ReadyCheck ready);

// The store answers a ping; else unavailable, "the store does not answer: …".
[[nodiscard]] core::Status store_answers(store::Store& store);

}  // namespace tickler::services
