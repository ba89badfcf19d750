#include "services/api/handler_util.hpp"

#include <charconv>

#include "wire/task_json.hpp"

namespace tickler::services::api {

core::Result<core::TaskId> task_id_param(const http::RequestContext& ctx) {
  const auto it = ctx.path_params.find("id");
  core::TaskId id = 0;
  if (it != ctx.path_params.end()) {
    const auto& s = it->second;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec == std::errc{} && ptr == s.data() + s.size() && id > 0) return id;
  }
  return core::make_error(core::Errc::not_found, "task not found");
}

std::optional<std::int64_t> if_match_version(std::string_view header) {
  auto h = header;
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  while (!h.empty() && h.back() == ' ') h.remove_suffix(1);
  if (h.empty() || h == "*") return std::nullopt;
  if (h.starts_with("W/")) h.remove_prefix(2);
  if (h.size() >= 2 && h.front() == '"' && h.back() == '"') h = h.substr(1, h.size() - 2);
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(h.data(), h.data() + h.size(), v);
  if (ec != std::errc{} || ptr != h.data() + h.size()) return -1;
  return v;
}

std::string etag(std::int64_t version) {
  return "\"" + std::to_string(version) + "\"";
}

http::Response task_response(http::beast_http::status status, const core::Task& task) {
  auto res = http::json_response(status, wire::task_to_json(task));
  res.set(http::beast_http::field::etag, etag(task.version));
  return res;
}

}  // namespace tickler::services::api
