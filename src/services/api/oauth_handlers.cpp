#include "services/api/oauth_handlers.hpp"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <functional>

#include "http/json_fields.hpp"
#include "http/response.hpp"

namespace tickler::services::api {
namespace {

namespace json = boost::json;
using http::beast_http::field;
using http::beast_http::status;
using http::beast_http::verb;

json::array scope_array(const oauth::Scopes& scopes) {
  json::array a;
  for (const auto& s : scopes) a.emplace_back(s);
  return a;
}

// An RFC 6749 §5.2 error body ({"error", "error_description"}) with the error's status.
http::Response oauth_error(const core::Error& e) {
  const auto code =
      e.code_name.empty() ? std::string{core::default_code_name(e.code)} : e.code_name;
  auto res = http::json_response(http::status_of(e.code),
                                 json::object{{"error", code}, {"error_description", e.message}});
  if (e.code == core::Errc::unauthorized && code == "invalid_client") {
    res.set(field::www_authenticate, "Basic realm=\"tickler\"");
  }
  if (const auto it = e.details.find("retry_after"); it != e.details.end()) {
    res.set(field::retry_after, std::to_string(std::get<std::int64_t>(it->second)));
  }
  res.set(field::pragma, "no-cache");
  return res;
}

http::Response redirect(const std::string& location) {
  auto res = http::empty_response(status::found);
  res.set(field::location, location);
  return res;
}

// The request's form body.
core::Result<oauth::Form> form_of(const http::RequestContext& ctx) {
  return oauth::parse_form(ctx.request.body());
}

}  // namespace

http::Principal principal_of(const oauth::OAuthAccess& access) {
  std::uint8_t bits = 0;
  for (const auto& s : access.scopes) {
    if (s == oauth::k_scope_read) bits |= http::scope::tasks_read;
    if (s == oauth::k_scope_write) bits |= http::scope::tasks_write;
  }
  return {access.user, bits, access.actor, access.audience};
}

oauth::DocumentFetcher metadata_document_fetcher(http::FetchSettings settings,
                                                 http::DestinationPolicy policy) {
  return [settings = std::move(settings),
          policy = std::move(policy)](const std::string& url) -> core::Result<std::string> {
    auto r = http::fetch_https(url, settings, policy);
    if (!r) return r.error();
    if (r->status != 200) {
      return core::make_error(core::Errc::unavailable,
                              "it answered HTTP " + std::to_string(r->status));
    }
    return std::move(r->body);
  };
}

void OAuthRoutes::register_routes(http::Router& router) {
  using http::Access;
  auto add = [&](verb method, std::string pattern, Access access, auto member,
                 http::Body body = http::Body::json) {
    router.add(method, std::move(pattern), access, std::bind_front(member, this), body);
  };
  // RFC 9728 §3.1: the metadata of <base>/mcp, and the root form clients also try.
  add(verb::get, "/.well-known/oauth-protected-resource/mcp", Access::open,
      &OAuthRoutes::resource_metadata);
  add(verb::get, "/.well-known/oauth-protected-resource", Access::open,
      &OAuthRoutes::resource_metadata);
  add(verb::get, "/.well-known/oauth-authorization-server", Access::open,
      &OAuthRoutes::server_metadata);
  add(verb::post, "/oauth/register", Access::open, &OAuthRoutes::register_client);
  add(verb::get, "/oauth/authorize", Access::open, &OAuthRoutes::authorize);
  add(verb::post, "/oauth/token", Access::open, &OAuthRoutes::token, http::Body::json_or_form);
  add(verb::post, "/oauth/revoke", Access::open, &OAuthRoutes::revoke, http::Body::json_or_form);
  add(verb::get, "/api/oauth/consent", Access::open, &OAuthRoutes::consent_view);
  add(verb::post, "/api/oauth/consent", Access::account, &OAuthRoutes::consent);
  add(verb::get, "/api/oauth/grants", Access::account, &OAuthRoutes::list_grants);
  add(verb::delete_, "/api/oauth/grants/{id}", Access::account, &OAuthRoutes::delete_grant);
}

void OAuthRoutes::challenge(const http::Request& request, std::string_view path,
                            http::Response& response) const {
  if (path != "/mcp" && !path.starts_with("/mcp/")) return;
  auto base = oauth_.base_url(request[field::host]);
  if (!base) return;
  std::string value = "Bearer resource_metadata=\"" + *base +
                      "/.well-known/oauth-protected-resource/mcp\", scope=\"" +
                      std::string{oauth::k_all_scopes} + "\"";
  if (response.result() == status::unauthorized && !request[field::authorization].empty()) {
    value += ", error=\"invalid_token\"";
  } else if (response.result() == status::forbidden) {
    const auto given = response[field::www_authenticate];
    const auto at = given.find("scope=\"");
    std::string needed = std::string{oauth::k_all_scopes};
    if (at != std::string_view::npos) {
      const auto end = given.find('"', at + 7);
      needed = std::string{given.substr(at + 7, end - at - 7)};
    }
    value = "Bearer error=\"insufficient_scope\", scope=\"" + needed + "\", resource_metadata=\"" +
            *base + "/.well-known/oauth-protected-resource/mcp\"";
  }
  response.set(field::www_authenticate, value);
}

net::awaitable<core::Result<http::Principal>> OAuthRoutes::authenticate(std::string_view token) {
  if (auto cached = oauth_.authenticate_cached(token)) co_return principal_of(*cached);
  auto access = co_await offload_.call(&oauth::OAuthService::authenticate, &oauth_, token);
  if (!access) co_return access.error();
  co_return principal_of(*access);
}

net::awaitable<http::Response> OAuthRoutes::resource_metadata(Ctx& ctx) {
  auto base = oauth_.base_url(ctx.request[field::host]);
  if (!base) co_return oauth_error(base.error());
  co_return http::json_response(
      status::ok,
      json::object{{"resource", *base + "/mcp"},
                   {"authorization_servers", json::array{*base}},
                   {"scopes_supported", json::array{oauth::k_scope_read, oauth::k_scope_write}},
                   {"bearer_methods_supported", json::array{"header"}},
                   {"resource_name", "Tickler"},
                   {"resource_documentation", *base + "/api/openapi.json"}});
}

net::awaitable<http::Response> OAuthRoutes::server_metadata(Ctx& ctx) {
  auto base = oauth_.base_url(ctx.request[field::host]);
  if (!base) co_return oauth_error(base.error());
  const json::array methods{"none", "client_secret_post", "client_secret_basic"};
  json::object doc{{"issuer", *base},
                   {"authorization_endpoint", *base + "/oauth/authorize"},
                   {"token_endpoint", *base + "/oauth/token"},
                   {"registration_endpoint", *base + "/oauth/register"},
                   {"revocation_endpoint", *base + "/oauth/revoke"},
                   {"scopes_supported", json::array{oauth::k_scope_read, oauth::k_scope_write}},
                   {"response_types_supported", json::array{"code"}},
                   {"response_modes_supported", json::array{"query"}},
                   {"grant_types_supported", json::array{"authorization_code", "refresh_token"}},
                   {"token_endpoint_auth_methods_supported", methods},
                   {"revocation_endpoint_auth_methods_supported", methods},
                   {"code_challenge_methods_supported", json::array{"S256"}},
                   {"authorization_response_iss_parameter_supported", true},
                   {"client_id_metadata_document_supported", oauth_.supports_metadata_documents()}};
  co_return http::json_response(status::ok, doc);
}

net::awaitable<http::Response> OAuthRoutes::register_client(Ctx& ctx) {
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) {
    co_return oauth_error(
        oauth::error("invalid_client_metadata", "the body must be a JSON object"));
  }
  auto answer = co_await offload_.call(&oauth::OAuthService::register_client, &oauth_, *body,
                                       std::string_view{ctx.remote_address});
  if (!answer) co_return oauth_error(answer.error());
  co_return http::json_response(status::created, *answer);
}

