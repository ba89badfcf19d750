#pragma once
// Structured logging: every log line is one JSON object with ts, level, msg and fields, written
// through spdlog (whose pattern the app sets to the bare message).
#include <spdlog/common.h>

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace tickler::base {

void log_json(spdlog::level::level_enum level, std::string_view msg,
              boost::json::object fields = {});

}  // namespace tickler::base
