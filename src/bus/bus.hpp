#pragma once
// The Bus: at-least-once delivery of events to named subscribers per topic. A subscriber is a
// blocking function answering SUCCESS, RETRY (transient: deliver again later) or DROP (poison:
// dead-letter it). Implementations: inproc/ (in-process, for tickler serve) and dapr/.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bus/event.hpp"
#include "core/result.hpp"

namespace tickler::bus {

enum class Outcome { success, retry, drop };

struct Verdict {
  Outcome outcome = Outcome::success;
  std::string reason;  // for retry and drop: why
  static Verdict ok() { return {}; }
  static Verdict retry(std::string why) { return {Outcome::retry, std::move(why)}; }
  static Verdict drop(std::string why) { return {Outcome::drop, std::move(why)}; }
};

using Subscriber = std::function<Verdict(const Event&)>;
// Takes several events of its topic at once, in order (e.g. to record them in one transaction),
// and answers one verdict per event. A RETRY means: this event and the ones after it were not
// taken; they come again, in order.
using BatchSubscriber = std::function<std::vector<Verdict>(const std::vector<Event>&)>;

// For a batch subscriber whose transaction failed: nothing was taken, so the first event not
// dropped (and, implicitly, every one after it) comes again; dropped ones before it stay dropped.
[[nodiscard]] std::vector<Verdict> retry_from_first_kept(std::vector<Verdict> verdicts,
                                                         const std::string& reason);

class Bus {
 public:
  virtual ~Bus() = default;
  // name identifies the consumer (dead letters, redrive). Subscribe before publishing.
  virtual void subscribe(std::string topic, std::string name, Subscriber fn) = 0;
  virtual void subscribe_batch(std::string topic, std::string name, BatchSubscriber fn) = 0;
  // Delivers to every subscriber of event.topic, or to `target` only. Succeeds once the
  // transport has taken responsibility for the event (in-process: every subscriber answered
  // SUCCESS or the event was dead-lettered); an error means "not acknowledged, publish again".
  virtual core::Status publish(const Event& event, const std::optional<std::string>& target) = 0;
  // Several events (any topics), in order, with the guarantees of publish for each.
  virtual core::Status publish_batch(const std::vector<Event>& events,
                                     const std::optional<std::string>& target) = 0;
};

}  // namespace tickler::bus
