#include "bus/inproc/inproc_bus.hpp"

#include <thread>

namespace tickler::bus::inproc {

void InprocBus::subscribe(std::string topic, std::string name, Subscriber fn) {
  subscribe_batch(std::move(topic), std::move(name),
                  [fn = std::move(fn)](const std::vector<Event>& events) {
                    std::vector<Verdict> verdicts;
                    for (const auto& e : events) {
                      verdicts.push_back(fn(e));
                      if (verdicts.back().outcome == Outcome::retry) break;
                    }
                    return verdicts;
                  });
}

InprocBus::Worker::Worker()
    : thread_([this](std::stop_token stop) {
        for (;;) {
          std::function<void()> job;
          {
            std::unique_lock lock{mutex_};
            cv_.wait(lock, stop, [this] { return !jobs_.empty(); });
            if (jobs_.empty()) return;  // stopping, nothing left
            job = std::move(jobs_.front());
            jobs_.pop_front();
          }
          job();
        }
      }) {}

InprocBus::Worker::~Worker() {
  thread_.request_stop();
  cv_.notify_all();
}

void InprocBus::Worker::post(std::function<void()> job) {
  {
    std::lock_guard lock{mutex_};
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void InprocBus::subscribe_batch(std::string topic, std::string name, BatchSubscriber fn) {
  std::lock_guard lock{mutex_};
  subscribers_[std::move(topic)].push_back(
      {std::move(name), std::move(fn), std::make_shared<Worker>()});
}

core::Status InprocBus::publish(const Event& event, const std::optional<std::string>& target) {
  return publish_batch({event}, target);
}

core::Status InprocBus::publish_batch(const std::vector<Event>& events,
                                      const std::optional<std::string>& target) {
  std::map<std::string, std::vector<Entry>, std::less<>> subscribers;
  {
    std::lock_guard lock{mutex_};
    subscribers = subscribers_;
  }
  std::vector<std::pair<const Entry*, std::vector<Event>>> jobs;
  for (const auto& [topic, entries] : subscribers) {
    std::vector<Event> of_topic;
    for (const auto& e : events) {
      if (e.topic == topic) of_topic.push_back(e);
    }
    if (of_topic.empty()) continue;
    for (const auto& entry : entries) {
      if (target && entry.name != *target) continue;
      jobs.emplace_back(&entry, of_topic);
    }
  }
  if (jobs.size() == 1) return deliver(*jobs.front().first, std::move(jobs.front().second));
  // Each subscriber on its own thread; wait for all, and report the first failure.
  std::mutex done_mutex;
  std::condition_variable done;
  std::size_t left = jobs.size();
  core::Status result;
  for (auto& [entry, of_entry] : jobs) {
    entry->worker->post([&, entry = entry, batch = std::move(of_entry)]() mutable {
      auto st = deliver(*entry, std::move(batch));
      std::lock_guard lock{done_mutex};
      if (!st && result) result = st;
      if (--left == 0) done.notify_one();
    });
  }
  std::unique_lock lock{done_mutex};
  done.wait(lock, [&] { return left == 0; });
  return result;
}

core::Status InprocBus::deliver(const Entry& entry, std::vector<Event> events) {
  auto backoff = settings_.first_backoff;
  int attempt = 1;
  std::size_t next = 0;  // events before `next` are taken or dead-lettered
  while (next < events.size()) {
    std::vector<Event> pending(events.begin() + static_cast<std::ptrdiff_t>(next), events.end());
    std::vector<Verdict> verdicts;
    try {
      verdicts = entry.fn(pending);
    } catch (const std::exception& e) {
      verdicts = {Verdict::retry(std::string{"subscriber threw: "} + e.what())};
    }
    if (verdicts.empty()) verdicts = {Verdict::retry("subscriber answered nothing")};
    std::size_t i = 0;
    for (; i < verdicts.size() && i < pending.size(); ++i) {
      const auto& v = verdicts[i];
      if (v.outcome != Outcome::retry) {
        // Progress: the retry budget is per event, so it starts afresh for the next one.
        attempt = 1;
        backoff = settings_.first_backoff;
      }
      if (v.outcome == Outcome::success) continue;
      if (v.outcome == Outcome::drop) {
        if (auto st = dead_letters_(pending[i], entry.name, "dropped: " + v.reason); !st) return st;
        continue;
      }
      // RETRY: this one and the rest come again, in order; the last attempt gives up on it.
      if (attempt >= settings_.max_attempts) {
        if (auto st = dead_letters_(pending[i], entry.name, "gave up retrying: " + v.reason); !st) {
          return st;
        }
        ++i;
        attempt = 1;
        backoff = settings_.first_backoff;
      } else {
        ++attempt;
        std::this_thread::sleep_for(backoff);
        backoff = std::min(backoff * 2, settings_.max_backoff);
      }
      break;
    }
    next += i;
    if (i == verdicts.size() && i < pending.size()) continue;  // answered a prefix: go on
  }
  return {};
}

}  // namespace tickler::bus::inproc
