#pragma once
// The request pipeline every request goes through, around the router: request id, CORS,
// content-type check, authentication, the handler, security headers, metrics and the JSON access
// log line. Exceptions from handlers become a logged 500, never a crash.
#include <set>
#include <string>

#include "core/result.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace tickler::http {

// Verifies a bearer token and answers whom it stands for (unauthorized when it stands for no
// one). The token stays valid until the awaitable completes.
using Authenticator =
    std::function<net::awaitable<core::Result<Principal>>(std::string_view token)>;

// Adds to a 401 or 403 the pipeline answers for a credential (none, refused, or short of the
// route's scope) what the resource asks of a client next: e.g. the WWW-Authenticate
// resource_metadata of RFC 9728 on an OAuth-protected path.
using Challenge =
    std::function<void(const Request& request, std::string_view path, Response& response)>;

// Looks at an authenticated request and may name another audit actor for it (the distributed
// api: the assistant role's calls name the assistant); it must trust only what a browser cannot
// send.
using ActorOverride = std::function<void(const Request& request, Principal& principal)>;

struct PipelineSettings {
  std::set<std::string> cors_origins;  // exact origins, e.g. "http://localhost:5173"
};

class Pipeline {
 public:
  Pipeline(PipelineSettings settings, const Router& router, Metrics& metrics,
           Authenticator authenticate)
      : settings_(std::move(settings)),
        router_(router),
        metrics_(metrics),
        authenticate_(std::move(authenticate)) {}

  // `stream`: where a handler may put a streamed body (RequestContext::stream); null: none may.
  net::awaitable<Response> handle(Request& request, const std::string& remote_address,
                                  StreamBody* stream = nullptr);
  // Runs a request through the router as `principal`, in-process (a tool running a REST route):
  // no bearer token is read, but the route's Access is still enforced; metrics and the access
  // log as for any request. The request must outlive the awaitable.
  net::awaitable<Response> invoke(Request& request, const Principal& principal) const;
  // Answers GET and HEAD requests outside /api/ that no route knows (the web UI). Set it before
  // the server starts.
  void set_fallback(Handler fallback) { fallback_ = std::move(fallback); }
  // Set it before the server starts.
  void set_challenge(Challenge challenge) { challenge_ = std::move(challenge); }
  // Set it before the server starts.
  void set_actor_override(ActorOverride actor) { actor_override_ = std::move(actor); }
  // For requests the server rejects before the pipeline (oversize, unparsable): the same headers.
  void finish(const Request* request, Response& response, std::string_view request_id) const;

 private:
  net::awaitable<Response> run(Request& request, std::string remote_address,
                               std::optional<Principal> given, StreamBody* stream) const;
  net::awaitable<Response> dispatch(RequestContext& ctx, std::string& route_name,
                                    const Principal* given) const;
  [[nodiscard]] Response challenged(const Request& request, std::string_view path,
                                    Response res) const;
  PipelineSettings settings_;
  const Router& router_;
  Metrics& metrics_;
  Authenticator authenticate_;
  Handler fallback_;
  Challenge challenge_;
  ActorOverride actor_override_;
};

// Whether a request to `path` is within `audience`, the resource URL a token was issued for:
// its path, or below it ("https://h/mcp" covers /mcp and /mcp/…).
[[nodiscard]] bool within_audience(std::string_view audience, std::string_view path);

// The trace id of a W3C traceparent header ("00-<32 hex>-<16 hex>-<2 hex>", as Dapr sends it),
// or empty when the header is absent or malformed (or the all-zero invalid id).
[[nodiscard]] std::string trace_id_of(std::string_view traceparent);

// The caller's X-Request-Id if it is 1–128 chars of [A-Za-z0-9._-], else a new random one.
[[nodiscard]] std::string request_id_for(std::string_view given);

}  // namespace tickler::http
