#include "services/api/oauth_request.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "auth/jwt.hpp"
#include "services/api/oauth_rules.hpp"

namespace tickler::services::api::oauth {
namespace {

namespace json = boost::json;

constexpr std::size_t k_max_sealed = 8192;

core::Error invalid(std::string why) {
  return error("invalid_request",
               "the authorization request " + std::move(why) + "; start again from the app");
}

std::string string_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string{v->as_string()} : std::string{};
}

}  // namespace

std::string seal(const AuthorizationRequest& r, std::string_view key) {
  const json::object o{{"c", r.client_id}, {"r", r.redirect_uri},
                       {"s", r.state},     {"h", r.code_challenge},
                       {"p", r.scopes},    {"a", r.resource},
                       {"i", r.issuer},    {"x", core::to_millis(r.expires_at)}};
  const auto body = auth::base64url_encode(json::serialize(o));
  return body + "." + auth::base64url_encode(auth::hmac_sha256(key, body));
}

core::Result<AuthorizationRequest> unseal(std::string_view sealed, std::string_view key,
                                          core::Instant now) {
  const auto dot = sealed.find('.');
  if (sealed.size() > k_max_sealed || dot == std::string_view::npos) {
    return invalid("is malformed");
  }
  const auto body = sealed.substr(0, dot);
  const auto mac = auth::base64url_decode(sealed.substr(dot + 1));
  if (!mac || !auth::equal_constant_time(*mac, auth::hmac_sha256(key, body))) {
    return invalid("was not issued by this server");
  }
  const auto text = auth::base64url_decode(body);
  boost::system::error_code ec;
  const auto v = text ? json::parse(*text, ec) : json::value{};
  if (!text || ec || !v.is_object() || !v.as_object().contains("x") ||
      !v.as_object().at("x").is_int64()) {
    return invalid("is malformed");
  }
  const auto& o = v.as_object();
  AuthorizationRequest r{string_of(o, "c"), string_of(o, "r"),
                         string_of(o, "s"), string_of(o, "h"),
                         string_of(o, "p"), string_of(o, "a"),
                         string_of(o, "i"), core::from_millis(o.at("x").as_int64())};
  if (r.expires_at <= now) return invalid("has expired");
  return r;
}

}  // namespace tickler::services::api::oauth
