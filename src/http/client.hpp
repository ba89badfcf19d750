#pragma once
// A small blocking HTTP/1.1 client for outgoing calls (webhooks): one request per connection,
// with a deadline. http:// only.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace tickler::http {

struct ClientResponse {
  unsigned status = 0;
  std::string body;
};

// unavailable when the URL cannot be reached or answers nothing in time; invalid_parameter for
// a URL that is not absolute http://host[:port]/path.
[[nodiscard]] core::Result<ClientResponse> post(
    std::string_view url, std::string body,
    const std::vector<std::pair<std::string, std::string>>& headers,
    std::chrono::milliseconds timeout);

}  // namespace tickler::http
