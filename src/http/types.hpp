#pragma once
// The HTTP vocabulary shared by the server, the router and the handlers.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/task.hpp"

namespace tickler::http {

namespace net = boost::asio;
namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;

// What a route asks of the caller's credential. open: nothing; any: a valid credential;
// tasks_read / tasks_write: a credential holding that scope; account: the web UI's session only
// (password, account, tokens and grants: a scoped token cannot mint or widen credentials).
enum class Access : std::uint8_t { open, any, tasks_read, tasks_write, account };

// The scopes a credential holds, as bits. A session (the web UI's login JWT) holds all of them;
// a personal API token or an OAuth access token only those it was given.
namespace scope {
inline constexpr std::uint8_t tasks_read = 1;
inline constexpr std::uint8_t tasks_write = 2;
inline constexpr std::uint8_t account = 4;
inline constexpr std::uint8_t all = tasks_read | tasks_write | account;
}  // namespace scope

// Who a request acts for: the user, what the credential may do, and the name the audit trail
// gives the actor ("user:<id>", "token:<name>", "mcp:<client name>", "assistant (<model>)").
struct Principal {
  core::UserId user = 0;
  std::uint8_t scopes = 0;
  std::string actor;
  // The resource an OAuth access token was issued for (RFC 8707); empty: not audience-bound.
  std::string audience;
  [[nodiscard]] bool has(std::uint8_t bits) const { return (scopes & bits) == bits; }
};

// The scope bits a route's access asks for (none for open and any).
[[nodiscard]] constexpr std::uint8_t scopes_of(Access access) {
  switch (access) {
    case Access::tasks_read:
      return scope::tasks_read;
    case Access::tasks_write:
      return scope::tasks_write;
    case Access::account:
      return scope::account;
    default:
      return 0;
  }
}

// A session's principal: every scope, acting as itself.
[[nodiscard]] inline Principal session_principal(core::UserId user) {
  return {user, scope::all, "user:" + std::to_string(user), {}};
}

// Where a streamed response body goes (the server's chunked writer over the connection). A
// handler that answers with a stream (RequestContext::stream) writes its body through it piece by
// piece, as it is produced.
class StreamWriter {
 public:
  virtual ~StreamWriter() = default;
  // Sends the next piece and waits until the connection took it (back-pressure: a client that
  // reads slowly slows the writer; one that stops reading fails the write after the server's
  // write timeout). False once the client is gone: nothing more is sent.
  virtual net::awaitable<bool> write(std::string piece) = 0;
  // Set once the client closed the connection (seen while the body is being produced, not only
  // on the next write) or a write failed. Readable from any thread: a producer hands it to the
  // work it waits on, which stops early when it is set.
  [[nodiscard]] virtual std::shared_ptr<const std::atomic<bool>> gone() const = 0;
};

// Produces a streamed body. Runs after the response's headers were sent, on the connection's
// executor; the request and everything the handler captured must live in the callable.
using StreamBody = std::function<net::awaitable<void>(StreamWriter&)>;

// What a handler gets: the request, the path parameters of its route, the decoded query
// parameters (in order, repeatable), and the principal of an authenticated route (user_id is
// its user).
struct RequestContext {
  Request& request;
  std::map<std::string, std::string> path_params;
  std::vector<std::pair<std::string, std::string>> query;
  std::optional<core::UserId> user_id;
  std::optional<Principal> principal;
  std::string request_id;
  std::string remote_address;
  // Non-null when the response may be streamed (a request from the server's connection, not an
  // in-process invoke): a handler that sets *stream answers only the headers (status 200,
  // Content-Type; no Content-Length) and the server then sends the body the callable writes,
  // chunked.
  StreamBody* stream = nullptr;
};

using Handler = std::function<net::awaitable<Response>(RequestContext&)>;

}  // namespace tickler::http
