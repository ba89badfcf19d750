#include "services/event_retention.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/log.hpp"

namespace tickler::services {
namespace {

namespace net = boost::asio;

std::string_view table_name(EventRetention::Table table) {
  return table == EventRetention::Table::outbox ? "outbox" : "processed_events";
}

}  // namespace

EventRetention::EventRetention(EventRetentionSettings settings, store::Store& store,
                               base::Offload& offload)
    : settings_(settings), store_(store), offload_(offload) {}

std::optional<std::chrono::seconds> EventRetention::retention(Table table) const {
  return table == Table::outbox ? settings_.outbox : settings_.processed_events;
}

core::Result<int> EventRetention::prune_batch(Table table, core::Instant now) {
  const auto kept = retention(table);
  if (!kept) return 0;
  const auto horizon = now - *kept;
  auto deleted = store_.write_value([&](store::Writer& w) {
    return table == Table::outbox ? w.prune_sent_outbox(horizon, settings_.batch)
                                  : w.prune_processed_events(horizon, settings_.batch);
  });
  if (deleted) {
    auto& counter = table == Table::outbox ? pruned_outbox_ : pruned_processed_;
    counter += static_cast<std::uint64_t>(*deleted);
  }
  return deleted;
}

void EventRetention::start(net::io_context& ioc) {
  if (!settings_.outbox && !settings_.processed_events) return;
  strand_.emplace(net::make_strand(ioc));
  timer_ = std::make_unique<net::steady_timer>(*strand_);
  net::co_spawn(*strand_, rounds(), net::detached);
}

void EventRetention::stop() {
  stopped_ = true;
  if (strand_) net::post(*strand_, [this] { timer_->cancel(); });
}

net::awaitable<bool> EventRetention::sleep(std::chrono::milliseconds delay) {
  if (stopped_) co_return false;
  timer_->expires_after(delay);
  auto [ec] = co_await timer_->async_wait(net::as_tuple(net::use_awaitable));
  co_return !ec && !stopped_;
}

net::awaitable<bool> EventRetention::drain(Table table) {
  std::uint64_t total = 0;
  for (;;) {
    const auto now = core::now();
    auto deleted = co_await offload_.call(&EventRetention::prune_batch, this, table, now);
    if (!deleted) {
      base::log_json(spdlog::level::warn, "event retention: prune failed",
                     {{"table", table_name(table)}, {"error", deleted.error().message}});
      break;
    }
    total += static_cast<std::uint64_t>(*deleted);
    if (*deleted < settings_.batch) break;
    if (!co_await sleep(settings_.pause)) co_return false;
  }
  if (total > 0) {
    base::log_json(spdlog::level::info, "event retention: pruned",
                   {{"table", table_name(table)}, {"rows", total}});
  }
  co_return true;
}

net::awaitable<void> EventRetention::rounds() {
  if (!co_await sleep(settings_.first_delay)) co_return;
  for (;;) {
    for (auto table : {Table::outbox, Table::processed_events}) {
      if (retention(table) && !co_await drain(table)) co_return;
    }
    if (!co_await sleep(settings_.interval)) co_return;
  }
}

void EventRetention::write_metrics(std::string& out) const {
  out +=
      "# HELP tickler_events_pruned_total Rows deleted by retention: sent outbox rows, consumers' "
      "records of processed events.\n";
  out += "# TYPE tickler_events_pruned_total counter\n";
  if (settings_.outbox) {
    out += "tickler_events_pruned_total{table=\"outbox\"} " + std::to_string(pruned_outbox_) + "\n";
  }
  if (settings_.processed_events) {
    out += "tickler_events_pruned_total{table=\"processed_events\"} " +
           std::to_string(pruned_processed_) + "\n";
  }
}

std::unique_ptr<EventRetention> wire_event_retention(const Ports& ports,
                                                     EventRetentionSettings settings) {
  auto retention = std::make_unique<EventRetention>(
      settings, ports.require_store("event retention"), ports.offload);
  ports.metrics.add_source([r = retention.get()](std::string& out) { r->write_metrics(out); });
  ports.lifecycle.on_start([r = retention.get(), &ioc = ports.ioc] { r->start(ioc); });
  ports.lifecycle.on_stop_accepting([r = retention.get()] { r->stop(); });
  return retention;
}

}  // namespace tickler::services
