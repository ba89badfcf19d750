// Handlers of /api/tokens: personal API tokens, managed by the web UI's session only
// (Access::account, so a token cannot make or see tokens).
#include <algorithm>
#include <boost/json/array.hpp>
#include <charconv>

#include "http/json_fields.hpp"
#include "http/response.hpp"
#include "services/api/api_service.hpp"
#include "services/api/token_principal.hpp"

namespace tickler::services::api {
namespace {

using http::beast_http::status;

boost::json::value instant_or_null(const std::optional<core::Instant>& t) {
  if (!t) return nullptr;
  return boost::json::string{core::format_rfc3339(*t)};
}

// A token as GET /api/tokens lists it: never the secret, which the store does not have.
boost::json::object token_to_json(const store::ApiToken& t) {
  boost::json::array scopes;
  for (const auto& s : t.scopes) scopes.emplace_back(s);
  return {{"id", t.id},
          {"name", t.name},
          {"prefix", t.prefix},
          {"scopes", std::move(scopes)},
          {"created_at", core::format_rfc3339(t.created_at)},
          {"expires_at", instant_or_null(t.expires_at)},
          {"last_used_at", instant_or_null(t.last_used_at)}};
}

// {name, scopes, expires_in_days?}: field errors name the field.
core::Result<TokenRequest> token_request(const http::RequestContext& ctx) {
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) return body.error();
  http::JsonFields f{*body};
  if (auto allowed = f.only({"name", "scopes", "expires_in_days"}); !allowed) {
    return allowed.error();
  }
  TokenRequest r;
  auto name = f.required_string("name");
  if (!name) return name.error();
  r.name = std::move(*name);
  auto scopes = f.string_list("scopes");
  if (!scopes) return scopes.error();
  if (!*scopes) return core::field_error("scopes", "is required: [\"tasks:read\"] or more");
  r.scopes = std::move(**scopes);
  if (const auto* days = body->if_contains("expires_in_days"); days && !days->is_null()) {
    if (!days->is_int64() && !days->is_uint64()) {
      return core::field_error("expires_in_days", "must be a whole number of days");
    }
    // Out-of-range values stay out of range (TokenService says the range).
    if (days->is_uint64()) {
      r.expires_in_days = 1'000'000;
    } else {
      r.expires_in_days =
          static_cast<int>(std::clamp<std::int64_t>(days->as_int64(), 0, 1'000'000));
    }
  }
  return r;
}

// The {id} path parameter: not_found when it is not a positive number (it names no token).
core::Result<std::int64_t> token_id_param(const http::RequestContext& ctx) {
  const auto it = ctx.path_params.find("id");
  std::int64_t id = 0;
  if (it != ctx.path_params.end()) {
    const auto& text = it->second;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec == std::errc{} && ptr == text.data() + text.size() && id > 0) return id;
  }
  return core::make_error(core::Errc::not_found, "no such API token");
}

}  // namespace

net::awaitable<http::Response> ApiService::create_token(Ctx& ctx) {
  auto request = token_request(ctx);
  if (!request) co_return http::error_response(request.error());
  auto made =
      co_await offload_.call(&TokenService::create, &tokens_, *ctx.user_id, std::move(*request));
  if (!made) co_return http::error_response(made.error());
  auto body = token_to_json(made->token);
  body["token"] = made->secret;
  co_return http::json_response(status::created, body);
}

net::awaitable<http::Response> ApiService::list_tokens(Ctx& ctx) {
  auto tokens = co_await offload_.call(&TokenService::list, &tokens_, *ctx.user_id);
  if (!tokens) co_return http::error_response(tokens.error());
  boost::json::array items;
  for (const auto& t : *tokens) items.emplace_back(token_to_json(t));
  co_return http::json_response(status::ok, boost::json::object{{"items", std::move(items)}});
}

net::awaitable<http::Response> ApiService::delete_token(Ctx& ctx) {
  auto id = token_id_param(ctx);
  if (!id) co_return http::error_response(id.error());
  auto st = co_await offload_.call(&TokenService::remove, &tokens_, *ctx.user_id, *id);
  if (!st) co_return http::error_response(st.error());
  co_return http::empty_response(status::no_content);
}

net::awaitable<core::Result<http::Principal>> ApiService::authenticate_personal(
    std::string_view token) {
  if (auto known = tokens_.authenticate_known(token)) co_return personal_token_principal(*known);
  auto row = co_await offload_.call(&TokenService::authenticate, &tokens_, token);
  if (!row) co_return row.error();
  co_return personal_token_principal(*row);
}

}  // namespace tickler::services::api
