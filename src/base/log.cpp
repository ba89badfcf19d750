#include "base/log.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>

#include "base/utc_time.hpp"

namespace tickler::base {

void log_json(spdlog::level::level_enum level, std::string_view msg, boost::json::object fields) {
  if (!spdlog::should_log(level)) return;
  boost::json::object line;
  line.reserve(fields.size() + 3);
  line["ts"] = format_utc(utc_now());
  line["level"] = spdlog::level::to_string_view(level).data();
  line["msg"] = msg;
  for (auto& [k, v] : fields) line[k] = std::move(v);
  spdlog::log(level, "{}", boost::json::serialize(line));
}

}  // namespace tickler::base
