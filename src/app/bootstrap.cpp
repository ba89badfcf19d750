#include "app/bootstrap.hpp"

#include <sodium.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <boost/url/parse.hpp>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "auth/signed_link.hpp"
#include "base/log.hpp"
#include "http/response.hpp"
#include "mail/smtp.hpp"

namespace tickler::app {

void init_process(const std::string& log_level) {
  auto logger = spdlog::stdout_logger_mt("tickler");
  logger->set_pattern("%v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(log_level));
  // One write per access-log line would cost a syscall per request: flush every second, and at
  // once for warnings and errors.
  spdlog::flush_on(spdlog::level::warn);
  spdlog::flush_every(std::chrono::seconds{1});
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
  // Every connection is a descriptor: take all the kernel allows this process.
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    const auto before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) limit.rlim_cur = before;
  }
}

services::realtime::HubSettings hub_settings(const ReplayConfig& config) {
  services::realtime::HubSettings s;
  s.max_bytes = static_cast<std::size_t>(config.bytes);
  s.max_bytes_per_user = static_cast<std::size_t>(config.bytes_per_user);
  s.max_age = std::chrono::seconds{config.max_age_seconds};
  return s;
}

services::notifier::PagerSettings pager_settings(const ReminderWindowConfig& config) {
  services::notifier::PagerSettings s;
  s.window = std::chrono::seconds{config.window_seconds};
  s.page = config.page;
  return s;
}

void add_email_settings(services::notifier::NotifierSettings& settings, const MailConfig& mail,
                        const NetworkConfig& network, const std::string& jwt_secret) {
  auto& s = settings.email;
  s.links.public_url = public_url(network);
  s.links.key = auth::link_key(jwt_secret);
  if (mail.smtp_url.empty()) return;
  if (auto st = mail::check_smtp_url(mail.smtp_url); !st) {
    throw std::runtime_error("--smtp-url: " + st.error().message);
  }
  if (s.links.public_url.empty()) {
    throw std::runtime_error(
        "--smtp-url needs --public-url (TICKLER_PUBLIC_URL): the base of the links in mails");
  }
  s.smtp.url = mail.smtp_url;
  s.smtp.from = mail.from;
  s.smtp.require_tls = mail.require_tls;
  s.smtp.ca_file = network.outbound_ca_file;
  s.smtp.timeout = std::chrono::seconds{mail.timeout_seconds};
  // The lease outlasts an SMTP exchange too, so a live notifier's mail is never sent twice.
  settings.delivery_lease = std::max(settings.delivery_lease,
                                     std::chrono::ceil<std::chrono::seconds>(2 * s.smtp.timeout));
}

void add_push_settings(services::notifier::NotifierSettings& settings, const PushConfig& push,
                       std::optional<std::string> key_pem) {
  auto& s = settings.push;
  s.key_pem = std::move(key_pem);
  s.subject = push.vapid_subject;
  s.links = settings.email.links;
  s.destinations = settings.destinations;
  s.ca_file = settings.webhook_ca_file;
  // A push service's or ntfy's answer is bounded like a webhook's (--webhook-timeout-ms), which
  // the delivery lease already outlasts (add_delivery_settings).
  s.timeout = settings.webhook_timeout;
  auto& n = settings.ntfy;
  n.links = settings.email.links;
  n.destinations = settings.destinations;
  n.ca_file = settings.webhook_ca_file;
  n.timeout = s.timeout;
}

void add_delivery_settings(services::notifier::NotifierSettings& s, const DeliveryConfig& config,
                           const NetworkConfig& network) {
  s.delivery_max_attempts = config.max_attempts;
  s.webhook_timeout = std::chrono::milliseconds{config.webhook_timeout_ms};
  // The lease outlasts an attempt, so a live notifier's attempt is never taken over.
  s.delivery_lease = std::max(std::chrono::seconds{config.lease_seconds},
                              std::chrono::ceil<std::chrono::seconds>(2 * s.webhook_timeout));
  s.webhook_ca_file = network.outbound_ca_file;
}

services::assistant::LlmSettings llm_settings(const LlmConfig& config,
                                              const NetworkConfig& network) {
  services::assistant::LlmSettings s;
  s.url = config.url;
  s.model = config.model;
  s.api_key = config.api_key;
  s.ca_file = network.outbound_ca_file;
  s.max_steps = config.max_steps;
  s.max_tokens = config.max_tokens;
  s.call_timeout = std::chrono::seconds{config.timeout_seconds};
  s.turn_timeout = std::chrono::seconds{config.turn_timeout_seconds};
  s.per_user = config.per_user;
  s.slot_wait = std::chrono::seconds{config.queue_wait_seconds};
  return s;
}

std::string llm_api_key_from_environment() {
  const char* key = std::getenv("TICKLER_LLM_API_KEY");
  return key ? std::string{key} : std::string{};
}

http::DestinationSettings destination_settings(const NetworkConfig& config) {
  http::DestinationSettings s;
  s.allow_private = config.allow_private_destinations;
  for (const auto& text : config.allowed_destinations) {
    auto cidr = http::parse_cidr(text);
    if (!cidr) throw std::runtime_error("--allowed-destinations: " + cidr.error().message);
    s.allowed.push_back(*cidr);
  }
  return s;
}

std::string public_url(const NetworkConfig& config) {
  std::string url = config.public_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.empty()) return url;
  auto parsed = boost::urls::parse_absolute_uri(url);
  const bool origin = parsed && (parsed->scheme() == "https" || parsed->scheme() == "http") &&
                      !parsed->encoded_host().empty() && parsed->encoded_path().empty() &&
                      !parsed->has_query() && !parsed->has_userinfo();
  if (!origin) {
    throw std::runtime_error(
        "--public-url: an http(s) origin such as https://tickler.example.com "
        "(no path, query or fragment), not " +
        config.public_url);
  }
  return url;
}

