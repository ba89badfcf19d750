#include "app/embedded_system.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <filesystem>

namespace tickler::app {
namespace {

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Every route tickler serve answers is described in /api/openapi.json, and the document
// describes no route that does not exist (the WebSocket upgrade aside: it bypasses the router).
TEST(EmbeddedSystem, OpenApiDescribesEveryRouteAndOnlyThose) {
  ASSERT_GE(sodium_init(), 0);
  const auto dir = std::filesystem::temp_directory_path() / "tickler-routes-test";
  std::filesystem::remove_all(dir);
  ServeConfig config;
  config.data_dir = dir.string();
  config.port = 0;
  boost::asio::io_context ioc;
  EmbeddedSystem system{config, ioc};

  const auto doc = boost::json::parse(services::api::openapi_document()).as_object();
  ASSERT_TRUE(doc.at("openapi").as_string().starts_with("3.1"));
  const auto& paths = doc.at("paths").as_object();
  std::set<std::pair<std::string, std::string>> routed;
  for (const auto& route : system.router().routes()) {
    const auto method = lower(http::beast_http::to_string(route.method));
    routed.emplace(route.pattern, method);
    const auto* item = paths.if_contains(route.pattern);
    ASSERT_NE(item, nullptr) << "missing from openapi.json: " << route.pattern;
    EXPECT_TRUE(item->as_object().contains(method))
        << "missing from openapi.json: " << method << " " << route.pattern;
  }
  for (const auto& [path, item] : paths) {
    for (const auto& [method, op] : item.as_object()) {
      if (method == "parameters" || path == "/api/ws") continue;
      EXPECT_TRUE(routed.contains({std::string{path}, std::string{method}}))
          << "openapi.json describes a route that does not exist: " << method << " " << path;
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tickler::app
