#pragma once
// The Reader/Writer of one SQLite transaction: every statement the store runs, bound to the
// connection the transaction holds. The statements live by area in sqlite_tx*.cpp; the rows
// they read and the columns they encode are store/row_codec.hpp's.
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace tickler::store::sqlite {

// The statement of SqliteTx::due_delivery_heads (its query plan is tested: it walks the index of
// queue heads, deliveries_due_heads, without sorting).
[[nodiscard]] const std::string& due_delivery_heads_sql();

class SqliteTx final : public Writer {
 public:
  explicit SqliteTx(Connection& conn) : conn_(conn) {}

  // Users and invites (sqlite_tx.cpp).
  Result<std::optional<core::User>> user_by_email(std::string_view email) override;
  Result<std::optional<core::User>> user_by_id(core::UserId id) override;
  Result<std::vector<core::User>> users() override;
  Result<core::User> insert_user(core::User user) override;
  Status update_user(const core::User& user) override;
  Status delete_user(core::UserId id) override;
  Status insert_invite(const Invite& invite) override;
  Result<bool> use_invite(std::string_view code_hash, core::Instant at) override;

  // Tasks, tags and idempotency keys (sqlite_tx.cpp).
  Result<core::Task> task(core::UserId user, core::TaskId id) override;
  Result<core::TaskPage> tasks(const core::TaskQuery& query) override;
  Result<std::optional<core::Task>> next_in_series(core::UserId user, core::TaskId series_id,
                                                   int after_index) override;
  Result<std::vector<core::TagCount>> tag_counts(core::UserId user) override;
  Result<std::optional<IdempotentResponse>> idempotent_response(core::UserId user,
                                                                std::string_view key,
                                                                core::Instant not_before) override;
  Result<core::Task> insert_task(core::Task task) override;
  Status update_task(const core::Task& task) override;
  Status delete_task(core::UserId user, core::TaskId id) override;
  Status save_idempotent_response(core::UserId user, std::string_view key,
                                  const IdempotentResponse& response, core::Instant at) override;
  Status purge_idempotency(core::Instant older_than) override;

  // Outbox, processed events and dead letters (sqlite_tx_events.cpp).
  Result<std::vector<OutboxRow>> unsent_outbox(int limit, OutboxLane lane) override;
  Result<OutboxBacklog> outbox_backlog() override;
  Result<std::vector<DeadLetter>> dead_letters(bool include_redriven, int limit) override;
  Result<std::int64_t> append_outbox(const OutboxRow& row) override;
  Status mark_outbox_sent(const std::vector<std::int64_t>& ids, core::Instant at) override;
  Status mark_outbox_failed(std::int64_t id, std::string_view error) override;
  Result<bool> mark_processed(std::string_view consumer, std::string_view event_id,
                              core::Instant at) override;
  Status insert_dead_letter(const DeadLetter& letter) override;
  Result<Redrive> redrive_dead_letters(std::optional<std::int64_t> id, core::Instant at,
                                       core::Instant horizon) override;
  Result<int> prune_sent_outbox(core::Instant sent_before, int limit) override;
  Result<int> prune_processed_events(core::Instant processed_before, int limit) override;

  // Audit log and chain heads (sqlite_tx_audit.cpp).
  Result<std::vector<AuditEntry>> audit_history(core::UserId user, core::TaskId task) override;
  Status for_each_audit_entry(const std::function<Status(const AuditEntry&)>& fn) override;
  Result<std::vector<AuditHead>> audit_heads() override;
  Result<std::optional<AuditHead>> audit_head(core::UserId user) override;
  Result<std::int64_t> append_audit(const AuditEntry& entry) override;
  Status delete_user_audit(core::UserId user) override;

  // Reminders, notifications, webhooks and deliveries (sqlite_tx_notifier.cpp).
  Result<std::vector<ReminderRow>> due_reminders(core::Instant at, int limit) override;
  Result<std::vector<ReminderRow>> scheduled_reminders_after(const ReminderPosition& after,
                                                             core::Instant until,
                                                             int limit) override;
  Result<std::vector<NotificationRow>> notifications(
      core::UserId user, bool unread_only, int limit,
      std::optional<std::int64_t> before_id) override;
  Result<std::optional<Webhook>> webhook(core::UserId user) override;
  Result<std::vector<Webhook>> webhooks(core::UserId user) override;
  Result<std::vector<Delivery>> pending_deliveries(core::Instant at, int limit) override;
  Result<std::vector<Delivery>> due_delivery_heads(std::string_view kind, core::Instant at,
                                                   int limit) override;
  Result<std::vector<Delivery>> dead_deliveries(int limit) override;
  Result<std::vector<Delivery>> reminder_deliveries(std::string_view reminder_id) override;
  Result<std::vector<Delivery>> task_deliveries(core::UserId user, core::TaskId task,
                                                int limit) override;
  Result<std::optional<ReminderRow>> reminder(std::string_view id) override;
  Status upsert_reminder(const ReminderRow& reminder) override;
  Result<bool> cancel_reminder(std::string_view id) override;
  Result<std::optional<ReminderRow>> fire_reminder(std::string_view id, core::Instant at) override;
  Result<std::int64_t> insert_notification(const NotificationRow& n) override;
  Result<bool> mark_notification_read(core::UserId user, std::int64_t id,
                                      core::Instant at) override;
  Status set_webhook(const Webhook& hook) override;
  Status delete_webhook(core::UserId user) override;
  // Users' email channels (sqlite_tx_email.cpp).
  Result<std::optional<EmailChannel>> email_channel(core::UserId user) override;
  Status set_email_channel(const EmailChannel& channel) override;
  Status delete_email_channel(core::UserId user) override;
  // Users' notification preferences and tasks' overrides (sqlite_tx_preferences.cpp).
  Result<std::optional<PreferenceDocument>> notification_settings(core::UserId user) override;
  Result<std::optional<PreferenceDocument>> notification_override(core::UserId user,
                                                                  core::TaskId task) override;
  Status set_notification_settings(const PreferenceDocument& settings) override;
  Status set_notification_override(core::TaskId task, const PreferenceDocument& override_) override;
  Result<bool> delete_notification_override(core::UserId user, core::TaskId task) override;
  // Users' push subscriptions and ntfy topics, the instance's keys (sqlite_tx_push.cpp).
  Result<std::vector<PushSubscription>> push_subscriptions(core::UserId user) override;
  Result<std::optional<NtfyChannel>> ntfy_channel(core::UserId user) override;
  Result<std::optional<std::string>> instance_key(std::string_view name) override;
  Result<std::int64_t> insert_push_subscription(const PushSubscription& sub) override;
  Result<bool> delete_push_subscription(core::UserId user, std::int64_t id) override;
  Status set_ntfy_channel(const NtfyChannel& channel) override;
  Status delete_ntfy_channel(core::UserId user) override;
  Status insert_instance_key(std::string_view name, std::string_view value,
                             core::Instant at) override;
  Result<std::int64_t> insert_webhook(const Webhook& hook) override;
  Result<bool> update_webhook(const Webhook& hook) override;
  Result<bool> delete_webhook_by_id(core::UserId user, std::int64_t id) override;
  Status upsert_delivery(const Delivery& delivery) override;
  Result<std::optional<Delivery>> claim_delivery(std::string_view reminder_id,
                                                 std::string_view channel, std::string_view owner,
                                                 core::Instant at, core::Instant until) override;
  Result<bool> finish_delivery(const Delivery& delivery, std::string_view owner) override;
  Result<int> redrive_deliveries(const std::optional<std::pair<std::string, std::string>>& key,
                                 core::Instant at) override;
  Status delete_user_notifier_data(core::UserId user) override;

  // Conversations and their messages (sqlite_tx_conversations.cpp).
  Result<std::vector<Conversation>> conversations(core::UserId user, int limit) override;
  Result<std::optional<Conversation>> conversation(core::UserId user, std::string_view id) override;
  Result<std::vector<ConversationMessage>> conversation_messages(core::UserId user,
                                                                 std::string_view id,
                                                                 int limit) override;
  Status insert_conversation(const Conversation& conversation) override;
  Status append_conversation_turn(core::UserId user, std::string_view id,
                                  const std::vector<ConversationMessage>& messages,
                                  std::string_view state, core::Instant at,
                                  int keep_messages) override;
  Result<bool> delete_conversation(core::UserId user, std::string_view id) override;
  Result<int> trim_conversations(core::UserId user, int keep) override;
  // Personal API tokens (sqlite_tx_tokens.cpp).
  Result<std::vector<ApiToken>> api_tokens(core::UserId user) override;
  Result<std::optional<ApiToken>> api_token_by_hash(std::string_view token_hash) override;
  Result<std::int64_t> count_api_tokens(core::UserId user) override;
  Result<ApiToken> insert_api_token(ApiToken token) override;
  Result<bool> delete_api_token(core::UserId user, std::int64_t id) override;
  Result<std::int64_t> delete_api_tokens(core::UserId user) override;
  Status touch_api_token(std::int64_t id, core::Instant at) override;
  // OAuth clients, codes, grants and tokens (sqlite_tx_oauth.cpp).
  Result<std::optional<OAuthClient>> oauth_client(std::string_view client_id) override;
  Result<std::int64_t> oauth_ungranted_clients() override;
  Result<std::optional<OAuthCode>> oauth_code(std::string_view code_hash) override;
  Result<std::optional<OAuthGrant>> oauth_grant(std::int64_t id) override;
  Result<std::optional<OAuthGrant>> oauth_grant_of(core::UserId user,
                                                   std::string_view client_id) override;
  Result<std::vector<OAuthGrantEntry>> oauth_grants(core::UserId user) override;
  Result<std::optional<OAuthTokenGrant>> oauth_token(std::string_view token_hash) override;
  Status put_oauth_client(const OAuthClient& client) override;
  Status insert_oauth_code(const OAuthCode& code) override;
  Result<bool> use_oauth_code(std::string_view code_hash) override;
  Status cap_oauth_codes(core::UserId user, int keep) override;
  Result<OAuthGrant> grant_oauth(core::UserId user, std::string_view client_id,
                                 std::string_view scopes, core::Instant at) override;
  Result<bool> revoke_oauth_grant(core::UserId user, std::int64_t grant_id,
                                  core::Instant at) override;
  Status touch_oauth_grant(std::int64_t grant_id, core::Instant at) override;
  Status insert_oauth_token(const OAuthToken& token) override;
  Result<bool> rotate_oauth_token(std::string_view token_hash, core::Instant at) override;
  Result<bool> delete_oauth_token(std::string_view token_hash) override;
  Status delete_oauth_family(std::string_view family) override;
  Status cap_oauth_tokens(std::int64_t grant_id, OAuthTokenKind kind, int keep) override;
  Result<int> purge_oauth(core::Instant now, core::Instant stale_before) override;

 private:
  Status insert_tags(const core::Task& task);
  // Runs sql once per statement, with `user` as its one parameter.
  Status delete_for_user(std::initializer_list<const char*> statements, core::UserId user);
  Connection& conn_;
};

// Steps a bound statement to its end and turns each row into a T.
template <class T, class Read>
Result<std::vector<T>> collect(Statement& s, Read read) {
  std::vector<T> out;
  auto st = s.each_row([&](const Statement& row) -> Status {
    out.push_back(read(row));
    return {};
  });
  if (!st) return st.error();
  return out;
}

// The first row of a bound statement as a T, nullopt when there is none.
template <class T, class Read>
Result<std::optional<T>> first(Statement& s, Read read) {
  auto row = s.step();
  if (!row) return row.error();
  if (!*row) return std::optional<T>{};
  return std::optional<T>{read(s)};
}

// The statement `sql`, prepared and bound to `params`, as given, from the first parameter.
template <class... Params>
Result<Statement> bound(Connection& conn, const std::string& sql, const Params&... params) {
  auto s = conn.prepare(sql);
  if (!s) return s.error();
  [[maybe_unused]] Binder b{*s, 1};
  (b.add(params), ...);
  return s;
}

}  // namespace tickler::store::sqlite
