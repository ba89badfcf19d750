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
    : settings_(std::move(settings)),
      epoch_([] {
        unsigned char raw[8];
        randombytes_buf(raw, sizeof raw);
        char hex[sizeof raw * 2 + 1];
        sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
        return std::string{hex};
      }()),
      replay_(settings_) {}

void Hub::join(core::UserId user, const std::shared_ptr<Outlet>& outlet,
               std::optional<std::int64_t> since, std::string_view epoch) {
  std::optional<std::vector<ReplayBuffer::Message>> missed{std::in_place};
  std::int64_t latest = 0;
  std::int64_t revoked_below = 0;
  {
    std::lock_guard lock{mutex_};
    latest = latest_;
    auto& sessions = sessions_[user];
    if (sessions.outlets.insert(outlet).second) ++connections_;
    revoked_below = sessions.revoked_below;
    if (since) {
      missed = epoch == epoch_ ? replay_.after(user, *since, settings_.clock()) : std::nullopt;
    }
  }
  outlet->send(std::make_shared<const std::string>(
      R"({"type":"hello","epoch":")" + epoch_ + R"(","sequence":)" + std::to_string(latest) + "}"));
  if (missed) {
    for (auto& m : *missed) outlet->send(std::move(m));
  } else {
    outlet->send(std::make_shared<const std::string>(resync_message()));
  }
  if (revoked_below > 0) outlet->revoke(revoked_below);
}

void Hub::revoke(core::UserId user, std::int64_t generation) {
  std::vector<std::shared_ptr<Outlet>> outlets;
  {
    std::lock_guard lock{mutex_};
    auto& sessions = sessions_[user];
    sessions.revoked_below = std::max(sessions.revoked_below, generation);
    outlets.assign(sessions.outlets.begin(), sessions.outlets.end());
  }
  for (auto& o : outlets) o->revoke(generation);
}

void Hub::leave(core::UserId user, const std::shared_ptr<Outlet>& outlet) {
  std::lock_guard lock{mutex_};
  auto it = sessions_.find(user);
  if (it == sessions_.end()) return;
  if (it->second.outlets.erase(outlet) > 0) --connections_;
  if (it->second.outlets.empty() && it->second.revoked_below == 0) sessions_.erase(it);
}

std::int64_t Hub::publish(core::UserId user, std::string_view stream, std::int64_t event_id,
                          boost::json::object message) {
  std::shared_ptr<const std::string> shared;
  std::vector<std::shared_ptr<Outlet>> outlets;
  std::int64_t sequence = 0;
  {
    std::lock_guard lock{mutex_};
    if (!replay_.record(user, stream, event_id)) return 0;
    sequence = ++latest_;
    message["sequence"] = sequence;
    shared = std::make_shared<const std::string>(boost::json::serialize(message));
    replay_.keep(user, sequence, shared, settings_.clock());
    if (auto it = sessions_.find(user); it != sessions_.end()) {
      outlets.assign(it->second.outlets.begin(), it->second.outlets.end());
    }
  }
  for (auto& o : outlets) o->send(shared);
  return sequence;
}

void Hub::close_all() {
  std::vector<std::shared_ptr<Outlet>> all;
  {
    std::lock_guard lock{mutex_};
    for (auto& [user, sessions] : sessions_)
      all.insert(all.end(), sessions.outlets.begin(), sessions.outlets.end());
  }
  for (auto& o : all) o->close();
}

std::size_t Hub::connections() const {
  std::lock_guard lock{mutex_};
  return connections_;
}

void Hub::write_metrics(std::string& out) const {
  std::lock_guard lock{mutex_};
  const auto gauge = [&out](std::string_view name, std::string_view help, std::uint64_t value,
                            std::string_view type = "gauge") {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n# TYPE ");
    out.append(name).append(" ").append(type).append("\n").append(name).append(" ");
    out.append(std::to_string(value)).append("\n");
  };
  gauge("tickler_realtime_connections", "WebSocket sessions open.", connections_);
  gauge("tickler_realtime_replay_bytes",
        "Bytes held for catch-up (messages and recent event ids, as accounted).", replay_.bytes());
  gauge("tickler_realtime_replay_budget_bytes", "The most tickler_realtime_replay_bytes may be.",
        settings_.max_bytes);
  gauge("tickler_realtime_replay_users", "Users with messages or event ids held for catch-up.",
        replay_.users());
  gauge("tickler_realtime_replay_users_dropped_total",
        "Users whose held messages went whole (too old, or for the budget).",
        replay_.users_dropped(), "counter");
}

}  // namespace tickler::services::realtime
