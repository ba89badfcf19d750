#pragma once
// Runs outbound deliveries on a fixed set of worker threads, within three limits besides the
// number of workers: one delivery at a time per queue — one user's deliveries on one channel
// (webhook, webhook:7, email, …), so they keep their order while the user's other channels go
// beside them; a bounded number at a time to one destination (a webhook's host: `per_host`; a
// channel may name its own bound, e.g. the connections the SMTP server is given), so one slow or
// dead destination takes a bounded share of the workers; and a bounded number at a time for one
// user across all their channels (`per_user`, of which one channel kind takes at most all but
// one), so one user's many hanging destinations on many hosts take a bounded share of the
// workers and never starve their own other channel kinds. try_start never queues: a delivery
// whose limits are reached is offered again at the next dispatch, from the store, where it stays
// pending.
#include <algorithm>
#include <compare>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/task.hpp"

namespace tickler::services::notifier {

struct DispatchLimits {
  int workers = 16;  // deliveries in flight at once, for everyone
  int per_host = 4;  // deliveries in flight at once to one destination, unless it names its own
  // Deliveries in flight at once for one user, all channels together: a quarter of the workers,
  // so one user leaves 12 of 16 to everyone else; one channel kind (webhook, push, …) of theirs
  // takes at most per_user - 1, so the user's other kinds (their email) always find a slot.
  int per_user = 4;
};

// One user's deliveries on one channel record name: they go out one at a time, in order.
struct DeliveryQueue {
  core::UserId user = 0;
  std::string channel;
  friend auto operator<=>(const DeliveryQueue&, const DeliveryQueue&) = default;
  // The channel kind: the record name up to its ':' (webhook:7 → webhook).
  [[nodiscard]] std::string_view kind() const {
    return std::string_view{channel}.substr(0, channel.find(':'));
  }
};

// One user's deliveries in flight (or planned by a dispatch pass): all of them, and those of one
// channel kind.
struct UserLoad {
  int all = 0;
  int of_kind = 0;
};

class DeliveryDispatcher {
 public:
  // on_done runs on the worker after each job (e.g. to wake the dispatch loop).
  DeliveryDispatcher(DispatchLimits limits, std::function<void()> on_done);
  DeliveryDispatcher(const DeliveryDispatcher&) = delete;
  DeliveryDispatcher& operator=(const DeliveryDispatcher&) = delete;
  ~DeliveryDispatcher() { stop(); }

  // Starts job on a free worker unless no worker is free, the queue has a job running, the
  // destination is at its limit (destination_limit, or per_host when it is 0), or the queue's user
  // is at theirs (user_has_room). true when started.
  bool try_start(const DeliveryQueue& queue, const std::string& destination, int destination_limit,
                 std::function<void()> job);
  // The deliveries in flight to a destination now.
  [[nodiscard]] int at_destination(const std::string& destination) const;
  // The queue's user's deliveries in flight now: all, and those of the queue's channel kind.
  [[nodiscard]] UserLoad at_user(const DeliveryQueue& queue) const;
  // Whether a user with `load` in flight may start one more of that kind: fewer than per_user in
  // all, and fewer than per_user - 1 (at least 1) of the kind.
  [[nodiscard]] bool user_has_room(UserLoad load) const {
    return load.all < limits_.per_user && load.of_kind < std::max(1, limits_.per_user - 1);
  }
  // The queues with a job running now.
  [[nodiscard]] std::set<DeliveryQueue> running_queues() const;
  // Workers without a job.
  [[nodiscard]] int idle_workers() const;
  // Lets running jobs finish, then ends the workers.
  void stop();

 private:
  void work(std::stop_token stop);
  [[nodiscard]] UserLoad load_of(const DeliveryQueue& queue) const;  // mutex_ held
  [[nodiscard]] int limit_of(int destination_limit) const {
    return destination_limit > 0 ? destination_limit : limits_.per_host;
  }

  struct Job {
    DeliveryQueue queue;
    std::string destination;
    std::function<void()> fn;
  };
  DispatchLimits limits_;
  std::function<void()> on_done_;
  mutable std::mutex mutex_;
  std::condition_variable_any cv_;
  std::deque<Job> ready_;  // started, not yet taken by a worker
  int in_flight_ = 0;
  bool stopping_ = false;
  std::set<DeliveryQueue> queues_;
  std::map<std::string, int, std::less<>> destinations_;
  std::map<core::UserId, int> users_;                               // in flight per user
  std::map<std::pair<core::UserId, std::string>, int> user_kinds_;  // … per kind
  std::vector<std::jthread> workers_;
};

}  // namespace tickler::services::notifier