net::awaitable<http::Response> OAuthRoutes::authorize(Ctx& ctx) {
  auto base = oauth_.base_url(ctx.request[field::host]);
  if (!base) co_return oauth_error(base.error());
  oauth::Form query{ctx.query.begin(), ctx.query.end()};
  auto location = co_await offload_.call(&oauth::OAuthService::authorize, &oauth_, query,
                                         std::string_view{*base});
  if (location) co_return redirect(*location);
  // Not the client's redirect URI (unknown client or URI): the consent page says what is wrong.
  co_return redirect(oauth::with_query(
      *base + "/oauth/consent",
      {{"error", location.error().code_name}, {"error_description", location.error().message}}));
}

net::awaitable<http::Response> OAuthRoutes::token(Ctx& ctx) {
  auto form = form_of(ctx);
  if (!form) co_return oauth_error(form.error());
  const std::string authorization{ctx.request[field::authorization]};
  auto answer = co_await offload_.call(&oauth::OAuthService::token, &oauth_, *form,
                                       std::string_view{authorization});
  if (!answer) co_return oauth_error(answer.error());
  json::object body{{"access_token", answer->access_token},
                    {"token_type", "Bearer"},
                    {"expires_in", answer->expires_in},
                    {"scope", answer->scope}};
  if (!answer->refresh_token.empty()) body["refresh_token"] = answer->refresh_token;
  auto res = http::json_response(status::ok, body);
  res.set(field::pragma, "no-cache");
  co_return res;
}

