// tickler dlq deliveries list | redrive: the dead deliveries of reminders (a channel's attempts
// ran out, or it failed for good; services/notifier/channel.hpp), on the embedded SQLite file
// (--data) or the notifier's PostgreSQL tables (--database-url). A redriven delivery is pending
// again with its attempts from zero, keeping its idempotency key (reminder × channel): the
// running notifier attempts it within a second. Plain text for people; exit 1 when the command
// failed, 2 when it was given wrong.
#include <filesystem>
#include <functional>
#include <iostream>

#include "app/bootstrap.hpp"
#include "app/role_process.hpp"
#include "app/roles.hpp"
#include "store/postgres/pg_store.hpp"

namespace tickler::app {
namespace {

std::unique_ptr<store::Store> open_delivery_store(const ToolConfig& config) {
  if (!config.database_url.empty()) {
    auto store =
        store::postgres::PostgresStore::open({config.database_url, 1, store_roles("notifier")});
    if (!store) throw std::runtime_error(store.error().message);
    if (auto applied = (*store)->migrate(); !applied) {
      throw std::runtime_error(applied.error().message);
    }
    return std::move(*store);
  }
  if (!std::filesystem::exists(std::filesystem::path{config.data_dir} / "tickler.db")) {
    throw std::invalid_argument("no Tickler database in " + config.data_dir);
  }
  return open_store(config.data_dir, 1);
}

// A delivery is named <reminder id>/<channel> on the command line.
std::optional<std::pair<std::string, std::string>> parse_key(const std::string& text) {
  const auto slash = text.rfind('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) return std::nullopt;
  return std::pair{text.substr(0, slash), text.substr(slash + 1)};
}

int run(const char* command, const std::function<int(store::Store&)>& body,
        const ToolConfig& config) {
  init_process("warn");
  try {
    auto store = open_delivery_store(config);
    return body(*store);
  } catch (const std::invalid_argument& e) {
    std::cerr << "dlq deliveries " << command << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "dlq deliveries " << command << ": " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

int run_dlq_deliveries_list(const ToolConfig& config) {
  return run(
      "list",
      [](store::Store& store) {
        auto dead = store.read_value([](store::Reader& r) { return r.dead_deliveries(1000); });
        if (!dead) {
          std::cerr << "dlq deliveries list: " << dead.error().message << "\n";
          return 1;
        }
        std::cout << dead->size() << " dead deliver" << (dead->size() == 1 ? "y" : "ies") << "\n";
        for (const auto& d : *dead) {
          std::cout << d.reminder_id << "/" << d.channel << "  user " << d.user_id << "  created "
                    << core::format_rfc3339(d.created_at) << "  attempts " << d.attempts
                    << "\n    error: " << d.last_error.value_or("-") << "\n";
        }
        return 0;
      },
      config);
}

int run_dlq_deliveries_redrive(const ToolConfig& config) {
  std::optional<std::pair<std::string, std::string>> key;
  if (!config.all) {
    key = parse_key(config.delivery);
    if (!key) {
      std::cerr << "dlq deliveries redrive: give a delivery as <reminder id>/<channel> (as "
                   "listed) or --all\n";
      return 2;
    }
  }
  return run(
      "redrive",
      [&](store::Store& store) {
        auto n = store.write_value(
            [&](store::Writer& w) { return w.redrive_deliveries(key, core::now()); });
        if (!n) {
          std::cerr << "dlq deliveries redrive: " << n.error().message << "\n";
          return 1;
        }
        if (key && *n == 0) {
          std::cerr << "dlq deliveries redrive: no dead delivery " << config.delivery << "\n";
          return 1;
        }
        std::cout << "redriven: " << *n
                  << " (the running notifier attempts them within a second)\n";
        return 0;
      },
      config);
}

}  // namespace tickler::app
