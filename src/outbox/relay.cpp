#include "outbox/relay.hpp"

#include <algorithm>

#include "base/log.hpp"
#include "outbox/envelope.hpp"

namespace tickler::outbox {

Relay::Relay(RelaySettings settings, store::Store& store, bus::Bus& bus)
    : settings_(settings), store_(store), bus_(bus) {
  settings_.lanes = std::max(1, settings_.lanes);
  woken_.assign(static_cast<std::size_t>(settings_.lanes), 0);
  lane_mutex_.resize(static_cast<std::size_t>(settings_.lanes));
}

void Relay::write_metrics(std::string& out) const {
  auto backlog = store_.read_value([](store::Reader& r) { return r.outbox_backlog(); });
  if (!backlog) return;  // the store is down: no sample rather than a wrong one
  const double age =
      backlog->oldest ? std::chrono::duration<double>(core::now() - *backlog->oldest).count() : 0;
  out += "# HELP tickler_outbox_pending_events Outbox rows not yet acknowledged by the bus.\n";
  out += "# TYPE tickler_outbox_pending_events gauge\n";
  out += "tickler_outbox_pending_events " + std::to_string(backlog->pending) + "\n";
  out += "# HELP tickler_outbox_oldest_pending_age_seconds Age of the oldest of them (0: none).\n";
  out += "# TYPE tickler_outbox_oldest_pending_age_seconds gauge\n";
  out += "tickler_outbox_oldest_pending_age_seconds " + std::to_string(age) + "\n";
}

void Relay::start() {
  for (int lane = 0; lane < settings_.lanes; ++lane) {
    threads_.emplace_back([this, lane](std::stop_token stop) { run(stop, lane); });
  }
}

void Relay::stop() {
  if (threads_.empty()) return;
  for (auto& t : threads_) t.request_stop();
  cv_.notify_all();
  threads_.clear();  // joins
}

void Relay::wake() {
  {
    std::lock_guard lock{mutex_};
    std::fill(woken_.begin(), woken_.end(), 1);
  }
  cv_.notify_all();
}

core::Result<int> Relay::drain_once() {
  int published = 0;
  for (int lane = 0; lane < settings_.lanes; ++lane) {
    auto n = drain_lane(lane);
    if (!n) return n.error();
    published += *n;
  }
  return published;
}

core::Result<int> Relay::drain_lane(int lane) {
  std::lock_guard drain{lane_mutex_[static_cast<std::size_t>(lane)]};
  const store::OutboxLane share{lane, settings_.lanes};
  int published = 0;
  for (;;) {
    const auto t0 = std::chrono::steady_clock::now();
    auto rows = store_.read_value(
        [&](store::Reader& r) { return r.unsent_outbox(settings_.batch, share); });
    const auto t1 = std::chrono::steady_clock::now();
    if (!rows) return rows.error();
    if (rows->empty()) return published;
    std::vector<std::int64_t> sent;
    core::Status failure;
    // Runs of rows with the same target go to the bus together (consumers take them in one
    // transaction); a failed run stops the drain so that nothing overtakes it.
    for (std::size_t i = 0; i < rows->size();) {
      std::size_t end = i;
      std::vector<bus::Event> run;
      while (end < rows->size() && (*rows)[end].target == (*rows)[i].target) {
        run.push_back(to_event((*rows)[end]));
        ++end;
      }
      auto st = bus_.publish_batch(run, (*rows)[i].target);
      if (!st) {
        failure = st;
        const auto first = (*rows)[i].id;
        (void)store_.write(
            [&](store::Writer& w) { return w.mark_outbox_failed(first, st.error().message); });
        break;
      }
      if (settings_.tap) settings_.tap->record(run);
      for (std::size_t k = i; k < end; ++k) sent.push_back((*rows)[k].id);
      i = end;
    }
    const auto t2 = std::chrono::steady_clock::now();
    if (!sent.empty()) {
      // One transaction for the whole run of acknowledged rows.
      const auto now = core::now();
      auto st = store_.write([&](store::Writer& w) { return w.mark_outbox_sent(sent, now); });
      if (!st) return st.error();
      published += static_cast<int>(sent.size());
      const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
      base::log_json(spdlog::level::debug, "outbox relay: published",
                     {{"lane", lane},
                      {"events", sent.size()},
                      {"read_ms", ms(t1 - t0)},
                      {"publish_ms", ms(t2 - t1)},
                      {"mark_ms", ms(std::chrono::steady_clock::now() - t2)}});
    }
    if (!failure) return failure.error();
  }
}

void Relay::run(std::stop_token stop, int lane) {
  auto backoff = settings_.first_backoff;
  auto& woken = woken_[static_cast<std::size_t>(lane)];
  while (!stop.stop_requested()) {
    auto n = drain_lane(lane);
    auto wait = settings_.poll;
    if (!n) {
      base::log_json(
          spdlog::level::warn, "outbox relay: publish failed, backing off",
          {{"lane", lane}, {"error", n.error().message}, {"backoff_ms", backoff.count()}});
      wait = backoff;
      backoff = std::min(backoff * 2, settings_.max_backoff);
    } else {
      backoff = settings_.first_backoff;
    }
    std::unique_lock lock{mutex_};
    cv_.wait_for(lock, stop, wait, [&woken] { return woken != 0; });
    woken = 0;
  }
  (void)drain_lane(lane);
}

}  // namespace tickler::outbox
