#pragma once
// MCP sessions of the initialize-handshake revisions (Mcp-Session-Id), kept without server
// state so that any api replica answers any request without sticky sessions: a session id
// carries what the session is (its user, negotiated protocol revision, client name, when it
// began), signed with HMAC-SHA256 under a key every replica derives from the JWT secret.
// Ending a session (DELETE) is remembered in a bounded record of ended ids, kept until they
// would have expired anyway; that record is each replica's own (see docs/mcp.md, "Sessions").
#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/result.hpp"
#include "core/task.hpp"
#include "core/time.hpp"

namespace tickler::services::api::mcp {

struct SessionSettings {
  std::string key;  // HMAC key, derived from the JWT secret (session_key)
  std::chrono::seconds lifetime{std::chrono::hours{24 * 7}};
  std::size_t ended_capacity = 10'000;  // ended ids remembered; the oldest go first
};

struct Session {
  core::UserId user = 0;
  std::string protocol_version;
  std::string client_name;  // as sanitized by client_name_of
  core::Instant started{};
};

// The session key of a JWT secret: a different key for a different purpose.
[[nodiscard]] std::string session_key(std::string_view jwt_secret);

class Sessions {
 public:
  explicit Sessions(SessionSettings settings) : settings_(std::move(settings)) {}

  // A new session's id: visible ASCII, at most about 300 characters.
  [[nodiscard]] std::string begin(const Session& session) const;
  // The session of an id that this server issued, unexpired and not ended; not_found otherwise
  // (the transport answers 404, and the client starts a new session).
  [[nodiscard]] core::Result<Session> find(std::string_view id, core::Instant now) const;
  // Ends the session of a valid id; later find() of it answers not_found.
  void end(std::string_view id, core::Instant now);

 private:
  [[nodiscard]] bool ended(std::string_view id) const;
  SessionSettings settings_;
  mutable std::mutex mutex_;
  std::deque<std::pair<std::string, core::Instant>> ended_order_;  // id, expiry; oldest first
  std::unordered_set<std::string> ended_;
};

// A client's name fit for an audit actor: at most 64 characters of letters, digits and
// " ._-+@()/", other characters replaced by "_" (a run of them by one), trimmed; "unnamed" if
// nothing is left.
[[nodiscard]] std::string client_name_of(std::string_view given);

}  // namespace tickler::services::api::mcp
