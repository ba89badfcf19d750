#pragma once
// What the authorization server knows of a client, and where it comes from: a dynamic
// registration request (RFC 7591) or a client ID metadata document (an https URL as client_id,
// draft-ietf-oauth-client-id-metadata-document). Both are validated into ClientMetadata, which
// is stored as JSON (store::OAuthClient::metadata) and answered to a registration.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "services/api/oauth_rules.hpp"

namespace tickler::services::api::oauth {

struct ClientMetadata {
  std::string client_name;
  std::vector<std::string> redirect_uris;
  std::string token_endpoint_auth_method = "client_secret_basic";  // none | client_secret_*
  std::vector<std::string> grant_types{"authorization_code"};
  Scopes scopes;  // the scopes it registered; empty: any
  std::string client_uri;
  std::string logo_uri;
  std::string tos_uri;
  std::string policy_uri;
  std::string software_id;
  std::string software_version;
  std::string application_type;
  std::vector<std::string> contacts;

  [[nodiscard]] bool is_public() const { return token_endpoint_auth_method == "none"; }
  [[nodiscard]] bool may_refresh() const;
};

// A registration request's metadata: invalid_redirect_uri or invalid_client_metadata naming
// what is wrong. Omitted: token_endpoint_auth_method client_secret_basic, grant_types
// authorization_code, response_types code (RFC 7591 §2). Members it does not know are ignored.
[[nodiscard]] core::Result<ClientMetadata> registration_metadata(const boost::json::object& body);

// Whether a client_id is a metadata document's URL: https, a path other than "/", no fragment,
// user information or dot segments.
[[nodiscard]] bool is_metadata_document_url(std::string_view client_id);
// A metadata document fetched from `url`: its client_id must be `url` exactly, it must name the
// client and its redirect URIs, and it may not ask for a shared secret (it is a public
// client); invalid_client otherwise.
[[nodiscard]] core::Result<ClientMetadata> document_metadata(const boost::json::object& document,
                                                             std::string_view url);

// The stored form (and the body of a registration's answer, with the client's credentials).
[[nodiscard]] boost::json::object to_json(const ClientMetadata& metadata);
// The stored form read back (what to_json wrote; lenient about anything else).
[[nodiscard]] ClientMetadata stored_metadata(std::string_view json);
// The name a person is shown: the client's name without control characters, at most 100
// characters, else the host of its metadata document, else "Unnamed app".
[[nodiscard]] std::string display_name(const ClientMetadata& metadata, std::string_view client_id);

}  // namespace tickler::services::api::oauth
