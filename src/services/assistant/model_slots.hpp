#pragma once
// Who may talk to the language model now. A turn with the model holds a slot from its first model
// call to its end: at most `total` turns at once (the model client's threads), and at most
// `per_user` of them one user's, counting those waiting. So one user who fires many turns (many
// conversations, many tabs) holds at most `per_user` slots and the others stay free for everyone
// else. A turn over its user's share is refused at once; a turn that finds every slot taken waits,
// first come first served, at most a bounded time. Refusals are too_many_requests with the code
// name "assistant_busy" and details.retry_after (seconds). Thread-safe.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>

#include "core/result.hpp"
#include "core/task.hpp"

namespace tickler::services::assistant {

class ModelSlots {
 public:
  struct State;

  // A slot held; released when destroyed.
  class Slot {
   public:
    Slot() = default;
    Slot(std::shared_ptr<State> state, core::UserId user) : state_(std::move(state)), user_(user) {}
    Slot(Slot&& other) noexcept = default;
    Slot& operator=(Slot&& other) noexcept;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot();

   private:
    void release();
    std::shared_ptr<State> state_;
    core::UserId user_ = 0;
  };

  ModelSlots(int total, int per_user);

  // A slot for one of `user`'s turns, waiting at most `wait` for one to free up.
  boost::asio::awaitable<core::Result<Slot>> acquire(core::UserId user,
                                                     std::chrono::milliseconds wait);

  // The user's turns holding or waiting for a slot.
  [[nodiscard]] int in_flight(core::UserId user) const;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace tickler::services::assistant
