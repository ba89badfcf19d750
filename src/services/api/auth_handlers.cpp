// Handlers of /api/auth/* and /api/me.
#include "http/json_fields.hpp"
#include "http/response.hpp"
#include "services/api/api_service.hpp"
#include "services/api/task_requests.hpp"
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
};

core::Result<Credentials> credentials(const http::RequestContext& ctx, bool with_name) {
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) return body.error();
  http::JsonFields f{*body};
  auto allowed = with_name ? f.only({"email", "password", "name"}) : f.only({"email", "password"});
  if (!allowed) return allowed.error();
  auto email = f.required_string("email");
  if (!email) return email.error();
  auto password = f.required_string("password");
  if (!password) return password.error();
  Credentials c{std::move(*email), std::move(*password), {}};
  if (with_name) {
    auto name = f.string("name");
    if (!name) return name.error();
    if (*name) c.name = std::move(**name);
  }
  return c;
}

}  // namespace

net::awaitable<http::Response> ApiService::signup(Ctx& ctx) {
  auto c = credentials(ctx, true);
  if (!c) co_return http::error_response(c.error());
  auto r = co_await offload_.call(&AuthService::signup, &auth_, std::string_view{c->email},
                                  std::string_view{c->password}, std::string_view{c->name});
  if (!r) co_return http::error_response(r.error());
  co_return auth_response(status::created, *r);
}

net::awaitable<http::Response> ApiService::login(Ctx& ctx) {
  auto c = credentials(ctx, false);
  if (!c) co_return http::error_response(c.error());
  auto r =
      co_await offload_.call(&AuthService::login, &auth_, std::string_view{c->email},
                             std::string_view{c->password}, std::string_view{ctx.remote_address});
  if (!r) {
    const auto error = r.error();
    auto res = http::error_response(error);
    if (const auto it = error.details.find("retry_after"); it != error.details.end()) {
      res.set(http::beast_http::field::retry_after,
              std::to_string(std::get<std::int64_t>(it->second)));
    }
    co_return res;
  }
  co_return auth_response(status::ok, *r);
}

net::awaitable<http::Response> ApiService::me(Ctx& ctx) {
  auto u = co_await offload_.call(&AuthService::user, &auth_, *ctx.user_id);
  if (!u) co_return http::error_response(u.error());
  co_return http::json_response(status::ok, wire::user_to_json(*u));
}

net::awaitable<core::Result<core::UserId>> ApiService::authenticate(std::string_view token) {
  if (auto id = auth_.authenticate_known(token)) co_return *id;
  co_return co_await offload_.call(&AuthService::authenticate, &auth_, token);
}

}  // namespace tickler::services::api
