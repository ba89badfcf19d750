// tickler: one binary, one command per role. Parses the command line and hands over to src/app.
#include <CLI/CLI.hpp>

#include "app/role_options.hpp"
#include "app/roles.hpp"

int main(int argc, char** argv) {
  using tickler::app::MigrateConfig;
  using tickler::app::ServeConfig;
  CLI::App cli{"Tickler — an event-driven task manager"};
  cli.require_subcommand(1);

  ServeConfig serve;
  auto* s = cli.add_subcommand("serve", "all-in-one server: SQLite, in-process events, web UI");
  s->add_option("--host", serve.host, "listen address")
      ->envname("TICKLER_HOST")
      ->capture_default_str();
  s->add_option("--port", serve.port, "listen port")
      ->envname("TICKLER_PORT")
      ->capture_default_str();
  s->add_option("--data", serve.data_dir, "data directory")
      ->envname("TICKLER_DATA")
      ->capture_default_str();
  s->add_option("--io-threads", serve.io_threads, "network threads")
      ->envname("TICKLER_IO_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  s->add_option("--db-threads", serve.db_threads, "threads for blocking store work")
      ->envname("TICKLER_DB_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  s->add_option("--cors-origins", serve.cors_origins, "origins allowed by CORS (comma-separated)")
      ->envname("TICKLER_CORS_ORIGINS")
      ->delimiter(',');
  s->add_option("--log-level", serve.log_level, "trace|debug|info|warn|error|off")
      ->envname("TICKLER_LOG_LEVEL")
      ->capture_default_str();
  s->add_option("--token-ttl", serve.token_ttl_seconds, "lifetime of issued tokens, in seconds")
      ->envname("TICKLER_TOKEN_TTL")
      ->check(CLI::Range(60, 30 * 24 * 3600))
      ->capture_default_str();
  s->add_option("--shutdown-grace", serve.shutdown_grace_seconds,
                "seconds in-flight requests get to finish on SIGTERM")
      ->envname("TICKLER_SHUTDOWN_GRACE")
      ->check(CLI::Range(0, 300))
      ->capture_default_str();
  s->add_option("--web-root", serve.web_root,
                "directory of the built web UI (default: build/web beside the binary's build)")
      ->envname("TICKLER_WEB_ROOT");
  tickler::app::add_network_options(*s, serve.network);
  tickler::app::add_account_options(*s, serve.accounts);
  tickler::app::add_retention_options(*s, serve.retention, false);
  tickler::app::add_replay_options(*s, serve.replay);
  tickler::app::add_reminder_window_options(*s, serve.reminders);
  tickler::app::add_delivery_options(*s, serve.delivery);
  tickler::app::add_llm_options(*s, serve.llm);
  tickler::app::add_mail_options(*s, serve.mail);
  tickler::app::add_push_options(*s, serve.push);

  MigrateConfig migrate;
  auto* m = cli.add_subcommand("migrate", "apply schema migrations, then exit");
  m->add_option("--data", migrate.data_dir, "data directory (embedded SQLite)")
      ->envname("TICKLER_DATA")
      ->capture_default_str();
  m->add_option("--role", migrate.role,
                "apply this role's PostgreSQL migrations (api|notifier|auditor|all)");
  m->add_option("--database-url", migrate.database_url, "PostgreSQL URL (with --role)")
      ->envname("TICKLER_DATABASE_URL");

  tickler::app::RoleConfig role;
  std::vector<CLI::App*> role_commands;
  for (const char* name :
       {"api", "notifier", "recurrer", "auditor", "realtime", "frontend", "assistant"}) {
    auto* r = cli.add_subcommand(
        name, std::string{"the "} + name + " service of the distributed mode (beside daprd)");
    tickler::app::add_role_options(*r, role);
    role_commands.push_back(r);
  }

  tickler::app::ToolConfig tool;
  auto* dlq =
      cli.add_subcommand("dlq", "dead letters: events a consumer refused or kept failing on");
  dlq->require_subcommand(1);
  auto* dlq_list = dlq->add_subcommand("list", "list dead letters waiting (--all: also redriven)");
  dlq_list->add_flag("--all", tool.all, "include redriven ones");
  auto* dlq_redrive =
      dlq->add_subcommand("redrive", "deliver dead letters again to their consumer");
  dlq_redrive->add_option("id", tool.id, "dead letter id");
  dlq_redrive->add_flag("--all", tool.all, "every waiting dead letter");
  tickler::app::add_processed_events_retention_option(*dlq_redrive, tool.retention);
  auto* dlq_deliveries = dlq->add_subcommand(
      "deliveries", "dead deliveries of reminders: a channel's attempts ran out or it failed");
  dlq_deliveries->require_subcommand(1);
  auto* deliveries_list = dlq_deliveries->add_subcommand("list", "list dead deliveries");
  auto* deliveries_redrive = dlq_deliveries->add_subcommand(
      "redrive", "attempt dead deliveries again (pending, attempts from zero, same key)");
  deliveries_redrive->add_option("delivery", tool.delivery,
                                 "<reminder id>/<channel>, as tickler dlq deliveries list shows");
  deliveries_redrive->add_flag("--all", tool.all, "every dead delivery");
  for (auto* c : {deliveries_list, deliveries_redrive}) {
    c->add_option("--database-url", tool.database_url,
                  "PostgreSQL URL of the notifier's tables (instead of --data)")
        ->envname("TICKLER_DATABASE_URL");
  }
  auto* audit = cli.add_subcommand("audit", "the audit trail");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "check every hash chain; exit 1 if tampered");
  for (auto* c : {dlq_list, dlq_redrive, deliveries_list, deliveries_redrive, verify}) {
    c->add_option("--data", tool.data_dir, "data directory")
        ->envname("TICKLER_DATA")
        ->capture_default_str();
  }

  auto* user = cli.add_subcommand(
      "user",
      "accounts, on the embedded SQLite file (--data) or the api's PostgreSQL tables "
      "(--database-url); changes reach a running server within a second");
  user->require_subcommand(1);
  std::vector<CLI::App*> user_commands{
      user->add_subcommand("list", "list every account (id, email, name, created, state)"),
      user->add_subcommand("invite", "print a one-time sign-up code (for --signup invite)"),
      user->add_subcommand("disable", "refuse the account's logins and revoke its tokens"),
      user->add_subcommand("enable", "let a disabled account log in again"),
      user->add_subcommand(
          "delete", "delete the account and all its data (tasks, reminders, notifications, …)"),
      user->add_subcommand("reset-password",
                           "set a new password (printed when generated) and revoke every token")};
  for (auto* c : user_commands) {
    c->add_option("--data", tool.data_dir, "data directory (embedded SQLite)")
        ->envname("TICKLER_DATA")
        ->capture_default_str();
    c->add_option("--database-url", tool.database_url,
                  "PostgreSQL URL of the api's tables (instead of --data)")
        ->envname("TICKLER_DATABASE_URL");
    const auto name = c->get_name();
    if (name == "invite") {
      c->add_option("--expires-in-days", tool.expires_in_days, "days the code stays valid")
          ->check(CLI::Range(1, 365))
          ->capture_default_str();
    } else if (name != "list") {
      c->add_option("user", tool.who, "user id or email")->required();
    }
    if (name == "reset-password") {
      c->add_option("--password", tool.password, "the new password (default: generate one)")
          ->envname("TICKLER_NEW_PASSWORD");
    }
  }

  CLI11_PARSE(cli, argc, argv);
  for (auto* c : user_commands) {
    if (c->parsed()) return tickler::app::run_user_command(c->get_name(), tool);
  }
  if (s->parsed()) return tickler::app::run_serve(serve);
  for (auto* r : role_commands) {
    if (r->parsed()) {
      role.role = r->get_name();
      return tickler::app::run_role(role);
    }
  }
  if (dlq_list->parsed()) return tickler::app::run_dlq_list(tool);
  if (dlq_redrive->parsed()) return tickler::app::run_dlq_redrive(tool);
  if (deliveries_list->parsed()) return tickler::app::run_dlq_deliveries_list(tool);
  if (deliveries_redrive->parsed()) return tickler::app::run_dlq_deliveries_redrive(tool);
  if (verify->parsed()) return tickler::app::run_audit_verify(tool);
  return tickler::app::run_migrate(migrate);
}
