#pragma once
// The HTTP side of the OAuth authorization server (oauth_service.hpp): the discovery documents
// (RFC 9728 protected resource metadata of <base>/mcp, RFC 8414 authorization server metadata),
// /oauth/register, /oauth/authorize, /oauth/token, /oauth/revoke with RFC 6749 JSON errors; the
// consent page's routes (/api/oauth/consent) and the user's granted clients
// (/api/oauth/grants); the WWW-Authenticate challenge of /mcp's 401s; and the check of tkl_oat_
// access tokens for the pipeline.
#include "base/offload.hpp"
#include "http/fetch.hpp"
#include "http/router.hpp"
#include "services/api/oauth_service.hpp"

namespace tickler::services::api {

namespace net = boost::asio;

class OAuthRoutes {
 public:
  OAuthRoutes(oauth::OAuthService& oauth, base::Offload& offload)
      : oauth_(oauth), offload_(offload) {}

  void register_routes(http::Router& router);
  // For the pipeline (http::Challenge): on /mcp, where the resource metadata is.
  void challenge(const http::Request& request, std::string_view path,
                 http::Response& response) const;
  // A tkl_oat_ access token as the principal it stands for (audience: the resource).
  net::awaitable<core::Result<http::Principal>> authenticate(std::string_view token);

 private:
  using Ctx = http::RequestContext;
  using Res = http::Response;
  net::awaitable<Res> resource_metadata(Ctx& ctx);
  net::awaitable<Res> server_metadata(Ctx& ctx);
  net::awaitable<Res> register_client(Ctx& ctx);
  net::awaitable<Res> authorize(Ctx& ctx);
  net::awaitable<Res> token(Ctx& ctx);
  net::awaitable<Res> revoke(Ctx& ctx);
  net::awaitable<Res> consent_view(Ctx& ctx);
  net::awaitable<Res> consent(Ctx& ctx);
  net::awaitable<Res> list_grants(Ctx& ctx);
  net::awaitable<Res> delete_grant(Ctx& ctx);

  oauth::OAuthService& oauth_;
  base::Offload& offload_;
};

// The Principal of an OAuth access: its scopes as bits, the client as the audit actor.
[[nodiscard]] http::Principal principal_of(const oauth::OAuthAccess& access);

// Reads clients' metadata documents: an https GET through the destination policy, a 200 only.
[[nodiscard]] oauth::DocumentFetcher metadata_document_fetcher(http::FetchSettings settings,
                                                               http::DestinationPolicy policy);

}  // namespace tickler::services::api
