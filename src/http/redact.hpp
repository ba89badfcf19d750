#pragma once
// Request targets fit for a log line.
#include <string>
#include <string_view>

namespace tickler::http {

// The values of the query parameters that carry credentials (token, access_token, any case)
// replaced by [redacted].
[[nodiscard]] std::string redact_target(std::string_view target);

}  // namespace tickler::http
