#pragma once
// Command-line and environment configuration of every role. Only src/app reads configuration;
// everything else gets settings structs.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tickler::app {

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
};

struct MigrateConfig {
  std::string data_dir = "./data";
};

// tickler dlq list | redrive, tickler audit verify: maintenance on a data directory (safe while
// the server runs: SQLite serializes the writes).
struct ToolConfig {
  std::string data_dir = "./data";
  bool all = false;                // dlq list: include redriven; dlq redrive: every one
  std::optional<std::int64_t> id;  // dlq redrive <id>
};

}  // namespace tickler::app
