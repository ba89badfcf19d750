#pragma once
// A GET over https on behalf of someone outside the server (an OAuth client's metadata document,
// client.hpp being http:// only): libcurl, connecting only to addresses the DestinationPolicy
// allows — checked on each address libcurl is about to connect to, so a name that resolves to a
// private address (or is made to, DNS rebinding) is refused — with no proxy, no redirects, and
// bounds on time and size. A POST to a URL a user gave (a webhook): http or https under the same
// policy. Also a POST to an endpoint the operator configured (a language model's API): http or
// https, any address (the operator chose it), the same bounds. https verifies the server's
// certificate against the system CAs and FetchSettings::ca_file. Connections are kept between
// transfers on the same thread, each only for transfers under a policy with the same identity()
// as the one that checked it when it was opened (the operator's endpoints: a class of their own).
// Blocking: run them through base::Offload or on a worker thread.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "http/destination.hpp"

namespace tickler::http {

struct FetchSettings {
  std::chrono::milliseconds timeout{5000};  // the whole exchange
  std::size_t max_bytes = 64 * 1024;        // a longer body fails
  std::string ca_file;                      // extra trusted CAs (PEM); empty: the system's
};

struct FetchResponse {
  unsigned status = 0;
  std::string body;
  std::string content_type;
  std::string retry_after;  // the Retry-After header, as sent (empty: none)
};

using FetchHeaders = std::vector<std::pair<std::string, std::string>>;

// invalid_parameter for a URL that is not https://host…; unavailable when nothing answers in
// time, TLS fails, the body is too large, or every address is refused ("destination refused:
// <why>").
[[nodiscard]] core::Result<FetchResponse> fetch_https(std::string_view url,
                                                      const FetchSettings& settings,
                                                      const DestinationPolicy& policy);

// POSTs `body` (with `headers` besides Accept: application/json) to a user's http(s) URL, to
// addresses `policy` allows only (each address checked as it is connected to; IPv4 and IPv6),
// no proxy, no redirects, bounded like a fetch. The answer whatever its status;
// invalid_parameter for a URL that is not http(s)://host…; unavailable when nothing answers in
// time (code name "timeout"), TLS fails (the certificate is not trusted), the connection fails,
// or every address is refused ("destination refused: <why>").
[[nodiscard]] core::Result<FetchResponse> post_under_policy(std::string_view url,
                                                            const std::string& body,
                                                            const FetchHeaders& headers,
                                                            const FetchSettings& settings,
                                                            const DestinationPolicy& policy);

// POSTs `body` (with `headers` besides Accept: application/json) to an operator-set http(s) URL:
// not under the destination policy, no proxy, no redirects, bounded like a fetch. The answer
// whatever its status; invalid_parameter for a URL that is not http(s)://host…; unavailable when
// nothing answers in time (code name "timeout"), the connection fails or the body is too large.
[[nodiscard]] core::Result<FetchResponse> post_to_operator_endpoint(std::string_view url,
                                                                    const std::string& body,
                                                                    const FetchHeaders& headers,
                                                                    const FetchSettings& settings);

// A streamed POST's answer as it arrives: called on the transfer's thread with each piece of the
// body, the answer's status and Content-Type already known. False stops the transfer.
using FetchPiece =
    std::function<bool(unsigned status, std::string_view content_type, std::string_view piece)>;

// post_to_operator_endpoint for an answer read as it arrives (a language model's Server-Sent
// Events; Accept: text/event-stream, application/json): `on_piece` gets each piece, and the
// whole body is also in the answer (within max_bytes). `stop` is polled while nothing arrives
// (at least once a second) and between pieces: true ends the transfer. Stopped by either:
// unavailable with the code name "cancelled"; otherwise as post_to_operator_endpoint.
[[nodiscard]] core::Result<FetchResponse> post_stream_to_operator_endpoint(
    std::string_view url, const std::string& body, const FetchHeaders& headers,
    const FetchSettings& settings, const FetchPiece& on_piece, const std::function<bool()>& stop);

}  // namespace tickler::http
