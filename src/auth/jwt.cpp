#include "auth/jwt.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <charconv>
#include <optional>

namespace tickler::auth {
namespace {

core::Error unauthorized(std::string reason) {
  return core::make_error(core::Errc::unauthorized, std::move(reason));
}

constexpr std::string_view k_header = R"({"alg":"HS256","typ":"JWT"})";

}  // namespace

bool equal_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string base64url_encode(std::string_view bytes) {
  const auto variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  return std::string{reinterpret_cast<const char*>(mac), len};
}

std::string JwtIssuer::issue(core::UserId user, core::Instant now, std::int64_t generation) const {
  const auto iat = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  boost::json::object claims{{"sub", std::to_string(user)},
                             {"iat", iat},
                             {"exp", iat + settings_.ttl.count()},
                             {"gen", generation}};
  std::string signing_input =
      base64url_encode(k_header) + "." + base64url_encode(boost::json::serialize(claims));
  return signing_input + "." + base64url_encode(hmac_sha256(settings_.secret, signing_input));
}

core::Result<core::UserId> JwtIssuer::verify(std::string_view token, core::Instant now) const {
  auto claims = verify_claims(token, now);
  if (!claims) return claims.error();
  return claims->user;
}

core::Result<TokenClaims> JwtIssuer::verify_claims(std::string_view token,
                                                   core::Instant now) const {
  const auto dot1 = token.find('.');
  const auto dot2 = token.rfind('.');
  if (dot1 == std::string_view::npos || dot1 == dot2) return unauthorized("malformed token");
  const auto signing_input = token.substr(0, dot2);
  const auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!signature ||
      !equal_constant_time(*signature, hmac_sha256(settings_.secret, signing_input))) {
    return unauthorized("invalid token signature");
  }
  const auto header = base64url_decode(token.substr(0, dot1));
  const auto payload = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!header || !payload) return unauthorized("malformed token");
  boost::system::error_code ec;
  const auto h = boost::json::parse(*header, ec);
  if (ec || !h.is_object() || h.as_object().if_contains("alg") == nullptr ||
      h.as_object().at("alg") != "HS256") {
    return unauthorized("unsupported token algorithm");
  }
  const auto claims = boost::json::parse(*payload, ec);
  if (ec || !claims.is_object()) return unauthorized("malformed token claims");
  const auto& c = claims.as_object();
  const auto* exp = c.if_contains("exp");
  const auto* sub = c.if_contains("sub");
  if (!exp || !exp->is_int64() || !sub || !sub->is_string()) {
    return unauthorized("token lacks exp or sub");
  }
  const auto now_s =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (exp->as_int64() <= now_s) return unauthorized("token expired");
  const auto& s = sub->as_string();
  core::UserId id = 0;
  const auto [ptr, ec2] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec2 != std::errc{} || ptr != s.data() + s.size() || id <= 0) {
    return unauthorized("malformed token subject");
  }
  std::int64_t generation = 0;
  if (const auto* gen = c.if_contains("gen")) {
    if (!gen->is_int64() || gen->as_int64() < 0) return unauthorized("malformed token generation");
    generation = gen->as_int64();
  }
  return TokenClaims{id, generation, core::from_millis(exp->as_int64() * 1000)};
}

}  // namespace tickler::auth
