#pragma once
// The command-line options (and environment variables) of the distributed roles.
#include <CLI/CLI.hpp>

#include "app/config.hpp"

namespace tickler::app {

// The network options of every serving command (tickler serve and the roles).
inline void add_network_options(CLI::App& cmd, NetworkConfig& c) {
  cmd.add_flag("--allow-private-destinations", c.allow_private_destinations,
               "let webhooks reach loopback, private and link-local addresses (on-premises use)")
      ->envname("TICKLER_ALLOW_PRIVATE_DESTINATIONS");
  cmd.add_option("--allowed-destinations", c.allowed_destinations,
                 "address ranges (CIDR, comma-separated) webhooks may reach besides public ones")
      ->envname("TICKLER_ALLOWED_DESTINATIONS")
      ->delimiter(',');
  cmd.add_option("--max-connections", c.max_connections,
                 "HTTP connections served at once; more are closed (0: from the open-file limit)")
      ->envname("TICKLER_MAX_CONNECTIONS")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  cmd.add_option("--public-url", c.public_url,
                 "the origin clients reach this server at (https://tickler.example.com): the OAuth "
                 "issuer and the MCP resource <public-url>/mcp; default: each request's Host, "
                 "over http (local use only)")
      ->envname("TICKLER_PUBLIC_URL");
  cmd.add_option("--outbound-ca-file,--ca-file", c.outbound_ca_file,
                 "extra CA certificates (PEM) trusted by outgoing https requests (webhooks, OAuth "
                 "clients' metadata documents, the language model), e.g. an on-premises CA")
      ->envname("TICKLER_OUTBOUND_CA_FILE")
      ->check(CLI::ExistingFile);
}

// Sign-up and token freshness (tickler serve and the api role).
inline void add_account_options(CLI::App& cmd, AccountConfig& c) {
  cmd.add_option("--signup", c.signup,
                 "who may sign up: open (anyone), invite (with a code from tickler user invite) or "
                 "closed (accounts only from existing ones)")
      ->envname("TICKLER_SIGNUP")
      ->check(CLI::IsMember({"open", "invite", "closed"}))
      ->capture_default_str();
  cmd.add_option("--user-cache-ms", c.user_cache_ms,
                 "how long a user's token generation and disabled flag read from the database are "
                 "trusted; changes made by another process (tickler user, another replica) take "
                 "effect within this (0: read on every request)")
      ->envname("TICKLER_USER_CACHE_MS")
      ->check(CLI::Range(0, 60'000))
      ->capture_default_str();
}

// How long a dead letter may be redriven (tickler serve, the roles, tickler dlq redrive).
inline void add_processed_events_retention_option(CLI::App& cmd, RetentionConfig& c) {
  cmd.add_option("--processed-events-retention", c.processed_events_seconds,
                 "seconds a consumer remembers an event it processed (redeliveries within are "
                 "harmless); a dead letter older than this is not redriven. Must exceed "
                 "--outbox-retention (and, for the roles, --broker-retention)")
      ->envname("TICKLER_PROCESSED_EVENTS_RETENTION")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{10} * 366 * 86'400))
      ->capture_default_str();
}

// The retention of the events tables (tickler serve; the roles with broker = true).
inline void add_retention_options(CLI::App& cmd, RetentionConfig& c, bool broker) {
  cmd.add_option("--outbox-retention", c.outbox_seconds,
                 "seconds a sent outbox row is kept before it is deleted")
      ->envname("TICKLER_OUTBOX_RETENTION")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{10} * 366 * 86'400))
      ->capture_default_str();
  add_processed_events_retention_option(cmd, c);
  if (!broker) return;
  cmd.add_option("--broker-retention", c.broker_seconds,
                 "the longest the broker may keep an event, dead-letter topics included "
                 "(retention.ms + segment.ms, in seconds): what --processed-events-retention "
                 "must exceed")
      ->envname("TICKLER_BROKER_RETENTION")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{10} * 366 * 86'400))
      ->capture_default_str();
}

// The realtime hub's replay buffer (tickler serve and the realtime role).
inline void add_replay_options(CLI::App& cmd, ReplayConfig& c) {
  cmd.add_option("--replay-bytes", c.bytes,
                 "realtime: bytes of recent messages kept for reconnecting clients, all users "
                 "together (the users published to least recently lose theirs first)")
      ->envname("TICKLER_REPLAY_BYTES")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 40))
      ->capture_default_str();
  cmd.add_option("--replay-bytes-per-user", c.bytes_per_user,
                 "realtime: bytes of recent messages kept for one user")
      ->envname("TICKLER_REPLAY_BYTES_PER_USER")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 40))
      ->capture_default_str();
  cmd.add_option("--replay-max-age", c.max_age_seconds,
                 "realtime: seconds a message is kept for reconnecting clients; a client that "
                 "missed an older one is told to resync")
      ->envname("TICKLER_REPLAY_MAX_AGE")
      ->check(CLI::Range(0, 7 * 24 * 3600))
      ->capture_default_str();
}

