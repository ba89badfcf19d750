#pragma once
// For tests: a fresh schema in the database TICKLER_TEST_PG_URL names, dropped at the end, and
// PostgresSettings that put a store's tables in it. Tests skip when the variable is not set.
#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>

#include "store/postgres/pg_store.hpp"

namespace tickler::store::postgres {

class TestSchema {
 public:
  [[nodiscard]] static std::optional<std::string> url() {
    const char* url = std::getenv("TICKLER_TEST_PG_URL");
    if (!url || !*url) return std::nullopt;
    return std::string{url};
  }

  explicit TestSchema(std::string url) : url_(std::move(url)) {
    std::random_device random;
    name_ = "t_" + std::to_string(random()) + std::to_string(random());
    const char* keys[] = {"dbname", nullptr};
    const char* values[] = {url_.c_str(), nullptr};
    admin_ = PQconnectdbParams(keys, values, 1);
    if (PQstatus(admin_) != CONNECTION_OK) {
      throw std::runtime_error(std::string{"TICKLER_TEST_PG_URL: "} + PQerrorMessage(admin_));
    }
    PQsetNoticeProcessor(
        admin_, [](void*, const char*) {}, nullptr);
    exec("CREATE SCHEMA " + name_);
    exec("SET search_path TO " + name_);
  }
  TestSchema(const TestSchema&) = delete;
  TestSchema& operator=(const TestSchema&) = delete;
  ~TestSchema() {
    PQclear(PQexec(admin_, ("DROP SCHEMA IF EXISTS " + name_ + " CASCADE").c_str()));
    PQfinish(admin_);
  }

  [[nodiscard]] const std::string& name() const { return name_; }
  // Each store of this schema's connections carry it, so a test can find them.
  [[nodiscard]] std::string application_name() const { return "tickler-test-" + name_; }

  [[nodiscard]] PostgresSettings settings(int pool_size = 2,
                                          std::vector<std::string> roles = {}) const {
    PostgresSettings s;
    s.url = url_;
    s.pool_size = pool_size;
    s.roles = std::move(roles);
    s.schema = name_;
    s.application_name = application_name();
    return s;
  }

  // A connection of the store's kind to this schema (a listing's statements run on one).
  [[nodiscard]] std::unique_ptr<PgConnection> connect() const {
    PgConnection::Options options;
    options.keywords = {{"dbname", url_}};
    options.search_path = quote_identifier(name_);
    auto conn = PgConnection::connect(options);
    if (!conn) throw std::runtime_error("TICKLER_TEST_PG_URL: " + conn.error().message);
    return std::move(*conn);
  }

  // Runs sql on the test's own connection (search_path = the schema); the first row's first
  // column, if any. Throws on failure: a broken test set-up, not a result.
  std::string exec(const std::string& sql) {
    PGresult* res = PQexec(admin_, sql.c_str());
    const auto status = PQresultStatus(res);
    std::string out;
    if (status == PGRES_TUPLES_OK && PQntuples(res) > 0) out = PQgetvalue(res, 0, 0);
    const std::string error = PQresultErrorMessage(res);
    PQclear(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      throw std::runtime_error(sql + ": " + error);
    }
    return out;
  }

  // Ends the server side of every connection of this schema's stores, waiting until each
  // backend is gone; returns how many there were.
  int terminate_store_connections() {
    return std::stoi(
        exec("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM "
             "pg_stat_activity WHERE application_name = '" +
             application_name() + "'"));
  }

 private:
  std::string url_;
  std::string name_;
  PGconn* admin_ = nullptr;
};

}  // namespace tickler::store::postgres
