#pragma once
// A small blocking HTTP/1.1 client for outgoing calls on behalf of users (webhooks): one request
// per connection, with a deadline, connecting only to addresses the DestinationPolicy allows.
// Redirects are not followed. http:// only.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "http/destination.hpp"

namespace tickler::http {

struct ClientResponse {
  unsigned status = 0;
  std::string body;
};

// unavailable when the URL cannot be reached, answers nothing in time, or its host resolves only
// to addresses the policy refuses ("destination refused: …"); invalid_parameter for a URL that
// is not absolute http://host[:port]/path.
[[nodiscard]] core::Result<ClientResponse> post(
    std::string_view url, std::string body,
    const std::vector<std::pair<std::string, std::string>>& headers,
    std::chrono::milliseconds timeout, const DestinationPolicy& policy);

}  // namespace tickler::http
