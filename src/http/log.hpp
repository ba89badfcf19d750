#pragma once
// Structured logging: every log line is one JSON object with ts, level, msg and fields, written
// through spdlog (whose pattern the app sets to the bare message).
#include <spdlog/common.h>

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace tickler::http {

void log_json(spdlog::level::level_enum level, std::string_view msg,
              boost::json::object fields = {});

// A request target fit for a log line: the values of the query parameters that carry
// credentials (token, access_token, any case) replaced by [redacted].
[[nodiscard]] std::string redact_target(std::string_view target);

}  // namespace tickler::http
