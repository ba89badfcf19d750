#pragma once
// Command-line and environment configuration of every role. Only src/app reads configuration;
// everything else gets settings structs.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tickler::app {

// What every serving process shares about its network: where requests on behalf of users may go
// and how many connections it serves at once.
struct NetworkConfig {
  bool allow_private_destinations = false;        // webhooks may reach loopback/private addresses
  std::vector<std::string> allowed_destinations;  // CIDR ranges allowed besides public addresses
  int max_connections = 0;  // HTTP connections at once; 0: derived from the open-file limit
  // The public origin clients reach this server at ("https://tickler.example.com", no path):
  // the OAuth issuer and the MCP resource's base; empty: each request's Host (local use).
  std::string public_url;  // TICKLER_PUBLIC_URL
  // Extra CA certificates (PEM) outgoing https requests trust (clients' metadata documents).
  std::string outbound_ca_file;  // TICKLER_OUTBOUND_CA_FILE
};

// Who may sign up, and how fresh a process's view of each user's token generation is (api).
struct AccountConfig {
  std::string signup = "open";  // open | invite | closed (TICKLER_SIGNUP)
  int user_cache_ms = 1000;     // how long a user's token generation read from the store is trusted
};

// How long the events tables keep rows they no longer need, in seconds (tickler serve, the roles,
// tickler dlq redrive; docs/architecture.md, "Retention"). The processed-events retention must
// exceed the outbox's and the broker's: a consumer has to remember an event as long as it can be
// delivered again.
struct RetentionConfig {
  std::int64_t outbox_seconds = 604'800;  // a sent outbox row: 7 days
  // A consumer's record of an event: 42 days, beyond the broker's 35 below and a week to spare.
  std::int64_t processed_events_seconds = 3'628'800;
  // Roles: the longest Kafka may keep an event, dead-letter topics included: their 28-day
  // retention.ms plus a 7-day segment.ms (a segment goes only once its newest event is expired).
  std::int64_t broker_seconds = 3'024'000;
};

// What the realtime hub keeps for clients that reconnect (tickler serve, tickler realtime).
struct ReplayConfig {
  std::int64_t bytes = 16 * 1024 * 1024;     // every user's messages and event ids together
  std::int64_t bytes_per_user = 256 * 1024;  // one user's messages
  int max_age_seconds = 600;                 // a message older than this is never replayed
};

// Which scheduled reminders the notifier's scheduler holds; the rest are paged in from the
// database as time advances (tickler serve, tickler notifier).
struct ReminderWindowConfig {
  int window_seconds = 600;  // reminders due within this are loaded
  int page = 1000;           // rows per read
};

// The assistant's language model: none by default (the built-in assistant). The key is read from
// the environment (TICKLER_LLM_API_KEY) only, never from a flag (a flag shows in `ps`).
// How the notifier attempts deliveries (services/notifier/channel.hpp).
struct DeliveryConfig {
  int max_attempts = 8;    // then a delivery is dead (tickler dlq deliveries)
  int lease_seconds = 60;  // an attempt's claim; another notifier may retry only after it
  int webhook_timeout_ms = 5000;
};

struct LlmConfig {
  std::string url;      // --llm-url: the base URL of an OpenAI-compatible Chat Completions API
  std::string model;    // --llm-model
  std::string api_key;  // TICKLER_LLM_API_KEY
  int max_steps = 8;
  int max_tokens = 1024;
  int timeout_seconds = 30;       // one model call
  int turn_timeout_seconds = 90;  // every model call of a chat turn together
  int per_user = 1;               // --llm-per-user: turns with the model one user may run at once
  int queue_wait_seconds = 10;    // --llm-queue-wait: a turn waits this long for a free slot
};

// Email out (the notifier's email channel): off without an SMTP URL. Links in mails start with
// NetworkConfig::public_url, which an SMTP URL therefore needs; certificates are checked against
// the system's CAs and NetworkConfig::outbound_ca_file.
struct MailConfig {
  // smtp://[user:password@]host:port (STARTTLS when offered) or smtps://… (TLS from the start).
  std::string smtp_url;  // --smtp-url, TICKLER_SMTP_URL; roles: else the secret store's smtp-url
  std::string from = "Tickler <tickler@localhost>";  // --smtp-from
  bool require_tls = false;  // --smtp-require-tls: smtp:// sends only after STARTTLS
  int timeout_seconds = 30;  // one SMTP exchange
};

// Web Push (the notifier's push channel): the VAPID key's contact (the JWT's sub).
struct PushConfig {
  std::string vapid_subject;  // --vapid-subject: mailto:… or https:…; empty: --public-url
};

struct ServeConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string data_dir = "./data";
  int io_threads = 2;
  int db_threads = 8;
  std::vector<std::string> cors_origins;
  std::string log_level = "info";
  int token_ttl_seconds = 24 * 3600;
  int shutdown_grace_seconds = 10;
  std::string web_root;  // the built web UI; empty: default_web_root() (app/web_root.hpp)
  NetworkConfig network;
  AccountConfig accounts;
  RetentionConfig retention;  // broker_seconds unused: the in-process bus keeps nothing
  ReplayConfig replay;
  ReminderWindowConfig reminders;
  DeliveryConfig delivery;
  LlmConfig llm;
  MailConfig mail;
  PushConfig push;
};

