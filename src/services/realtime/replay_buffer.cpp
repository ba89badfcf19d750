#include "services/realtime/replay_buffer.hpp"

#include <algorithm>

namespace tickler::services::realtime {
namespace {

// What holding costs besides the text, as libstdc++ lays it out: a user's hash and LRU nodes
// and an empty deque's map and first block; a message's slot and its shared string (control
// block and string object, as make_shared allocates them together).
constexpr std::size_t k_user_nodes = 64 + 32 + 8 * sizeof(void*) + 512;
constexpr std::size_t k_message_share = 64;

}  // namespace

void ReplayBuffer::account(User& u, std::size_t add, std::size_t remove) {
  u.bytes = u.bytes + add - remove;
  bytes_ = bytes_ + add - remove;
}

ReplayBuffer::User& ReplayBuffer::user(core::UserId id) {
  auto [it, fresh] = users_.try_emplace(id);
  auto& u = it->second;
  if (fresh) {
    u.lru = lru_.insert(lru_.end(), id);
    // What a user dropped whole earlier held is unknown now: assume it was up to the watermark.
    u.dropped_upto = forgotten_upto_;
    account(u, sizeof(User) + k_user_nodes, 0);
  }
  return u;
}

bool ReplayBuffer::record(core::UserId id, std::string_view stream, std::int64_t event_id) {
  if (settings_.recent_events == 0) return true;
  auto& u = user(id);
  auto recent = std::find_if(u.recent.begin(), u.recent.end(),
                             [stream](const Recent& r) { return r.stream == stream; });
  if (recent == u.recent.end()) {
    u.recent.push_back({std::string{stream}, {}, 0});
    account(u, sizeof(Recent), 0);
    recent = std::prev(u.recent.end());
  }
  auto& ids = recent->ids;
  if (std::find(ids.begin(), ids.end(), event_id) != ids.end()) return false;
  if (ids.size() < settings_.recent_events) {
    if (ids.size() == ids.capacity()) {
      const auto before = ids.capacity();
      ids.reserve(std::min(std::max<std::size_t>(8, before * 2), settings_.recent_events));
      account(u, (ids.capacity() - before) * sizeof(std::int64_t), 0);
    }
    ids.push_back(event_id);
  } else {
    ids[recent->next] = event_id;
    recent->next = (recent->next + 1) % settings_.recent_events;
  }
  return true;
}

void ReplayBuffer::drop_front(User& u) {
  const auto& front = u.messages.front();
  const auto cost = sizeof(Held) + k_message_share + front.message->size();
  u.dropped_upto = std::max(u.dropped_upto, front.sequence);
  u.message_bytes -= cost;
  account(u, 0, cost);
  u.messages.pop_front();
}

void ReplayBuffer::drop_expired(User& u, Clock::time_point now) {
  while (!u.messages.empty() && now - u.messages.front().at > settings_.max_age) drop_front(u);
}

void ReplayBuffer::drop_user(std::unordered_map<core::UserId, User>::iterator it) {
  auto& u = it->second;
  const auto newest = u.messages.empty() ? u.dropped_upto : u.messages.back().sequence;
  forgotten_upto_ = std::max(forgotten_upto_, newest);
  bytes_ -= u.bytes;
  lru_.erase(u.lru);
  users_.erase(it);
  ++users_dropped_;
}

void ReplayBuffer::keep(core::UserId id, std::int64_t sequence, Message message,
                        Clock::time_point now) {
  auto& u = user(id);
  lru_.splice(lru_.end(), lru_, u.lru);
  const auto cost = sizeof(Held) + k_message_share + message->size();
  u.messages.push_back({sequence, now, std::move(message)});
  u.message_bytes += cost;
  account(u, cost, 0);
  drop_expired(u, now);
  while (!u.messages.empty() && (u.message_bytes > settings_.max_bytes_per_user ||
                                 u.messages.size() > settings_.max_messages_per_user)) {
    drop_front(u);
  }
  // Whole users, least recently published to first: those with nothing young enough to
  // replay (their newest message is their last), then as many as the budget needs.
  while (!lru_.empty()) {
    auto oldest = users_.find(lru_.front());
    const auto& held = oldest->second.messages;
    const bool expired = held.empty() || now - held.back().at > settings_.max_age;
    if (bytes_ <= settings_.max_bytes && !(expired && oldest->first != id)) break;
    drop_user(oldest);
  }
}

std::optional<std::vector<ReplayBuffer::Message>> ReplayBuffer::after(core::UserId id,
                                                                      std::int64_t since,
                                                                      Clock::time_point now) {
  auto it = users_.find(id);
  if (it == users_.end()) {
    if (since < forgotten_upto_) return std::nullopt;
    return std::vector<Message>{};
  }
  auto& u = it->second;
  drop_expired(u, now);
  if (since < u.dropped_upto) return std::nullopt;
  std::vector<Message> out;
  auto first = std::upper_bound(u.messages.begin(), u.messages.end(), since,
                                [](std::int64_t s, const Held& h) { return s < h.sequence; });
  for (; first != u.messages.end(); ++first) out.push_back(first->message);
  return out;
}

}  // namespace tickler::services::realtime