// Which scheduled reminders the notifier's scheduler holds (tickler serve and the notifier).
inline void add_delivery_options(CLI::App& cmd, DeliveryConfig& c) {
  cmd.add_option("--delivery-max-attempts", c.max_attempts,
                 "notifier: attempts of a reminder's delivery on a channel before it is dead "
                 "(tickler dlq deliveries redrive)")
      ->envname("TICKLER_DELIVERY_MAX_ATTEMPTS")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd.add_option("--delivery-lease", c.lease_seconds,
                 "notifier: seconds an attempt holds its delivery; a notifier that died during "
                 "one is retried after it (at least twice the webhook timeout)")
      ->envname("TICKLER_DELIVERY_LEASE")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd.add_option("--webhook-timeout-ms", c.webhook_timeout_ms,
                 "notifier: a webhook attempt's time limit, connection to answer")
      ->envname("TICKLER_WEBHOOK_TIMEOUT_MS")
      ->check(CLI::Range(100, 60'000))
      ->capture_default_str();
}

inline void add_reminder_window_options(CLI::App& cmd, ReminderWindowConfig& c) {
  cmd.add_option("--reminder-window", c.window_seconds,
                 "notifier: seconds ahead the scheduler holds the reminders due; later ones are "
                 "paged in from the database as time advances")
      ->envname("TICKLER_REMINDER_WINDOW")
      ->check(CLI::Range(1, 7 * 24 * 3600))
      ->capture_default_str();
  cmd.add_option("--reminder-page", c.page, "notifier: reminders read from the database at once")
      ->envname("TICKLER_REMINDER_PAGE")
      ->check(CLI::Range(1, 100'000))
      ->capture_default_str();
}

// The assistant's language model (tickler serve; the assistant role). The key comes from the
// environment (llm_api_key_from_environment) or, in the distributed mode, the secret
// store.
inline void add_llm_options(CLI::App& cmd, LlmConfig& c) {
  const CLI::Validator http_url{[](std::string& url) -> std::string {
                                  if (url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0)
                                    return {};
                                  return "must be an http:// or https:// URL";
                                },
                                "URL"};
  auto* model = cmd.add_option("--llm-model", c.model,
                               "assistant: the model to ask (e.g. llama3.1, gpt-4o-mini); the "
                               "audit trail names the assistant \"assistant (<model>)\"")
                    ->envname("TICKLER_LLM_MODEL");
  cmd.add_option("--llm-url", c.url,
                 "assistant: base URL of an OpenAI-compatible Chat Completions API with tool "
                 "calling (e.g. http://127.0.0.1:11434/v1 for Ollama); its key from "
                 "TICKLER_LLM_API_KEY; default: none, the built-in assistant")
      ->envname("TICKLER_LLM_URL")
      ->check(http_url)
      ->needs(model);
  cmd.add_option("--llm-max-steps", c.max_steps, "assistant: model calls per chat turn")
      ->envname("TICKLER_LLM_MAX_STEPS")
      ->check(CLI::Range(1, 32))
      ->capture_default_str();
  cmd.add_option("--llm-max-tokens", c.max_tokens, "assistant: max_tokens of each model call")
      ->envname("TICKLER_LLM_MAX_TOKENS")
      ->check(CLI::Range(16, 32'768))
      ->capture_default_str();
  cmd.add_option("--llm-timeout", c.timeout_seconds, "assistant: seconds one model call may take")
      ->envname("TICKLER_LLM_TIMEOUT")
      ->check(CLI::Range(1, 600))
      ->capture_default_str();
  cmd.add_option("--llm-turn-timeout", c.turn_timeout_seconds,
                 "assistant: seconds every model call of one chat turn may take together")
      ->envname("TICKLER_LLM_TURN_TIMEOUT")
      ->check(CLI::Range(1, 1800))
      ->capture_default_str();
  cmd.add_option("--llm-per-user", c.per_user,
                 "assistant: chat turns with the model one user may have running at once (of the "
                 "4 shared by everyone); more answer 429 assistant_busy")
      ->envname("TICKLER_LLM_PER_USER")
      ->check(CLI::Range(1, 4))
      ->capture_default_str();
  cmd.add_option("--llm-queue-wait", c.queue_wait_seconds,
                 "assistant: seconds a chat turn waits for a free model slot before it answers "
                 "429 assistant_busy")
      ->envname("TICKLER_LLM_QUEUE_WAIT")
      ->check(CLI::Range(1, 300))
      ->capture_default_str();
}

// Email out (tickler serve and the notifier role).
inline void add_mail_options(CLI::App& cmd, MailConfig& c) {
  const CLI::Validator smtp_url{[](std::string& url) -> std::string {
                                  if (url.rfind("smtp://", 0) == 0 || url.rfind("smtps://", 0) == 0)
                                    return {};
                                  return "must be an smtp:// or smtps:// URL";
                                },
                                "URL"};
  cmd.add_option("--smtp-url", c.smtp_url,
                 "notifier: the mail server reminders are mailed through: "
                 "smtp://[user:password@]host:port (STARTTLS when offered) or smtps://… (TLS "
                 "from the start); needs --public-url; default: no email")
      ->envname("TICKLER_SMTP_URL")
      ->check(smtp_url);
  cmd.add_option("--smtp-from", c.from, "notifier: the From of mails (\"Name <address>\")")
      ->envname("TICKLER_SMTP_FROM")
      ->capture_default_str();
  cmd.add_flag("--smtp-require-tls", c.require_tls,
               "notifier: with smtp://, send only over STARTTLS (refuse a server without it)")
      ->envname("TICKLER_SMTP_REQUIRE_TLS");
  cmd.add_option("--smtp-timeout", c.timeout_seconds,
                 "notifier: seconds one SMTP exchange may take")
      ->envname("TICKLER_SMTP_TIMEOUT")
      ->check(CLI::Range(1, 600))
      ->capture_default_str();
}

// Web Push (tickler serve and the notifier role).
inline void add_push_options(CLI::App& cmd, PushConfig& c) {
  const CLI::Validator subject{[](std::string& s) -> std::string {
                                 if (s.rfind("mailto:", 0) == 0 || s.rfind("https://", 0) == 0)
                                   return {};
                                 return "must be a mailto: or https: URL";
                               },
                               "URL"};
  cmd.add_option("--vapid-subject", c.vapid_subject,
                 "notifier: the contact push services see in Web Push requests (mailto: or "
                 "https:); default: --public-url when https, else mailto:tickler@localhost")
      ->envname("TICKLER_VAPID_SUBJECT")
      ->check(subject);
}

inline void add_role_options(CLI::App& cmd, RoleConfig& c) {
  add_mail_options(cmd, c.mail);
  add_push_options(cmd, c.push);
  cmd.add_option("--vapid-key-secret", c.vapid_key_secret,
                 "notifier: the secret holding the VAPID private key (PEM); without it push is "
                 "off")
      ->envname("TICKLER_VAPID_KEY_SECRET")
      ->capture_default_str();
  cmd.add_option("--smtp-url-secret", c.smtp_url_secret,
                 "notifier: the secret holding the SMTP URL, read when --smtp-url is not given")
      ->envname("TICKLER_SMTP_URL_SECRET")
      ->capture_default_str();
  add_network_options(cmd, c.network);
  add_llm_options(cmd, c.llm);
  add_account_options(cmd, c.accounts);
  add_retention_options(cmd, c.retention, true);
  add_replay_options(cmd, c.replay);
  add_reminder_window_options(cmd, c.reminders);
  add_delivery_options(cmd, c.delivery);
  cmd.add_option("--host", c.host, "listen address")
      ->envname("TICKLER_HOST")
      ->capture_default_str();
  cmd.add_option("--port", c.port, "listen port (default: the role's own, 8080–8086)")
      ->envname("TICKLER_PORT");
  cmd.add_option("--io-threads", c.io_threads, "network threads")
      ->envname("TICKLER_IO_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd.add_option("--db-threads", c.db_threads, "threads for blocking work")
      ->envname("TICKLER_DB_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd.add_option("--db-pool", c.db_pool, "PostgreSQL connections")
      ->envname("TICKLER_DB_POOL")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd.add_option("--cors-origins", c.cors_origins, "origins allowed by CORS (comma-separated)")
      ->envname("TICKLER_CORS_ORIGINS")
      ->delimiter(',');
  cmd.add_option("--log-level", c.log_level, "trace|debug|info|warn|error|off")
      ->envname("TICKLER_LOG_LEVEL")
      ->capture_default_str();
  cmd.add_option("--token-ttl", c.token_ttl_seconds, "lifetime of issued tokens, in seconds")
      ->envname("TICKLER_TOKEN_TTL")
      ->check(CLI::Range(60, 30 * 24 * 3600))
      ->capture_default_str();
  cmd.add_option("--shutdown-grace", c.shutdown_grace_seconds, "seconds to drain on SIGTERM")
      ->envname("TICKLER_SHUTDOWN_GRACE")
      ->check(CLI::Range(0, 300))
      ->capture_default_str();
  cmd.add_option("--sweep-seconds", c.sweep_seconds, "notifier: own catch-up sweep period")
      ->envname("TICKLER_SWEEP_SECONDS")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  cmd.add_option("--dapr-http-port", c.dapr_http_port, "the sidecar's HTTP port")
      ->envname("DAPR_HTTP_PORT")
      ->capture_default_str();
  cmd.add_option("--dapr-api-token", c.dapr_api_token, "token sent to the sidecar")
      ->envname("DAPR_API_TOKEN");
  cmd.add_option("--app-api-token", c.app_api_token, "token the sidecar must send")
      ->envname("APP_API_TOKEN");
  cmd.add_option("--pubsub", c.pubsub, "pub/sub component")
      ->envname("TICKLER_PUBSUB")
      ->capture_default_str();
  cmd.add_option("--fanout-pubsub", c.fanout_pubsub, "realtime: per-replica pub/sub component")
      ->envname("TICKLER_FANOUT_PUBSUB")
      ->capture_default_str();
  cmd.add_option("--bulk-await-ms", c.bulk_await_ms,
                 "bulk subscribe: how long the sidecar gathers events for one call (0: off)")
      ->envname("TICKLER_BULK_AWAIT_MS")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  cmd.add_option("--relay-lanes", c.relay_lanes,
                 "outbox publishes in flight at once, each for a share of the users (order kept "
                 "per user)")
      ->envname("TICKLER_RELAY_LANES")
      ->check(CLI::Range(1, 32))
      ->capture_default_str();
  cmd.add_option("--secret-store", c.secret_store, "secret store component")
      ->envname("TICKLER_SECRET_STORE")
      ->capture_default_str();
  cmd.add_option("--state-store", c.state_store,
                 "state store component (notifier: the sweep; assistant: conversations)")
      ->envname("TICKLER_STATE_STORE")
      ->capture_default_str();
  cmd.add_option("--api-app-id", c.api_app_id,
                 "the api's Dapr app id (recurrer: occurrences; the others: token checks)")
      ->envname("TICKLER_API_APP_ID")
      ->capture_default_str();
  cmd.add_option("--realtime-upstreams", c.realtime_upstreams,
                 "api: host:port of the realtime replicas /api/ws is passed to (comma-separated)")
      ->envname("TICKLER_REALTIME_UPSTREAMS")
      ->delimiter(',');
  cmd.add_option("--auditor-app-id", c.auditor_app_id, "api: the auditor's Dapr app id")
      ->envname("TICKLER_AUDITOR_APP_ID")
      ->capture_default_str();
  cmd.add_option("--notifier-app-id", c.notifier_app_id, "api: the notifier's Dapr app id")
      ->envname("TICKLER_NOTIFIER_APP_ID")
      ->capture_default_str();
  cmd.add_option("--assistant-app-id", c.assistant_app_id,
                 "api: the assistant's Dapr app id (/api/chat, /api/conversations)")
      ->envname("TICKLER_ASSISTANT_APP_ID")
      ->capture_default_str();
  cmd.add_option("--llm-key-secret", c.llm_key_secret,
                 "assistant: the secret holding the LLM's API key, read when "
                 "TICKLER_LLM_API_KEY is not set")
      ->envname("TICKLER_LLM_KEY_SECRET")
      ->capture_default_str();
  cmd.add_option("--sweep-binding", c.sweep_binding, "notifier: the cron input binding's name")
      ->envname("TICKLER_SWEEP_BINDING")
      ->capture_default_str();
  cmd.add_option("--web-root", c.web_root,
                 "frontend (or api): directory of the built web UI to serve")
      ->envname("TICKLER_WEB_ROOT");
  cmd.add_option("--database-url", c.database_url,
                 "PostgreSQL URL (default: secret <role>-database-url)")
      ->envname("TICKLER_DATABASE_URL");
  cmd.add_option("--jwt-secret", c.jwt_secret, "JWT secret (default: secret jwt-secret)")
      ->envname("TICKLER_JWT_SECRET");
}

}  // namespace tickler::app
