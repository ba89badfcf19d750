#include "services/ports.hpp"

#include <ranges>
#include <stdexcept>
#include <string>

namespace tickler::services {

void Lifecycle::start() {
  for (const auto& hook : start_) hook();
}

void Lifecycle::stop_accepting() {
  for (const auto& hook : std::views::reverse(stop_accepting_)) hook();
}

void Lifecycle::stop() {
  if (stopped_) return;
  stopped_ = true;
  for (const auto& hook : std::views::reverse(stop_)) hook();
}

store::Store& Ports::require_store(std::string_view service) const {
  if (store == nullptr) {
    throw std::logic_error(std::string{service} + " is wired into a process without a store");
  }
  return *store;
}

}  // namespace tickler::services
