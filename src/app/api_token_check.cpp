#include "app/api_token_check.hpp"

#include <boost/json/parse.hpp>
#include <mutex>
#include <unordered_map>

#include "auth/digest.hpp"
#include "bus/dapr/invocation.hpp"
#include "services/api/token_principal.hpp"

namespace tickler::app {
namespace {

constexpr std::string_view k_opaque_prefix = "tkl_";
constexpr std::size_t k_max_cached = 10'000;

// The api's recent answers about opaque tokens, by the token's SHA-256.
class AnswerCache {
 public:
  explicit AnswerCache(std::chrono::milliseconds ttl) : ttl_(ttl) {}
  std::optional<http::Principal> find(const std::string& key) {
    std::lock_guard lock{mutex_};
    const auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    if (std::chrono::steady_clock::now() >= it->second.until) {
      entries_.erase(it);
      return std::nullopt;
    }
    return it->second.principal;
  }
  void keep(const std::string& key, const http::Principal& p) {
    if (ttl_ <= std::chrono::milliseconds::zero()) return;
    std::lock_guard lock{mutex_};
    if (entries_.size() >= k_max_cached) entries_.clear();
    entries_[key] = {p, std::chrono::steady_clock::now() + ttl_};
  }

 private:
  struct Entry {
    http::Principal principal;
    std::chrono::steady_clock::time_point until;
  };
  std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

struct Checker {
  Checker(VerifyJwt v, AskApi a, base::Offload& o, ApiTokenCheckSettings s)
      : verify(std::move(v)), ask(std::move(a)), offload(&o), settings(s), cache(s.cache_ttl) {}
  VerifyJwt verify;
  AskApi ask;
  base::Offload* offload;
  ApiTokenCheckSettings settings;
  AnswerCache cache;
};

core::Result<bus::dapr::SidecarResponse> ask_api(const Checker* c, const bus::dapr::Headers& h) {
  return c->ask(h);
}

// The principal the api's answer to GET /api/me stands for.
core::Result<http::Principal> principal_of(const bus::dapr::SidecarResponse& r) {
  if (r.status == 401 || r.status == 403) {
    return core::make_error(core::Errc::unauthorized,
                            "the token was revoked or its account is gone");
  }
  if (r.status != 200) {
    return core::make_error(core::Errc::unavailable,
                            "the api answered " + std::to_string(r.status) + " to a token check");
  }
  boost::system::error_code ec;
  auto body = boost::json::parse(r.body, ec);
  if (ec || !body.is_object()) {
    return core::make_error(core::Errc::unavailable,
                            "the api's answer to a token check is no JSON");
  }
  return services::api::principal_from_me(body.as_object());
}

http::net::awaitable<core::Result<http::Principal>> check(std::shared_ptr<Checker> c,
                                                          std::string_view token) {
  const bool opaque = token.starts_with(k_opaque_prefix);
  std::string key;
  if (opaque) {
    key = auth::sha256_hex(token);
    if (auto known = c->cache.find(key)) co_return *known;
  } else {
    auto id = c->verify(token);
    if (!id) co_return id.error();
    if (!c->settings.ask_about_sessions) co_return http::session_principal(*id);
  }
  const bus::dapr::Headers headers{{"Authorization", "Bearer " + std::string{token}}};
  auto r = co_await c->offload->call(&ask_api, c.get(), headers);
  if (!r) {
    co_return core::make_error(core::Errc::unavailable,
                               "the api is not reachable to check the token: " + r.error().message);
  }
  auto principal = principal_of(*r);
  if (principal && opaque) c->cache.keep(key, *principal);
  co_return principal;
}

}  // namespace

http::Authenticator api_token_check(VerifyJwt verify, AskApi ask, base::Offload& offload,
                                    ApiTokenCheckSettings settings) {
  auto c = std::make_shared<Checker>(std::move(verify), std::move(ask), offload, settings);
  return std::bind_front(&check, std::move(c));
}

http::Authenticator token_check_by_api(VerifyJwt verify, bus::dapr::DaprClient& dapr,
                                       base::Offload& offload, const std::string& api_app_id,
                                       ApiTokenCheckSettings settings) {
  auto target = bus::dapr::invocation_target(api_app_id, "/api/me");
  AskApi ask = [&dapr, target = std::move(target)](const bus::dapr::Headers& headers) {
    return dapr.request("GET", target, {}, {}, headers);
  };
  return api_token_check(std::move(verify), std::move(ask), offload, settings);
}

}  // namespace tickler::app
