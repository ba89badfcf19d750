#pragma once
// Start-up steps every role shares: logging, libsodium, the data directory, the store and the JWT
// secret. Failures here are start-up failures: they are reported and the process exits non-zero.
#include <memory>
#include <string>

#include "app/config.hpp"
#include "http/destination.hpp"
#include "services/api/api_service.hpp"
#include "services/api/auth_service.hpp"
#include "services/assistant/llm_client.hpp"
#include "services/event_retention.hpp"
#include "services/notifier/email_service.hpp"
#include "services/notifier/notifier_service.hpp"
#include "services/notifier/reminder_window.hpp"
#include "services/realtime/hub.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tickler::app {

// Logging, libsodium, and the soft open-file limit raised to the hard one.
void init_process(const std::string& log_level);
// The destination policy's settings; throws on a malformed CIDR range (a start-up failure).
http::DestinationSettings destination_settings(const NetworkConfig& config);
// The public origin without a trailing slash ("" when not set); throws (a start-up failure)
// unless it is an http(s) origin without a path, query or fragment.
std::string public_url(const NetworkConfig& config);
// The OAuth authorization server's settings of a process serving the api: the public URL, and
// reading clients' metadata documents through the destination policy.
void add_oauth_settings(services::api::ApiSettings& settings, const NetworkConfig& config);
// Sign-up mode and user-cache freshness; throws on an unknown --signup (a start-up failure).
services::api::AuthSettings auth_settings(const AccountConfig& config);
// The retention of a process's events tables: the outbox's where it publishes, the processed
// events' where it consumes. Throws (a start-up failure) unless the processed-events retention
// exceeds the outbox's and, where events travel through a broker, the broker's.
services::EventRetentionSettings event_retention_settings(const RetentionConfig& config,
                                                          bool publishes, bool consumes,
                                                          bool broker);
// The realtime hub's replay bounds.
services::realtime::HubSettings hub_settings(const ReplayConfig& config);
// Which reminders the notifier's scheduler holds.
// The notifier's delivery settings (attempts, lease, webhook timeout and CAs).
void add_delivery_settings(services::notifier::NotifierSettings& s, const DeliveryConfig& config,
                           const NetworkConfig& network);
services::notifier::PagerSettings pager_settings(const ReminderWindowConfig& config);
// The email channel's settings: off without an SMTP URL; with one, --public-url is required (the
// base of mailed links, signed with a key derived from jwt_secret), and the delivery lease
// outlasts an SMTP exchange. Call after add_delivery_settings. Throws on a bad combination.
void add_email_settings(services::notifier::NotifierSettings& settings, const MailConfig& mail,
                        const NetworkConfig& network, const std::string& jwt_secret);
// The push and ntfy channels' settings: the links of add_email_settings (call after it), the
// VAPID subject, the destination policy and CAs of deliveries; `key_pem` as PushSettings::key_pem.
void add_push_settings(services::notifier::NotifierSettings& settings, const PushConfig& push,
                       std::optional<std::string> key_pem);
// The connection cap: the configured one, else the open-file limit less a reserve for the
// store, outgoing requests and logs.
int max_connections(const NetworkConfig& config);
// The assistant's language model: the flags, the key given (TICKLER_LLM_API_KEY, or the secret
// store's) and the outbound CA file; an empty URL leaves the built-in assistant.
services::assistant::LlmSettings llm_settings(const LlmConfig& config,
                                              const NetworkConfig& network);
// TICKLER_LLM_API_KEY, or "".
std::string llm_api_key_from_environment();
// Creates the data directory, opens <data>/tickler.db and applies pending migrations.
std::unique_ptr<store::sqlite::SqliteStore> open_store(const std::string& data_dir, int readers);
// Whether the user has the task, read from a store with the api's tasks: what the notification
// override routes check (404 for another user's task).
core::Result<bool> task_owned(store::Store& store, core::UserId user, core::TaskId task);
// The frontend's override routes: the api checks the caller has the task, then forwards to the
// notifier (whose database has no tasks).
http::Handler forward_if_task_owned(store::Store& store, base::Offload& offload,
                                    http::Handler forward);

// TICKLER_JWT_SECRET, else <data>/jwt.secret, generated once (0600).
std::string jwt_secret(const std::string& data_dir);

}  // namespace tickler::app
