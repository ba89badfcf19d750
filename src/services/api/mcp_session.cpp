#include "services/api/mcp_session.hpp"

#include <sodium.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "auth/jwt.hpp"

namespace tickler::services::api::mcp {
namespace {

namespace json = boost::json;

constexpr std::string_view k_prefix = "s1.";
constexpr std::size_t k_max_id = 512;
constexpr std::size_t k_max_name = 64;

core::Error no_session() {
  return core::make_error(core::Errc::not_found, "no such session (ended, expired or never begun)");
}

bool allowed_in_name(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view{" ._-+@()/"}.find(c) != std::string_view::npos;
}

}  // namespace

std::string session_key(std::string_view jwt_secret) {
  return auth::hmac_sha256(jwt_secret, "tickler mcp session id v1");
}

std::string Sessions::begin(const Session& s) const {
  unsigned char nonce[12];
  randombytes_buf(nonce, sizeof nonce);
  const json::object claims{
      {"u", s.user},
      {"v", s.protocol_version},
      {"c", s.client_name},
      {"t", core::to_millis(s.started) / 1000},
      {"n", auth::base64url_encode({reinterpret_cast<const char*>(nonce), sizeof nonce})}};
  std::string id{k_prefix};
  id += auth::base64url_encode(json::serialize(claims));
  id += '.' + auth::base64url_encode(auth::hmac_sha256(settings_.key, id));
  return id;
}

core::Result<Session> Sessions::find(std::string_view id, core::Instant now) const {
  if (id.size() > k_max_id || !id.starts_with(k_prefix)) return no_session();
  const auto dot = id.rfind('.');
  if (dot < k_prefix.size()) return no_session();
  const auto signed_part = id.substr(0, dot);
  const auto mac = auth::base64url_decode(id.substr(dot + 1));
  if (!mac || !auth::equal_constant_time(*mac, auth::hmac_sha256(settings_.key, signed_part))) {
    return no_session();
  }
  const auto payload = auth::base64url_decode(signed_part.substr(k_prefix.size()));
  if (!payload) return no_session();
  boost::system::error_code ec;
  const auto claims = json::parse(*payload, ec);
  if (ec || !claims.is_object()) return no_session();
  const auto& c = claims.as_object();
  const auto* user = c.if_contains("u");
  const auto* version = c.if_contains("v");
  const auto* name = c.if_contains("c");
  const auto* started = c.if_contains("t");
  if (!user || !user->is_int64() || !version || !version->is_string() || !name ||
      !name->is_string() || !started || !started->is_int64()) {
    return no_session();
  }
  Session s{user->as_int64(), std::string{version->as_string()}, std::string{name->as_string()},
            core::from_millis(started->as_int64() * 1000)};
  if (now >= s.started + settings_.lifetime || ended(id)) return no_session();
  return s;
}

void Sessions::end(std::string_view id, core::Instant now) {
  auto session = find(id, now);
  if (!session) return;
  const auto expiry = session->started + settings_.lifetime;
  std::lock_guard lock{mutex_};
  while (!ended_order_.empty() &&
         (ended_order_.size() >= settings_.ended_capacity || ended_order_.front().second <= now)) {
    ended_.erase(ended_order_.front().first);
    ended_order_.pop_front();
  }
  if (settings_.ended_capacity == 0) return;
  if (ended_.emplace(id).second) ended_order_.emplace_back(std::string{id}, expiry);
}

bool Sessions::ended(std::string_view id) const {
  std::lock_guard lock{mutex_};
  return ended_.contains(std::string{id});
}

std::string client_name_of(std::string_view given) {
  std::string out;
  bool replaced = false;
  for (const char c : given) {
    if (out.size() >= k_max_name) break;
    if (allowed_in_name(c)) {
      out += c;
      replaced = false;
    } else if (!replaced) {
      out += '_';
      replaced = true;
    }
  }
  const auto first = out.find_first_not_of(" _");
  if (first == std::string::npos) return "unnamed";
  const auto last = out.find_last_not_of(" _");
  return out.substr(first, last - first + 1);
}

}  // namespace tickler::services::api::mcp
