#include "services/realtime/hub.hpp"

#include <sodium.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <vector>

namespace tickler::services::realtime {

std::string resync_message() {
  return R"({"type":"resync","reason":"missed updates are no longer kept; reload the list"})";
}

Hub::Hub(HubSettings settings)
    : settings_(settings), epoch_([] {
        unsigned char raw[8];
        randombytes_buf(raw, sizeof raw);
        char hex[sizeof raw * 2 + 1];
        sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
        return std::string{hex};
      }()) {}

void Hub::join(core::UserId user, const std::shared_ptr<Outlet>& outlet,
               std::optional<std::int64_t> since, std::string_view epoch) {
  std::vector<std::shared_ptr<const std::string>> missed;
  bool resync = false;
  std::int64_t latest = 0;
  std::int64_t revoked_below = 0;
  {
    std::lock_guard lock{mutex_};
    latest = latest_;
    const bool known = users_.contains(user);
    auto& state = users_[user];
    state.outlets.insert(outlet);
    revoked_below = state.revoked_below;
    if (since) {
      resync =
          epoch != epoch_ || *since < state.trimmed_upto || (!known && *since < forgotten_upto_);
      if (!resync) {
        for (const auto& [seq, msg] : state.backlog) {
          if (seq > *since) missed.push_back(msg);
        }
      }
    }
  }
  outlet->send(std::make_shared<const std::string>(
      R"({"type":"hello","epoch":")" + epoch_ + R"(","sequence":)" + std::to_string(latest) + "}"));
  if (resync) outlet->send(std::make_shared<const std::string>(resync_message()));
  for (auto& m : missed) outlet->send(std::move(m));
  if (revoked_below > 0) outlet->revoke(revoked_below);
}

void Hub::revoke(core::UserId user, std::int64_t generation) {
  std::vector<std::shared_ptr<Outlet>> outlets;
  {
    std::lock_guard lock{mutex_};
    auto& state = users_[user];
    state.revoked_below = std::max(state.revoked_below, generation);
    outlets.assign(state.outlets.begin(), state.outlets.end());
  }
  for (auto& o : outlets) o->revoke(generation);
}

void Hub::leave(core::UserId user, const std::shared_ptr<Outlet>& outlet) {
  std::lock_guard lock{mutex_};
  auto it = users_.find(user);
  if (it == users_.end()) return;
  it->second.outlets.erase(outlet);
}

std::int64_t Hub::publish(core::UserId user, std::string_view stream, std::int64_t event_id,
                          boost::json::object message) {
  std::shared_ptr<const std::string> shared;
  std::vector<std::shared_ptr<Outlet>> outlets;
  std::int64_t sequence = 0;
  {
    std::lock_guard lock{mutex_};
    if (!users_.contains(user) && users_.size() >= settings_.max_users_with_backlog) {
      // Forget the backlog of users nobody is connected as; they will be told to resync.
      forgotten_upto_ = latest_;
      for (auto it = users_.begin(); it != users_.end();) {
        it = it->second.outlets.empty() ? users_.erase(it) : std::next(it);
      }
    }
    auto& state = users_[user];
    auto recent = state.recent.find(stream);
    if (recent == state.recent.end())
      recent = state.recent.emplace(std::string{stream}, UserState::Recent{}).first;
    auto& seen = recent->second;
    if (!seen.ids.insert(event_id).second) return 0;
    seen.order.push_back(event_id);
    if (seen.order.size() > settings_.recent_events) {
      seen.ids.erase(seen.order.front());
      seen.order.pop_front();
    }
    sequence = ++latest_;
    message["sequence"] = sequence;
    shared = std::make_shared<const std::string>(boost::json::serialize(message));
    state.backlog.emplace_back(sequence, shared);
    if (state.backlog.size() > settings_.backlog_per_user) {
      state.trimmed_upto = state.backlog.front().first;
      state.backlog.pop_front();
    }
    outlets.assign(state.outlets.begin(), state.outlets.end());
  }
  for (auto& o : outlets) o->send(shared);
  return sequence;
}

void Hub::close_all() {
  std::vector<std::shared_ptr<Outlet>> all;
  {
    std::lock_guard lock{mutex_};
    for (auto& [user, state] : users_)
      all.insert(all.end(), state.outlets.begin(), state.outlets.end());
  }
  for (auto& o : all) o->close();
}

std::size_t Hub::connections() const {
  std::lock_guard lock{mutex_};
  std::size_t n = 0;
  for (const auto& [user, state] : users_) n += state.outlets.size();
  return n;
}

}  // namespace tickler::services::realtime