void add_oauth_settings(services::api::ApiSettings& settings, const NetworkConfig& config) {
  settings.oauth.public_url = public_url(config);
  http::FetchSettings fetch;
  fetch.ca_file = config.outbound_ca_file;
  settings.fetch_document = services::api::metadata_document_fetcher(
      fetch, http::DestinationPolicy{destination_settings(config)});
}

services::api::AuthSettings auth_settings(const AccountConfig& config) {
  auto mode = services::api::parse_signup_mode(config.signup);
  if (!mode) throw std::runtime_error("--signup: open, invite or closed, not " + config.signup);
  return {*mode, std::chrono::milliseconds{config.user_cache_ms}};
}

services::EventRetentionSettings event_retention_settings(const RetentionConfig& config,
                                                          bool publishes, bool consumes,
                                                          bool broker) {
  const auto processed = config.processed_events_seconds;
  auto refuse = [&](const std::string& flag, std::int64_t other, const std::string& why) {
    throw std::runtime_error(
        "--processed-events-retention (TICKLER_PROCESSED_EVENTS_RETENTION) "
        "is " +
        std::to_string(processed) + " s, it must exceed " + flag + " (" + std::to_string(other) +
        " s): " + why);
  };
  if (processed <= config.outbox_seconds) {
    refuse("--outbox-retention", config.outbox_seconds,
           "a sent outbox row can be published again while it is kept, and its consumers must "
           "still recognise it");
  }
  if (broker && processed <= config.broker_seconds) {
    refuse("--broker-retention", config.broker_seconds,
           "the broker can deliver an event again (a consumer group replaying its topic, a "
           "dead letter published back) as long as it keeps it");
  }
  services::EventRetentionSettings s;
  if (publishes) s.outbox = std::chrono::seconds{config.outbox_seconds};
  if (consumes) s.processed_events = std::chrono::seconds{processed};
  return s;
}

int max_connections(const NetworkConfig& config) {
  if (config.max_connections > 0) return config.max_connections;
  constexpr long k_reserve = 64;  // store files, outgoing requests, pipes, logs
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 100'000;
  const auto usable = static_cast<long>(std::min<rlim_t>(limit.rlim_cur, 1'000'000)) - k_reserve;
  return static_cast<int>(std::max(16L, usable));
}

std::unique_ptr<store::sqlite::SqliteStore> open_store(const std::string& data_dir, int readers) {
  std::filesystem::create_directories(data_dir);
  const auto path = (std::filesystem::path{data_dir} / "tickler.db").string();
  auto store = store::sqlite::SqliteStore::open({path, readers});
  if (!store) throw std::runtime_error("cannot open " + path + ": " + store.error().message);
  auto applied = (*store)->migrate();
  if (!applied) throw std::runtime_error("migrations failed: " + applied.error().message);
  base::log_json(spdlog::level::info, "store ready",
                 {{"path", path}, {"migrations_applied", *applied}});
  return std::move(*store);
}

// GCC 12 misreads moving a string known to be longer than its local buffer as copying past that
// buffer, reported as -Warray-bounds or -Wstringop-overread (GCC bug 109299, fixed in GCC 13).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overread"
std::string jwt_secret(const std::string& data_dir) {
  if (const char* env = std::getenv("TICKLER_JWT_SECRET"); env && *env) {
    if (std::string{env}.size() < 32) {
      throw std::runtime_error("TICKLER_JWT_SECRET must be at least 32 characters");
    }
    return env;
  }
  const auto path = std::filesystem::path{data_dir} / "jwt.secret";
  if (std::ifstream in{path}; in) {
    std::string secret;
    std::getline(in, secret);
    if (secret.size() >= 32) return secret;
  }
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  const auto old_mask = umask(077);
  std::ofstream out{path, std::ios::trunc};
  umask(old_mask);
  out << hex << "\n";
  if (!out) throw std::runtime_error("cannot write " + path.string());
  return hex;
}
#pragma GCC diagnostic pop

}  // namespace tickler::app

namespace tickler::app {
namespace {

// GCC 12's false -Wmismatched-new-delete on coroutine frames (GCC bug 109224).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
http::net::awaitable<http::Response> forward_owned(store::Store* store, base::Offload* offload,
                                                   const http::Handler* forward,
                                                   http::RequestContext& ctx) {
  const auto& text = ctx.path_params.at("id");
  core::TaskId task = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), task);
  if (ec != std::errc{} || ptr != text.data() + text.size() || task <= 0) {
    co_return http::error_response(core::make_error(core::Errc::not_found, "task not found"));
  }
  auto owned = co_await offload->call(
      [](store::Store* s, core::UserId user, core::TaskId id) { return task_owned(*s, user, id); },
      store, *ctx.user_id, task);
  if (!owned) co_return http::error_response(owned.error());
  if (!*owned) {
    co_return http::error_response(core::make_error(core::Errc::not_found, "task not found"));
  }
  co_return co_await (*forward)(ctx);
}

#pragma GCC diagnostic pop

}  // namespace

core::Result<bool> task_owned(store::Store& store, core::UserId user, core::TaskId task) {
  auto found = store.read_value([&](store::Reader& r) { return r.task(user, task); });
  if (found) return true;
  if (found.error().code == core::Errc::not_found) return false;
  return found.error();
}

http::Handler forward_if_task_owned(store::Store& store, base::Offload& offload,
                                    http::Handler forward) {
  auto shared = std::make_shared<http::Handler>(std::move(forward));
  return [&store, &offload, shared](http::RequestContext& ctx) {
    return forward_owned(&store, &offload, shared.get(), ctx);
  };
}

}  // namespace tickler::app
