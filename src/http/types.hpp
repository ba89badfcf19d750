#pragma once
// The HTTP vocabulary shared by the server, the router and the handlers.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "core/task.hpp"

namespace tickler::http {

namespace net = boost::asio;
namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;

// What a handler gets: the request, the path parameters of its route, the decoded query
// parameters (in order, repeatable), and the authenticated user of an authenticated route.
struct RequestContext {
  Request& request;
  std::map<std::string, std::string> path_params;
  std::vector<std::pair<std::string, std::string>> query;
  std::optional<core::UserId> user_id;
  std::string request_id;
  std::string remote_address;
};

using Handler = std::function<net::awaitable<Response>(RequestContext&)>;

}  // namespace tickler::http
