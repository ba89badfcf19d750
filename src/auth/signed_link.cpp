#include "auth/signed_link.hpp"

#include <sodium.h>

#include <boost/json.hpp>

#include "auth/jwt.hpp"

namespace tickler::auth {
namespace {

core::Error refused(std::string code_name, std::string message) {
  auto e = core::make_error(core::Errc::forbidden, std::move(message));
  e.code_name = std::move(code_name);
  return e;
}

core::Error invalid() {
  return refused("link_invalid", "this link is not valid (altered, or not from this server)");
}

}  // namespace

std::string link_key(std::string_view jwt_secret) {
  return hmac_sha256(jwt_secret, "tickler mailed links v1");
}

std::string new_link_id() {
  unsigned char raw[16];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return hex;
}

std::string sign_link(std::string_view key, const LinkClaims& c) {
  const boost::json::object claims{
      {"p", c.purpose}, {"a", c.action}, {"u", c.user_id},
      {"s", c.subject}, {"i", c.id},     {"e", core::to_millis(c.expires_at)},
  };
  const auto payload = base64url_encode(boost::json::serialize(claims));
  return payload + "." + base64url_encode(hmac_sha256(key, payload));
}

core::Result<LinkClaims> verify_link(std::string_view key, std::string_view token,
                                     core::Instant now) {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos || token.size() > 2048) return invalid();
  const auto payload = token.substr(0, dot);
  const auto signature = base64url_decode(token.substr(dot + 1));
  const auto expected = hmac_sha256(key, payload);
  if (!signature || signature->size() != expected.size() ||
      sodium_memcmp(signature->data(), expected.data(), expected.size()) != 0) {
    return invalid();
  }
  const auto text = base64url_decode(payload);
  if (!text) return invalid();
  boost::system::error_code ec;
  auto value = boost::json::parse(*text, ec);
  if (ec || !value.is_object()) return invalid();
  const auto& o = value.as_object();
  LinkClaims c;
  try {
    c.purpose = o.at("p").as_string();
    c.action = o.at("a").as_string();
    c.user_id = o.at("u").to_number<std::int64_t>();
    c.subject = o.at("s").as_string();
    c.id = o.at("i").as_string();
    c.expires_at = core::from_millis(o.at("e").to_number<std::int64_t>());
  } catch (const std::exception&) {
    return invalid();  // signed by us, so a bug; refused all the same
  }
  if (now >= c.expires_at) return refused("link_expired", "this link has expired");
  return c;
}

}  // namespace tickler::auth
