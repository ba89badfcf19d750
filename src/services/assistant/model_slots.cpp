#include "services/assistant/model_slots.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <map>
#include <mutex>

namespace tickler::services::assistant {
namespace {

namespace net = boost::asio;

core::Error busy(std::string message, std::int64_t retry_after) {
  auto e = core::make_error(core::Errc::too_many_requests, std::move(message),
                            {{"retry_after", retry_after}});
  e.code_name = "assistant_busy";
  return e;
}

}  // namespace

// A turn waiting for a slot: woken (its timer cancelled, on its own executor) when given one.
struct Waiter {
  explicit Waiter(const net::any_io_executor& ex) : timer(ex) {}
  net::steady_timer timer;
  bool granted = false;  // guarded by State::mutex
};

struct ModelSlots::State {
  mutable std::mutex mutex;
  int free = 0;
  int per_user = 1;
  std::map<core::UserId, int> in_flight;  // holding or waiting
  std::deque<std::shared_ptr<Waiter>> queue;

  // Under the mutex: the slot goes to the first waiter, or back to the free ones.
  void hand_on() {
    if (queue.empty()) {
      ++free;
      return;
    }
    auto next = std::move(queue.front());
    queue.pop_front();
    next->granted = true;
    net::post(next->timer.get_executor(), [next] { next->timer.cancel(); });
  }
  void leave(core::UserId user) {
    if (auto it = in_flight.find(user); it != in_flight.end() && --it->second <= 0) {
      in_flight.erase(it);
    }
  }
};

ModelSlots::Slot& ModelSlots::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    release();
    state_ = std::move(other.state_);
    user_ = other.user_;
  }
  return *this;
}

ModelSlots::Slot::~Slot() {
  release();
}

void ModelSlots::Slot::release() {
  if (!state_) return;
  std::lock_guard lock{state_->mutex};
  state_->leave(user_);
  state_->hand_on();
  state_.reset();
}

ModelSlots::ModelSlots(int total, int per_user) : state_(std::make_shared<State>()) {
  state_->free = std::max(1, total);
  state_->per_user = std::max(1, per_user);
}

int ModelSlots::in_flight(core::UserId user) const {
  std::lock_guard lock{state_->mutex};
  const auto it = state_->in_flight.find(user);
  return it == state_->in_flight.end() ? 0 : it->second;
}

// After inlining, GCC 12 pairs the coroutine frame's aligned allocation with Asio's sized
// operator delete and reports a mismatch (GCC bug 109224, as in assistant_service.cpp).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
net::awaitable<core::Result<ModelSlots::Slot>> ModelSlots::acquire(core::UserId user,
                                                                   std::chrono::milliseconds wait) {
  std::shared_ptr<Waiter> waiter;
  {
    std::lock_guard lock{state_->mutex};
    auto& mine = state_->in_flight[user];
    if (mine >= state_->per_user) {
      co_return busy("you have " + std::to_string(mine) +
                         " assistant turn(s) running already; wait for the reply, then try again",
                     2);
    }
    ++mine;
    if (state_->free > 0 && state_->queue.empty()) {
      --state_->free;
      co_return Slot{state_, user};
    }
    waiter = std::make_shared<Waiter>(co_await net::this_coro::executor);
    waiter->timer.expires_after(wait);
    state_->queue.push_back(waiter);
  }
  co_await waiter->timer.async_wait(net::as_tuple(net::use_awaitable));
  std::lock_guard lock{state_->mutex};
  if (waiter->granted) co_return Slot{state_, user};
  std::erase(state_->queue, waiter);
  state_->leave(user);
  co_return busy("the assistant is busy with other people's turns; try again in a moment", 5);
}
#pragma GCC diagnostic pop

}  // namespace tickler::services::assistant