// tickler migrate: the embedded SQLite file, or (--role, --database-url) a role's PostgreSQL
// tables.
struct MigrateConfig {
  std::string data_dir = "./data";
  std::string role;          // api | notifier | recurrer | auditor | all; empty: embedded SQLite
  std::string database_url;  // TICKLER_DATABASE_URL
};

// A role's threads for blocking store work, and its PostgreSQL connections, unless given: two
// per CPU. A request's store work is CPU in one of those threads and in its connection's server
// process; with many more of them than CPUs, the requests wait in the kernel's run queue, where
// one can miss its turn several times, rather than in the pool's queue, first come first
// served (on 2 CPUs, p99.9 of the list and of a two-prefix search: 21–34 and 81–93 ms with 8 of
// each, 11–14 and 25–72 ms with 4, at 1.02–1.09× the rate with 4; bench/RESULTS.md). A database on
// another machine leaves the threads waiting more: give more.
inline int default_db_connections() {
  return std::clamp(2 * static_cast<int>(std::thread::hardware_concurrency()), 2, 64);
}

// tickler api | notifier | recurrer | auditor | realtime: one service of the distributed mode,
// beside its Dapr sidecar. Secrets (database URL, JWT secret) come from the Dapr secret store
// unless given in the environment.
struct RoleConfig {
  std::string role;
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the role's default (api 8080, notifier 8081, … frontend 8085)
  // The built web UI, served by the frontend (and by the api when given); empty: the frontend
  // looks where default_web_root() does.
  std::string web_root;
  int io_threads = 2;
  int db_threads = default_db_connections();
  int db_pool = default_db_connections();
  std::vector<std::string> cors_origins;
  std::string log_level = "info";
  int token_ttl_seconds = 24 * 3600;
  int shutdown_grace_seconds = 10;
  int sweep_seconds = 300;  // notifier: own sweep, behind the bindings.cron one every minute

  std::uint16_t dapr_http_port = 3500;  // DAPR_HTTP_PORT
  std::string dapr_api_token;           // DAPR_API_TOKEN: sent to the sidecar
  std::string app_api_token;            // APP_API_TOKEN: required from the sidecar
  std::string pubsub = "tickler-pubsub";
  std::string fanout_pubsub = "tickler-pubsub-fanout";  // realtime: a consumer group per replica
  int bulk_await_ms = 10;  // bulk subscribe: the sidecar's gathering window (0: one event a call)
  int relay_lanes = 1;     // api, notifier: outbox publishes in flight at once (shares of users)
  std::string secret_store = "tickler-secrets";
  std::string state_store = "tickler-state";  // notifier: outcome of the last cron sweep
  std::string api_app_id = "tickler-api";
  std::string sweep_binding = "reminder-sweep";  // notifier: the bindings.cron input
  std::string database_url;                      // TICKLER_DATABASE_URL; else secret
  std::string jwt_secret;                        // TICKLER_JWT_SECRET; else secret
  // api: where /api/ws upgrades go (host:port of each realtime replica), so the WebSocket is
  // served on the API's origin; and the app-ids its same-origin routes are forwarded to.
  std::vector<std::string> realtime_upstreams;
  std::string auditor_app_id = "tickler-auditor";
  std::string notifier_app_id = "tickler-notifier";
  std::string assistant_app_id = "tickler-assistant";  // api: where /api/chat… go
  // assistant: the language model (--llm-url…); its key from TICKLER_LLM_API_KEY, else the
  // secret llm_key_secret, if the secret store has it.
  LlmConfig llm;
  std::string llm_key_secret = "llm-api-key";
  NetworkConfig network;
  AccountConfig accounts;  // api
  RetentionConfig retention;
  ReplayConfig replay;                       // realtime
  ReminderWindowConfig reminders;            // notifier
  DeliveryConfig delivery;                   // notifier
  MailConfig mail;                           // notifier
  std::string smtp_url_secret = "smtp-url";  // notifier: read when --smtp-url is not given
  PushConfig push;                           // notifier
  std::string vapid_key_secret = "vapid-private-key";  // notifier: the VAPID key (PEM)
};

// tickler dlq list | redrive, tickler audit verify: maintenance on a data directory (safe while
// the server runs: SQLite serializes the writes).
struct ToolConfig {
  std::string data_dir = "./data";
  std::string database_url;  // tickler user …: the api's PostgreSQL tables instead of --data
  bool all = false;          // dlq list: include redriven; dlq redrive: every one
  std::optional<std::int64_t> id;  // dlq redrive <id>
  std::string delivery;            // dlq deliveries redrive <reminder id>/<channel>
  std::string who;                 // tickler user disable|enable|delete|reset-password <id|email>
  int expires_in_days = 7;         // tickler user invite
  std::string password;            // tickler user reset-password (empty: generate one)
  RetentionConfig retention;       // dlq redrive: processed_events_seconds, the redrive horizon
};

}  // namespace tickler::app
