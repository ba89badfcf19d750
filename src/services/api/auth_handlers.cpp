// Handlers of /api/auth/* and /api/me.
#include "http/json_fields.hpp"
#include "http/response.hpp"
#include "services/api/api_service.hpp"
#include "services/api/task_requests.hpp"
#include "services/api/token_principal.hpp"
#include "wire/task_json.hpp"

namespace tickler::services::api {
namespace {

using http::beast_http::status;

http::Response auth_response(status s, const AuthResult& r) {
  return http::json_response(
      s, boost::json::object{{"token", r.token}, {"user", wire::user_to_json(r.user)}});
}

struct Credentials {
  std::string email;
  std::string password;
  std::string name;
  std::string invite_code;
};

core::Result<Credentials> credentials(const http::RequestContext& ctx, bool signup) {
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) return body.error();
  http::JsonFields f{*body};
  auto allowed =
      signup ? f.only({"email", "password", "name", "invite_code"}) : f.only({"email", "password"});
  if (!allowed) return allowed.error();
  auto email = f.required_string("email");
  if (!email) return email.error();
  auto password = f.required_string("password");
  if (!password) return password.error();
  Credentials c{std::move(*email), std::move(*password), {}, {}};
  if (signup) {
    auto name = f.string("name");
    if (!name) return name.error();
    if (*name) c.name = std::move(**name);
    auto invite = f.string("invite_code");
    if (!invite) return invite.error();
    if (*invite) c.invite_code = std::move(**invite);
  }
  return c;
}

// A refused attempt answers Retry-After when the limiter set one.
http::Response error_with_retry(const core::Error& error) {
  auto res = http::error_response(error);
  if (const auto it = error.details.find("retry_after"); it != error.details.end()) {
    res.set(http::beast_http::field::retry_after,
            std::to_string(std::get<std::int64_t>(it->second)));
  }
  return res;
}

// The fields of a body that must be an object with exactly these string fields.
core::Result<std::vector<std::string>> string_fields(const http::RequestContext& ctx,
                                                     std::initializer_list<std::string_view> keys) {
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) return body.error();
  http::JsonFields f{*body};
  if (auto allowed = f.only(keys); !allowed) return allowed.error();
  std::vector<std::string> out;
  for (auto key : keys) {
    auto v = f.required_string(key);
    if (!v) return v.error();
    out.push_back(std::move(*v));
  }
  return out;
}

}  // namespace

net::awaitable<http::Response> ApiService::signup(Ctx& ctx) {
  auto c = credentials(ctx, true);
  if (!c) co_return http::error_response(c.error());
  auto r = co_await offload_.call(&AuthService::signup, &auth_, std::string_view{c->email},
                                  std::string_view{c->password}, std::string_view{c->name},
                                  std::string_view{c->invite_code});
  if (!r) co_return http::error_response(r.error());
  co_return auth_response(status::created, *r);
}

net::awaitable<http::Response> ApiService::login(Ctx& ctx) {
  auto c = credentials(ctx, false);
  if (!c) co_return http::error_response(c.error());
  auto r =
      co_await offload_.call(&AuthService::login, &auth_, std::string_view{c->email},
                             std::string_view{c->password}, std::string_view{ctx.remote_address});
  if (!r) co_return error_with_retry(r.error());
  co_return auth_response(status::ok, *r);
}

net::awaitable<http::Response> ApiService::change_password(Ctx& ctx) {
  auto f = string_fields(ctx, {"current_password", "new_password"});
  if (!f) co_return http::error_response(f.error());
  auto r = co_await offload_.call(&AuthService::change_password, &auth_, *ctx.user_id,
                                  std::string_view{(*f)[0]}, std::string_view{(*f)[1]},
                                  std::string_view{ctx.remote_address});
  if (!r) co_return error_with_retry(r.error());
  co_return auth_response(status::ok, *r);
}

net::awaitable<http::Response> ApiService::delete_me(Ctx& ctx) {
  auto f = string_fields(ctx, {"password"});
  if (!f) co_return http::error_response(f.error());
  auto st = co_await offload_.call(&AuthService::delete_account, &auth_, *ctx.user_id,
                                   std::string_view{(*f)[0]}, std::string_view{ctx.remote_address});
  if (!st) co_return error_with_retry(st.error());
  co_return http::empty_response(status::no_content);
}

net::awaitable<http::Response> ApiService::me(Ctx& ctx) {
  auto u = co_await offload_.call(&AuthService::user, &auth_, *ctx.user_id);
  if (!u) co_return http::error_response(u.error());
  auto body = wire::user_to_json(*u);
  // Another role rebuilds the principal of a token it cannot check itself from this answer.
  if (auto credential = credential_json(*ctx.principal))
    body["credential"] = std::move(*credential);
  co_return http::json_response(status::ok, body);
}

net::awaitable<core::Result<http::Principal>> ApiService::authenticate(std::string_view token) {
  if (TokenService::is_personal_token(token)) co_return co_await authenticate_personal(token);
  if (token.starts_with("tkl_oat_")) co_return co_await oauth_routes_.authenticate(token);
  if (auto id = auth_.authenticate_known(token)) co_return http::session_principal(*id);
  auto id = co_await offload_.call(&AuthService::authenticate, &auth_, token);
  if (!id) co_return id.error();
  co_return http::session_principal(*id);
}

}  // namespace tickler::services::api
