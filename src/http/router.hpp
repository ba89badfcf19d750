#pragma once
// Maps (method, path) to a handler. Patterns are literal segments and {name} parameters, e.g.
// "/api/tasks/{id}"; a route's pattern is also its name in metrics and logs.
#include <string>
#include <string_view>
#include <vector>

#include "http/types.hpp"

namespace tickler::http {

// The request bodies a route takes: JSON, or also application/x-www-form-urlencoded (the
// OAuth token endpoint's).
enum class Body : std::uint8_t { json, json_or_form };

struct Route {
  beast_http::verb method;
  std::string pattern;
  Access access = Access::account;
  Handler handler;
  Body body = Body::json;
};

struct RouteMatch {
  const Route* route = nullptr;               // null: no route for this method
  std::map<std::string, std::string> params;  // from {name} segments
  std::vector<beast_http::verb> allowed;      // methods of the path, when route is null
  bool path_known = false;
};

class Router {
 public:
  void add(beast_http::verb method, std::string pattern, Access access, Handler handler,
           Body body = Body::json);
  // path is the decoded path, without query.
  [[nodiscard]] RouteMatch match(beast_http::verb method, std::string_view path) const;
  [[nodiscard]] const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace tickler::http
