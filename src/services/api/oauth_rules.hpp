#pragma once
// The rules of the OAuth 2.1 authorization server that need neither HTTP nor the store: scopes,
// PKCE (S256 only), redirect URIs (what may be registered, how a request's matches), resource
// indicators (RFC 8707), form bodies and Basic credentials, redirects carrying parameters, and
// the random secrets. Errors are core::Error whose code_name is the OAuth error code
// ("invalid_grant", …) and whose Errc gives the status (400, or 401 for invalid_client).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace tickler::services::api::oauth {

inline constexpr std::string_view k_scope_read = "tasks:read";
inline constexpr std::string_view k_scope_write = "tasks:write";
// Every scope, in the canonical order lists are written in.
inline constexpr std::string_view k_all_scopes = "tasks:read tasks:write";

// An OAuth error: 400 with this code (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 8707 §2).
[[nodiscard]] core::Error error(std::string_view code, std::string description);
// invalid_client: 401.
[[nodiscard]] core::Error client_error(std::string description);

using Scopes = std::vector<std::string>;
// The known scopes of a space-separated list, in canonical order without repeats;
// invalid_scope naming an unknown one. offline_access is accepted and dropped: a refresh token
// comes with every grant of a client that registered the refresh_token grant type.
[[nodiscard]] core::Result<Scopes> parse_scopes(std::string_view text);
[[nodiscard]] std::string join_scopes(const Scopes& scopes);
// The known scopes of a stored list (what parse_scopes accepted earlier), unknown ones dropped.
[[nodiscard]] Scopes scopes_of(std::string_view stored);
[[nodiscard]] Scopes scope_union(const Scopes& a, const Scopes& b);
[[nodiscard]] Scopes scope_intersection(const Scopes& a, const Scopes& b);
[[nodiscard]] bool scopes_within(const Scopes& wanted, const Scopes& allowed);

// PKCE (RFC 7636): a S256 challenge is 43 base64url characters; a verifier 43–128 unreserved
// characters; they match when BASE64URL(SHA-256(verifier)) is the challenge.
[[nodiscard]] bool valid_code_challenge(std::string_view challenge);
[[nodiscard]] bool valid_code_verifier(std::string_view verifier);
[[nodiscard]] bool pkce_matches(std::string_view verifier, std::string_view challenge);

// Why a client may not register this redirect URI; empty when it may: absolute, without a
// fragment or user information, and https, or http on a loopback host (localhost, 127.0.0.1,
// [::1]), or a private-use scheme of a native app (RFC 8252 §7.1: "com.example.app:/cb",
// "cursor://…"); never javascript:, data:, file: and the like.
[[nodiscard]] std::string redirect_uri_problem(std::string_view uri);
// Whether a requested redirect URI is a registered one: the same string, or (RFC 8252 §7.3) an
// http URI on a loopback IP literal that differs from a registered one in its port alone.
[[nodiscard]] bool redirect_uri_matches(std::string_view requested,
                                        const std::vector<std::string>& registered);
// The host of an absolute URI ("" when it has none), lowercased, brackets kept for IPv6.
[[nodiscard]] std::string uri_host(std::string_view uri);
[[nodiscard]] bool is_loopback_host(std::string_view host);

// A resource indicator compared as the MCP authorization spec asks: scheme and host without
// regard to case, a trailing slash ignored; nullopt when it is not an absolute http(s) URI
// without a fragment.
[[nodiscard]] std::optional<std::string> canonical_resource(std::string_view uri);

// `uri` with these parameters added to its query (form-encoded; RFC 6749 §4.1.2).
[[nodiscard]] std::string with_query(
    std::string_view uri, const std::vector<std::pair<std::string, std::string>>& params);
[[nodiscard]] std::string form_encode(std::string_view text);

// An application/x-www-form-urlencoded body; invalid_request for a bad percent-escape or a
// parameter given twice (RFC 6749 §3.1).
using Form = std::vector<std::pair<std::string, std::string>>;
[[nodiscard]] core::Result<Form> parse_form(std::string_view body);
[[nodiscard]] std::optional<std::string> form_value(const Form& form, std::string_view name);
// The client id and secret of an "Authorization: Basic …" header (each form-decoded, RFC 6749
// §2.3.1); nullopt when the header is not a well-formed Basic one.
[[nodiscard]] std::optional<std::pair<std::string, std::string>> basic_credentials(
    std::string_view authorization);

// prefix + 43 base64url characters of 32 random bytes.
[[nodiscard]] std::string random_secret(std::string_view prefix = {});

}  // namespace tickler::services::api::oauth
