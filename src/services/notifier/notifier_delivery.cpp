// NotifierService: the delivery core's dispatch — which waiting deliveries start now (the due
// heads of each channel kind's queues, as far as the dispatcher's limits allow) and one attempt
// of a delivery (claimed with a lease, run, its outcome recorded).
#include <algorithm>
#include <chrono>
#include <map>

#include "base/log.hpp"
#include "services/notifier/notifier_service.hpp"

namespace tickler::services::notifier {

Channel* NotifierService::channel_for(std::string_view record) const {
  for (const auto& c : channels_) {
    if (c->owns(record)) return c.get();
  }
  return nullptr;
}

core::Status NotifierService::attempt_one(const store::Delivery& delivery,
                                          const std::optional<Attempt>& attempt) {
  const auto now = core::now();
  auto claimed = store_.write_value([&](store::NotifierWriter& w) {
    return w.claim_delivery(delivery.reminder_id, delivery.channel, owner_, now,
                            now + settings_.delivery_lease);
  });
  if (!claimed) return claimed.error();
  if (!*claimed) return {};  // another notifier attempts it, or it is final already
  store::Delivery next = std::move(**claimed);
  // A notifier that died during earlier attempts counted them without recording an outcome.
  const auto outcome =
      next.attempts > settings_.delivery_max_attempts
          ? Outcome::failed(next.last_error.value_or("the notifier stopped during every attempt"))
      : attempt ? attempt->send()
                : Outcome::failed("the reminder or the user's " + next.channel + " is gone");
  const auto at = core::now();
  switch (outcome.kind) {
    case Outcome::Kind::delivered:
      next.state = "delivered";
      next.sent_at = at;
      next.delivered_at = at;
      next.last_error.reset();
      break;
    case Outcome::Kind::sent:
      next.state = "sent";
      next.sent_at = at;
      next.last_error.reset();
      break;
    case Outcome::Kind::failed:
      next.state = "dead";
      next.last_error = outcome.error;
      break;
    case Outcome::Kind::retry:
      next.last_error = outcome.error;
      if (next.attempts >= settings_.delivery_max_attempts) {
        next.state = "dead";
      } else {
        next.state = "failed";
        const auto backoff = std::min<std::chrono::seconds>(
            std::max(std::chrono::seconds{1LL << std::min(next.attempts, 20)}, outcome.retry_after),
            settings_.delivery_max_backoff);
        next.next_attempt = at + backoff;
      }
      break;
  }
  auto recorded =
      store_.write_value([&](store::NotifierWriter& w) { return w.finish_delivery(next, owner_); });
  if (!recorded) return recorded.error();
  if (!*recorded) {
    base::log_json(spdlog::level::warn, "a delivery's lease ran out before its outcome",
                   {{"reminder_id", next.reminder_id}, {"channel", next.channel}});
  }
  return {};
}

core::Result<int> NotifierService::deliver_pending() {
  if (!dispatcher_) return 0;
  const auto began = std::chrono::steady_clock::now();
  const int idle = dispatcher_->idle_workers();
  if (idle <= 0) return 0;
  struct Candidate {
    store::Delivery delivery;
    std::optional<Attempt> attempt;
  };
  const auto now = core::now();
  // Queues running before the read: a job that finishes during it may have recorded its outcome
  // after the read saw its delivery still pending, and must not be started again from that row.
  // Only this loop starts jobs, so no other queue can be running with an outcome the read missed.
  const auto busy = dispatcher_->running_queues();
  // Per kind, the read returns the heads this pass may start (at most `idle`) plus those it
  // skips: the running queues' heads (claimed ones the store leaves out, so only those not
  // claimed yet or just finished) and heads whose destination or user is full (the margin).
  const int limit = idle + static_cast<int>(busy.size()) + k_full_destination_margin;
  int heads_read = 0;
  auto candidates =
      store_.read_value([&](store::NotifierReader& r) -> core::Result<std::vector<Candidate>> {
        std::vector<Candidate> out;
        // Deliveries this pass plans per user, all kinds together, besides those in flight.
        std::map<core::UserId, int> planned_for_user;
        for (const auto& channel : channels_) {
          auto heads = r.due_delivery_heads(channel->kind(), now, limit);
          if (!heads) return heads.error();
          heads_read += static_cast<int>(heads->size());
          // Deliveries this pass plans per destination, besides those in flight.
          std::map<std::string, int, std::less<>> planned;
          std::map<core::UserId, int> planned_of_kind;  // … per user, this kind
          // A user at their bound (DispatchLimits::per_user) is skipped like a full destination:
          // the head waits in the store and a freed slot wakes the next pass.
          const auto user_full = [&](const DeliveryQueue& queue) {
            auto load = dispatcher_->at_user(queue);
            load.all += planned_for_user[queue.user];
            load.of_kind += planned_of_kind[queue.user];
            return !dispatcher_->user_has_room(load);
          };
          const auto full = [&](const std::string& destination, int bound) {
            return dispatcher_->at_destination(destination) + planned[destination] >= bound;
          };
          int taken = 0;
          for (auto& d : *heads) {
            if (taken >= idle) break;
            DeliveryQueue queue{d.user_id, d.channel};
            if (busy.contains(queue) || user_full(queue)) continue;
            if (const auto hint = destination_hints_.find(queue);
                hint != destination_hints_.end() &&
                full(hint->second.destination, hint->second.bound)) {
              continue;
            }
            std::optional<Attempt> attempt;
            if (AttemptInput::is_event(d)) {
              auto a = channel->prepare_event(r, d);
              if (!a) return a.error();
              attempt = std::move(*a);
            } else {
              auto reminder = r.reminder(d.reminder_id);
              if (!reminder) return reminder.error();
              if (*reminder) {
                store::Delivery upcoming = d;
                upcoming.attempts += 1;  // the attempt it prepares
                AttemptInput input{upcoming, **reminder};
                if (is_digest(d.reminder_id)) {
                  input.digest = [this, row = **reminder] { return load_digest(row); };
                }
                auto a = channel->prepare(r, input);
                if (!a) return a.error();
                attempt = std::move(*a);
              }
            }
            if (attempt) {
              const int bound = attempt->destination_limit > 0 ? attempt->destination_limit
                                                               : settings_.delivery.per_host;
              if (destination_hints_.size() >= k_max_destination_hints) destination_hints_.clear();
              destination_hints_[queue] = {attempt->destination, bound};
              if (full(attempt->destination, bound)) continue;
              ++planned[attempt->destination];
            }
            ++taken;
            ++planned_for_user[queue.user];
            ++planned_of_kind[queue.user];
            out.push_back({std::move(d), std::move(attempt)});
          }
        }
        return out;
      });
  if (!candidates) return candidates.error();
  // Oldest first across kinds: with fewer idle workers than candidates, the longest waiting go.
  std::stable_sort(candidates->begin(), candidates->end(),
                   [](const Candidate& a, const Candidate& b) {
                     return a.delivery.next_attempt < b.delivery.next_attempt;
                   });
  int started = 0;
  for (auto& c : *candidates) {
    DeliveryQueue queue{c.delivery.user_id, c.delivery.channel};
    const auto destination = c.attempt ? c.attempt->destination : std::string{};
    const int bound = c.attempt ? c.attempt->destination_limit : 0;
    const bool ok = dispatcher_->try_start(queue, destination, bound, [this, c = std::move(c)] {
      if (auto st = attempt_one(c.delivery, c.attempt); !st) {
        base::log_json(spdlog::level::warn, "recording a delivery failed",
                       {{"reminder_id", c.delivery.reminder_id},
                        {"channel", c.delivery.channel},
                        {"error", st.error().message}});
      }
    });
    if (ok) ++started;
  }
  dispatch_seconds_.observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
  dispatch_heads_.observe(heads_read);
  return started;
}

}  // namespace tickler::services::notifier