net::awaitable<http::Response> OAuthRoutes::revoke(Ctx& ctx) {
  auto form = form_of(ctx);
  if (!form) co_return oauth_error(form.error());
  const std::string authorization{ctx.request[field::authorization]};
  auto st = co_await offload_.call(&oauth::OAuthService::revoke, &oauth_, *form,
                                   std::string_view{authorization});
  if (!st) co_return oauth_error(st.error());
  co_return http::empty_response(status::ok);
}

net::awaitable<http::Response> OAuthRoutes::consent_view(Ctx& ctx) {
  std::string request;
  for (const auto& [k, v] : ctx.query) {
    if (k == "request") request = v;
  }
  auto view =
      co_await offload_.call(&oauth::OAuthService::describe, &oauth_, std::string_view{request});
  if (!view) co_return http::error_response(view.error());
  co_return http::json_response(status::ok,
                                json::object{{"client_id", view->client_id},
                                             {"client_name", view->client_name},
                                             {"client_uri", view->client_uri},
                                             {"metadata_document", view->metadata_document},
                                             {"redirect_uri", view->redirect_uri},
                                             {"redirect_host", view->redirect_host},
                                             {"loopback", view->loopback},
                                             {"scopes", scope_array(view->scopes)},
                                             {"resource", view->resource}});
}

net::awaitable<http::Response> OAuthRoutes::consent(Ctx& ctx) {
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  http::JsonFields f{*body};
  if (auto allowed = f.only({"request", "approve"}); !allowed) {
    co_return http::error_response(allowed.error());
  }
  auto request = f.required_string("request");
  if (!request) co_return http::error_response(request.error());
  const auto* approve = body->if_contains("approve");
  if (!approve || !approve->is_bool()) {
    co_return http::error_response(core::field_error("approve", "must be true or false"));
  }
  const bool yes = approve->as_bool();
  auto location = co_await offload_.call(&oauth::OAuthService::decide, &oauth_, *ctx.user_id,
                                         std::string_view{*request}, yes);
  if (!location) co_return http::error_response(location.error());
  co_return http::json_response(status::ok, json::object{{"redirect_to", *location}});
}

net::awaitable<http::Response> OAuthRoutes::list_grants(Ctx& ctx) {
  auto grants = co_await offload_.call(&oauth::OAuthService::grants, &oauth_, *ctx.user_id);
  if (!grants) co_return http::error_response(grants.error());
  json::array items;
  for (const auto& [grant, client] : *grants) {
    const auto metadata = oauth::stored_metadata(client.metadata);
    json::object item{{"id", grant.id},
                      {"client_id", client.client_id},
                      {"client_name", oauth::display_name(metadata, client.client_id)},
                      {"client_uri", metadata.client_uri},
                      {"scopes", scope_array(oauth::scopes_of(grant.scopes))},
                      {"created_at", core::format_rfc3339(grant.created_at)},
                      {"last_used_at", nullptr}};
    if (grant.last_used_at) item["last_used_at"] = core::format_rfc3339(*grant.last_used_at);
    items.emplace_back(std::move(item));
  }
  co_return http::json_response(status::ok, json::object{{"items", std::move(items)}});
}

net::awaitable<http::Response> OAuthRoutes::delete_grant(Ctx& ctx) {
  const auto& text = ctx.path_params.at("id");
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size() || id <= 0) {
    co_return http::error_response(
        core::make_error(core::Errc::not_found, "no such connected app"));
  }
  auto st = co_await offload_.call(&oauth::OAuthService::revoke_grant, &oauth_, *ctx.user_id, id);
  if (!st) co_return http::error_response(st.error());
  co_return http::empty_response(status::no_content);
}

}  // namespace tickler::services::api
