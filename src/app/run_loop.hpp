#pragma once
// The run loop of every serving command (tickler serve and the roles), once: sets up the process
// (logging, libsodium), builds it on an io_context, starts it, logs "listening", runs the I/O
// threads until SIGTERM/SIGINT ("stopping": stop accepting, with a grace period for requests in
// flight), joins them, stops the background work and logs "stopped". A failure to build or start
// is logged as "start-up failed" and exits 1.
#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "app/process.hpp"

namespace tickler::app {

// A process the run loop serves.
class Runnable {
 public:
  virtual ~Runnable() = default;
  virtual Process& process() = 0;
  // The fields of the "listening" line.
  [[nodiscard]] virtual boost::json::object listening() const = 0;
  // What else an operator should read once it listens.
  virtual void after_listening() const {}
};

struct RunSettings {
  std::string log_level = "info";
  int io_threads = 2;
  std::chrono::seconds grace{10};
  boost::json::object fields;  // first fields of "stopped" and "start-up failed" (the role)
};

using BuildProcess = std::function<std::unique_ptr<Runnable>(boost::asio::io_context& ioc)>;

// The process's exit code.
int run_until_signalled(const RunSettings& settings, const BuildProcess& build);

}  // namespace tickler::app
