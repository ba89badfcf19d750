#include "services/api/oauth_clients.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>

namespace tickler::services::api::oauth {
namespace {

namespace json = boost::json;

constexpr std::size_t k_max_text = 200;
constexpr std::size_t k_max_uri = 2000;
constexpr std::size_t k_max_list = 10;

core::Error bad_metadata(std::string description) {
  return error("invalid_client_metadata", std::move(description));
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// An optional string member: "" when absent or null; an error for another type or an
// over-long or control-character value.
core::Result<std::string> text(const json::object& o, std::string_view key,
                               std::size_t max = k_max_text) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::string{};
  if (!v->is_string()) return bad_metadata(std::string{key} + " must be a string");
  std::string s{v->as_string()};
  if (s.size() > max) {
    return bad_metadata(std::string{key} + " is longer than " + std::to_string(max) +
                        " characters");
  }
  if (has_control(s)) return bad_metadata(std::string{key} + " has control characters");
  return s;
}

// An optional URL member (client_uri, logo_uri, …): https or http.
core::Result<std::string> web_url(const json::object& o, std::string_view key) {
  auto s = text(o, key, k_max_uri);
  if (!s || s->empty()) return s;
  auto parsed = boost::urls::parse_uri(*s);
  if (!parsed || (parsed->scheme() != "https" && parsed->scheme() != "http")) {
    return bad_metadata(std::string{key} + " must be an http(s) URL");
  }
  return s;
}

// An optional array of strings; `fallback` when absent.
core::Result<std::vector<std::string>> strings(const json::object& o, std::string_view key,
                                               std::vector<std::string> fallback = {}) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return fallback;
  if (!v->is_array()) return bad_metadata(std::string{key} + " must be an array of strings");
  const auto& a = v->as_array();
  if (a.size() > k_max_list) {
    return bad_metadata(std::string{key} + " has more than " + std::to_string(k_max_list) +
                        " entries");
  }
  std::vector<std::string> out;
  for (const auto& item : a) {
    if (!item.is_string() || item.as_string().size() > k_max_uri) {
      return bad_metadata(std::string{key} + " must be an array of strings");
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

bool contains(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// What registrations and documents share: everything but the authentication method.
core::Result<ClientMetadata> common_metadata(const json::object& o) {
  ClientMetadata m;
  auto uris = strings(o, "redirect_uris");
  if (!uris) return uris.error();
  if (uris->empty()) return error("invalid_redirect_uri", "redirect_uris is required");
  for (const auto& uri : *uris) {
    if (auto problem = redirect_uri_problem(uri); !problem.empty()) {
      return error("invalid_redirect_uri", "redirect URI " + uri.substr(0, 200) + " " + problem);
    }
  }
  m.redirect_uris = std::move(*uris);
  auto grants = strings(o, "grant_types", {"authorization_code"});
  if (!grants) return grants.error();
  for (const auto& g : *grants) {
    if (g != "authorization_code" && g != "refresh_token") {
      return bad_metadata("grant type " + g.substr(0, 100) +
                          " is not supported (authorization_code, refresh_token)");
    }
  }
  if (!contains(*grants, "authorization_code")) {
    return bad_metadata("grant_types must include authorization_code");
  }
  m.grant_types = std::move(*grants);
  auto responses = strings(o, "response_types", {"code"});
  if (!responses) return responses.error();
  if (responses->empty() || !std::all_of(responses->begin(), responses->end(),
                                         [](const std::string& r) { return r == "code"; })) {
    return bad_metadata("response_types must be [\"code\"]");
  }
  auto scope = text(o, "scope", 1000);
  if (!scope) return scope.error();
  auto scopes = parse_scopes(*scope);
  if (!scopes) return bad_metadata(scopes.error().message);
  m.scopes = std::move(*scopes);
  for (auto [key, field] :
       {std::pair{"client_name", &m.client_name}, std::pair{"software_id", &m.software_id},
        std::pair{"software_version", &m.software_version},
        std::pair{"application_type", &m.application_type}}) {
    auto v = text(o, key);
    if (!v) return v.error();
    *field = std::move(*v);
  }
  for (auto [key, field] :
       {std::pair{"client_uri", &m.client_uri}, std::pair{"logo_uri", &m.logo_uri},
        std::pair{"tos_uri", &m.tos_uri}, std::pair{"policy_uri", &m.policy_uri}}) {
    auto v = web_url(o, key);
    if (!v) return v.error();
    *field = std::move(*v);
  }
  auto contacts = strings(o, "contacts");
  if (!contacts) return contacts.error();
  m.contacts = std::move(*contacts);
  return m;
}

json::array to_array(const std::vector<std::string>& list) {
  json::array a;
  for (const auto& s : list) a.emplace_back(s);
  return a;
}

}  // namespace

bool ClientMetadata::may_refresh() const {
  return contains(grant_types, "refresh_token");
}

core::Result<ClientMetadata> registration_metadata(const json::object& body) {
  auto m = common_metadata(body);
  if (!m) return m;
  auto method = text(body, "token_endpoint_auth_method");
  if (!method) return method.error();
  if (!method->empty()) {
    if (*method != "none" && *method != "client_secret_post" && *method != "client_secret_basic") {
      return bad_metadata("token_endpoint_auth_method " + method->substr(0, 100) +
                          " is not supported (none, client_secret_post, client_secret_basic)");
    }
    m->token_endpoint_auth_method = std::move(*method);
  }
  return m;
}

bool is_metadata_document_url(std::string_view client_id) {
  if (client_id.size() > k_max_uri) return false;
  auto parsed = boost::urls::parse_uri(client_id);
  if (!parsed || parsed->scheme() != "https" || parsed->encoded_host().empty() ||
      parsed->has_fragment() || parsed->has_userinfo()) {
    return false;
  }
  const std::string_view path = parsed->encoded_path();
  if (path.empty() || path == "/") return false;
  for (auto rest = path; !rest.empty();) {
    const auto slash = rest.find('/', 1);
    const auto segment = rest.substr(1, slash == std::string_view::npos ? rest.npos : slash - 1);
    if (segment == "." || segment == "..") return false;
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash);
  }
  return true;
}

core::Result<ClientMetadata> document_metadata(const json::object& document, std::string_view url) {
  const auto* id = document.if_contains("client_id");
  if (!id || !id->is_string() || id->as_string() != url) {
    return client_error("the client's metadata document does not name itself as client_id");
  }
  auto m = common_metadata(document);
  if (!m) return client_error("the client's metadata document is invalid: " + m.error().message);
  if (m->client_name.empty()) {
    return client_error("the client's metadata document has no client_name");
  }
  auto method = text(document, "token_endpoint_auth_method");
  if (!method) return client_error(method.error().message);
  if (!method->empty() && *method != "none") {
    return client_error("a metadata document's client is public (token_endpoint_auth_method none)");
  }
  m->token_endpoint_auth_method = "none";
  return m;
}

json::object to_json(const ClientMetadata& m) {
  json::object o{{"client_name", m.client_name},
                 {"redirect_uris", to_array(m.redirect_uris)},
                 {"token_endpoint_auth_method", m.token_endpoint_auth_method},
                 {"grant_types", to_array(m.grant_types)},
                 {"response_types", json::array{"code"}}};
  if (!m.scopes.empty()) o["scope"] = join_scopes(m.scopes);
  for (auto [key, value] :
       {std::pair{"client_uri", &m.client_uri}, std::pair{"logo_uri", &m.logo_uri},
        std::pair{"tos_uri", &m.tos_uri}, std::pair{"policy_uri", &m.policy_uri},
        std::pair{"software_id", &m.software_id},
        std::pair{"software_version", &m.software_version},
        std::pair{"application_type", &m.application_type}}) {
    if (!value->empty()) o[key] = *value;
  }
  if (!m.contacts.empty()) o["contacts"] = to_array(m.contacts);
  return o;
}

ClientMetadata stored_metadata(std::string_view text_json) {
  boost::system::error_code ec;
  auto v = json::parse(text_json, ec);
  if (ec || !v.is_object()) return {};
  auto m = registration_metadata(v.as_object());
  return m ? *m : ClientMetadata{};
}

std::string display_name(const ClientMetadata& m, std::string_view client_id) {
  std::string name;
  for (const char c : m.client_name) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) name += c;
  }
  while (!name.empty() && name.back() == ' ') name.pop_back();
  while (!name.empty() && name.front() == ' ') name.erase(0, 1);
  if (name.size() > 100) {
    name.resize(100);
    // Not in the middle of a UTF-8 sequence.
    while (!name.empty() && (static_cast<unsigned char>(name.back()) & 0xC0) == 0x80) {
      name.pop_back();
    }
    if (!name.empty() && static_cast<unsigned char>(name.back()) >= 0xC0) name.pop_back();
  }
  if (!name.empty()) return name;
  if (is_metadata_document_url(client_id)) return uri_host(client_id);
  return "Unnamed app";
}

}  // namespace tickler::services::api::oauth
