#include "services/api/oauth_rules.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>

#include "auth/jwt.hpp"

namespace tickler::services::api::oauth {
namespace {

constexpr std::array<std::string_view, 2> k_known_scopes{k_scope_read, k_scope_write};
// Schemes a redirect may never use, whatever the client says.
constexpr std::array<std::string_view, 12> k_refused_schemes{
    "javascript", "data", "file", "vbscript", "about", "blob",
    "ftp",        "ws",   "wss",  "mailto",   "tel",   "filesystem"};

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool unreserved(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// '+' is a space and %XX a byte; nullopt for a malformed escape.
std::optional<std::string> form_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

// The URI without its port, for the loopback comparison.
std::string without_port(const boost::urls::url_view& u) {
  std::string out = lower(u.scheme()) + "://" + lower(u.encoded_host());
  out += u.encoded_path();
  if (u.has_query()) out += "?" + std::string{u.encoded_query()};
  return out;
}

bool is_loopback_ip(std::string_view host) {
  return host == "127.0.0.1" || host == "[::1]";
}

}  // namespace

core::Error error(std::string_view code, std::string description) {
  auto e = core::make_error(core::Errc::invalid_parameter, std::move(description));
  e.code_name = std::string{code};
  return e;
}

core::Error client_error(std::string description) {
  auto e = core::make_error(core::Errc::unauthorized, std::move(description));
  e.code_name = "invalid_client";
  return e;
}

core::Result<Scopes> parse_scopes(std::string_view text) {
  Scopes wanted;
  while (!text.empty()) {
    const auto space = text.find(' ');
    const auto word = text.substr(0, space);
    if (!word.empty() && word != "offline_access") {
      if (std::find(k_known_scopes.begin(), k_known_scopes.end(), word) == k_known_scopes.end()) {
        return error("invalid_scope", "unknown scope \"" + std::string{word.substr(0, 64)} +
                                          "\" (this server knows tasks:read and tasks:write)");
      }
      wanted.emplace_back(word);
    }
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  Scopes out;
  for (auto known : k_known_scopes) {
    if (std::find(wanted.begin(), wanted.end(), known) != wanted.end()) out.emplace_back(known);
  }
  return out;
}

Scopes scopes_of(std::string_view stored) {
  Scopes out;
  for (auto known : k_known_scopes) {
    for (auto rest = stored; !rest.empty();) {
      const auto space = rest.find(' ');
      if (rest.substr(0, space) == known) {
        out.emplace_back(known);
        break;
      }
      if (space == std::string_view::npos) break;
      rest.remove_prefix(space + 1);
    }
  }
  return out;
}

std::string join_scopes(const Scopes& scopes) {
  std::string out;
  for (const auto& s : scopes) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

Scopes scope_union(const Scopes& a, const Scopes& b) {
  Scopes out;
  for (auto known : k_known_scopes) {
    const auto in = [&](const Scopes& s) {
      return std::find(s.begin(), s.end(), known) != s.end();
    };
    if (in(a) || in(b)) out.emplace_back(known);
  }
  return out;
}

Scopes scope_intersection(const Scopes& a, const Scopes& b) {
  Scopes out;
  for (const auto& s : a) {
    if (std::find(b.begin(), b.end(), s) != b.end()) out.push_back(s);
  }
  return out;
}

bool scopes_within(const Scopes& wanted, const Scopes& allowed) {
  return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& s) {
    return std::find(allowed.begin(), allowed.end(), s) != allowed.end();
  });
}

bool valid_code_challenge(std::string_view challenge) {
  return challenge.size() == 43 && std::all_of(challenge.begin(), challenge.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
         });
}

bool valid_code_verifier(std::string_view verifier) {
  return verifier.size() >= 43 && verifier.size() <= 128 &&
         std::all_of(verifier.begin(), verifier.end(), unreserved);
}

bool pkce_matches(std::string_view verifier, std::string_view challenge) {
  if (!valid_code_verifier(verifier) || !valid_code_challenge(challenge)) return false;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(verifier.data()),
                     verifier.size());
  const auto computed =
      auth::base64url_encode({reinterpret_cast<const char*>(digest), sizeof digest});
  return auth::equal_constant_time(computed, challenge);
}

