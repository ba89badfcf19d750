#pragma once
// Runs blocking work (SQLite, argon2) on a thread pool and resumes the calling coroutine on its
// own executor, so I/O threads never block. An exception in the work (a bug) becomes the value
// from_exception(std::type_identity<R>{}, e) returns, found by argument-dependent lookup next to
// the work's result type R (core::Result provides it: an internal error), instead of taking the
// process down.
//
// GCC 12 destroys a lambda's captures twice when the lambda is created in the same expression as
// a co_await, so coroutines use call(fn, args...): the callable is bound here, outside the
// coroutine, from arguments that the coroutine passes as named lvalues.
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <functional>
#include <type_traits>

namespace tickler::base {

class Offload {
 public:
  explicit Offload(int threads) : pool_(static_cast<std::size_t>(threads)) {}
  Offload(const Offload&) = delete;
  Offload& operator=(const Offload&) = delete;
  ~Offload() { join(); }

  // Runs std::invoke(fn, args...) on the pool; args are copied.
  template <class F, class... Args>
  auto call(F fn, const Args&... args) {
    return run(std::bind_front(fn, args...));
  }

  template <class F>
  auto run(F fn) {
    using R = std::invoke_result_t<F&>;
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(R)>(
        [this](auto handler, F work) {
          boost::asio::post(
              pool_, [handler = std::move(handler), work = std::move(work)]() mutable {
                R result = invoke(work);
                auto ex = boost::asio::get_associated_executor(handler);
                boost::asio::dispatch(
                    ex, [handler = std::move(handler), result = std::move(result)]() mutable {
                      std::move(handler)(std::move(result));
                    });
              });
        },
        boost::asio::use_awaitable, std::move(fn));
  }

  // Runs fn() on the pool without waiting for it (it reports back by itself).
  template <class F>
  void post(F fn) {
    boost::asio::post(pool_, std::move(fn));
  }

  // Waits for the work already submitted, then ends the threads.
  void join() { pool_.join(); }

 private:
  template <class F>
  static std::invoke_result_t<F&> invoke(F& work) {
    try {
      return work();
    } catch (const std::exception& e) {
      return from_exception(std::type_identity<std::invoke_result_t<F&>>{}, e);
    }
  }
  boost::asio::thread_pool pool_;
};

}  // namespace tickler::base
