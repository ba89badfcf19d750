#include "services/api/outbox_relay.hpp"

#include "http/log.hpp"

namespace tickler::services::api {

bus::Event to_event(const store::OutboxRow& row) {
  return {row.cloud_event_id(),        row.topic,      row.type, row.source, row.subject,
          std::to_string(row.user_id), row.created_at, row.data};
}

void OutboxRelay::write_metrics(std::string& out) const {
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

void OutboxRelay::start() {
  thread_ = std::jthread{[this](std::stop_token stop) { run(stop); }};
}

void OutboxRelay::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  cv_.notify_all();
  thread_.join();
}

void OutboxRelay::wake() {
  {
    std::lock_guard lock{mutex_};
    woken_ = true;
  }
  cv_.notify_one();
}

core::Result<int> OutboxRelay::drain_once() {
  std::lock_guard drain{drain_mutex_};
  int published = 0;
  for (;;) {
    const auto t0 = std::chrono::steady_clock::now();
    auto rows =
        store_.read_value([&](store::Reader& r) { return r.unsent_outbox(settings_.batch); });
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
      http::log_json(spdlog::level::debug, "outbox relay: published",
                     {{"events", sent.size()},
                      {"read_ms", ms(t1 - t0)},
                      {"publish_ms", ms(t2 - t1)},
                      {"mark_ms", ms(std::chrono::steady_clock::now() - t2)}});
    }
    if (!failure) return failure.error();
  }
}

void OutboxRelay::run(std::stop_token stop) {
  auto backoff = settings_.first_backoff;
  while (!stop.stop_requested()) {
    auto n = drain_once();
    auto wait = settings_.poll;
    if (!n) {
      http::log_json(spdlog::level::warn, "outbox relay: publish failed, backing off",
                     {{"error", n.error().message}, {"backoff_ms", backoff.count()}});
      wait = backoff;
      backoff = std::min(backoff * 2, settings_.max_backoff);
    } else {
      backoff = settings_.first_backoff;
    }
    std::unique_lock lock{mutex_};
    cv_.wait_for(lock, stop, wait, [this] { return woken_; });
    woken_ = false;
  }
  (void)drain_once();
}

}  // namespace tickler::services::api