std::string redirect_uri_problem(std::string_view uri) {
  if (uri.empty() || uri.size() > 2000) return "must be 1 to 2000 characters";
  auto parsed = boost::urls::parse_uri(uri);
  if (!parsed) return "is not an absolute URI";
  if (parsed->has_fragment()) return "must not have a fragment";
  if (parsed->has_userinfo()) return "must not carry user information";
  const auto scheme = lower(parsed->scheme());
  if (std::find(k_refused_schemes.begin(), k_refused_schemes.end(), scheme) !=
      k_refused_schemes.end()) {
    return "uses a scheme redirects may not use (" + scheme + ")";
  }
  if (scheme == "https" || scheme == "http") {
    const auto host = lower(parsed->encoded_host());
    if (host.empty()) return "has no host";
    if (scheme == "http" && !is_loopback_host(host)) {
      return "must use https unless its host is localhost, 127.0.0.1 or [::1]";
    }
  }
  return {};
}

bool redirect_uri_matches(std::string_view requested, const std::vector<std::string>& registered) {
  if (std::find(registered.begin(), registered.end(), requested) != registered.end()) return true;
  auto req = boost::urls::parse_uri(requested);
  if (!req || lower(req->scheme()) != "http" || !is_loopback_ip(lower(req->encoded_host())) ||
      req->has_fragment() || req->has_userinfo()) {
    return false;
  }
  const auto wanted = without_port(*req);
  return std::any_of(registered.begin(), registered.end(), [&](const std::string& r) {
    auto reg = boost::urls::parse_uri(r);
    return reg && lower(reg->scheme()) == "http" && without_port(*reg) == wanted;
  });
}

std::string uri_host(std::string_view uri) {
  auto parsed = boost::urls::parse_uri(uri);
  if (!parsed) return {};
  return lower(parsed->encoded_host());
}

bool is_loopback_host(std::string_view host) {
  return host == "localhost" || is_loopback_ip(host);
}

std::optional<std::string> canonical_resource(std::string_view uri) {
  auto parsed = boost::urls::parse_uri(uri);
  if (!parsed || parsed->has_fragment() || parsed->has_userinfo()) return std::nullopt;
  const auto scheme = lower(parsed->scheme());
  if ((scheme != "http" && scheme != "https") || parsed->encoded_host().empty()) {
    return std::nullopt;
  }
  std::string out = scheme + "://" + lower(parsed->encoded_host());
  if (parsed->has_port()) out += ":" + std::string{parsed->port()};
  std::string path{parsed->encoded_path()};
  if (!path.empty() && path.back() == '/') path.pop_back();
  out += path;
  if (parsed->has_query()) out += "?" + std::string{parsed->encoded_query()};
  return out;
}

std::string form_encode(std::string_view text) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    if (unreserved(c)) {
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += k_hex[b >> 4];
      out += k_hex[b & 0x0F];
    }
  }
  return out;
}

std::string with_query(std::string_view uri,
                       const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out{uri};
  char sep = out.find('?') == std::string::npos ? '?' : '&';
  if (sep == '&' && (out.back() == '?' || out.back() == '&')) sep = '\0';
  for (const auto& [name, value] : params) {
    if (sep != '\0') out += sep;
    sep = '&';
    out += form_encode(name) + "=" + form_encode(value);
  }
  return out;
}

core::Result<Form> parse_form(std::string_view body) {
  Form out;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const auto pair = body.substr(0, amp);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      auto name = form_decode(pair.substr(0, eq));
      auto value =
          form_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
      if (!name || !value) return error("invalid_request", "malformed form body");
      if (form_value(out, *name)) {
        return error("invalid_request", "parameter " + name->substr(0, 64) + " given twice");
      }
      out.emplace_back(std::move(*name), std::move(*value));
    }
    if (amp == std::string_view::npos) break;
    body.remove_prefix(amp + 1);
  }
  return out;
}

std::optional<std::string> form_value(const Form& form, std::string_view name) {
  for (const auto& [n, v] : form) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::optional<std::pair<std::string, std::string>> basic_credentials(
    std::string_view authorization) {
  if (authorization.size() < 6 || lower(authorization.substr(0, 6)) != "basic ") {
    return std::nullopt;
  }
  auto encoded = authorization.substr(6);
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  std::string raw(encoded.size(), '\0');
  std::size_t len = 0;
  if (encoded.empty() || sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(),
                                           encoded.data(), encoded.size(), nullptr, &len, nullptr,
                                           sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  raw.resize(len);
  const auto colon = raw.find(':');
  if (colon == std::string::npos) return std::nullopt;
  auto id = form_decode(std::string_view{raw}.substr(0, colon));
  auto secret = form_decode(std::string_view{raw}.substr(colon + 1));
  if (!id || !secret || id->empty()) return std::nullopt;
  return std::pair{std::move(*id), std::move(*secret)};
}

std::string random_secret(std::string_view prefix) {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  return std::string{prefix} +
         auth::base64url_encode({reinterpret_cast<const char*>(raw), sizeof raw});
}

}  // namespace tickler::services::api::oauth
