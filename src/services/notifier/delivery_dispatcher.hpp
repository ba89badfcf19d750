#pragma once
// Runs outbound deliveries on a fixed set of worker threads, within two limits besides the
// number of workers: one delivery at a time per user (so a user's deliveries keep their order)
// and at most `per_host` at a time to one destination host (so one slow or dead host takes a
// bounded share of the workers). try_start never queues: a delivery whose limits are reached is
// offered again at the next dispatch, from the store, where it stays pending.
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/task.hpp"

namespace tickler::services::notifier {

struct DispatchLimits {
  int workers = 16;  // deliveries in flight at once, for everyone
  int per_host = 4;  // deliveries in flight at once to one host
};

class DeliveryDispatcher {
 public:
  // on_done runs on the worker after each job (e.g. to wake the dispatch loop).
  DeliveryDispatcher(DispatchLimits limits, std::function<void()> on_done);
  DeliveryDispatcher(const DeliveryDispatcher&) = delete;
  DeliveryDispatcher& operator=(const DeliveryDispatcher&) = delete;
  ~DeliveryDispatcher() { stop(); }

  // Starts job on a free worker unless a worker is not free, the user has a job running, or the
  // host is at its limit. true when started.
  bool try_start(core::UserId user, const std::string& host, std::function<void()> job);
  // The users with a job running now.
  [[nodiscard]] std::set<core::UserId> running_users() const;
  // Lets running jobs finish, then ends the workers.
  void stop();

 private:
  void work(std::stop_token stop);

  struct Job {
    core::UserId user;
    std::string host;
    std::function<void()> fn;
  };
  DispatchLimits limits_;
  std::function<void()> on_done_;
  mutable std::mutex mutex_;
  std::condition_variable_any cv_;
  std::deque<Job> ready_;  // started, not yet taken by a worker
  int in_flight_ = 0;
  bool stopping_ = false;
  std::set<core::UserId> users_;
  std::map<std::string, int, std::less<>> hosts_;
  std::vector<std::jthread> workers_;
};

}  // namespace tickler::services::notifier
