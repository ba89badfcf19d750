#include "services/recurrer/recurrer_wiring.hpp"

#include "wire/topics.hpp"

namespace tickler::services::recurrer {

std::unique_ptr<RecurrerService> wire_recurrer(const Ports& ports, CreateOccurrence create) {
  auto recurrer = std::make_unique<RecurrerService>(std::move(create));
  ports.bus.subscribe(std::string{wire::topic::task_events}, "recurrer",
                      std::bind_front(&RecurrerService::on_task_event, recurrer.get()));
  return recurrer;
}

}  // namespace tickler::services::recurrer
