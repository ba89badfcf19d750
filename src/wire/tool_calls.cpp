#include "wire/tool_calls.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace tickler::wire {
namespace {

namespace json = boost::json;

core::Error argument_error(std::string_view name, std::string problem) {
  return core::field_error(std::string{name}, std::move(problem));
}

// A path argument ({id}): a positive integer, or its digits as a string.
core::Result<std::string> path_value(std::string_view name, const json::value* v) {
  if (!v) return argument_error(name, "is required");
  if (v->is_int64() && v->as_int64() > 0) return std::to_string(v->as_int64());
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return std::to_string(v->as_uint64());
  }
  if (const auto* s = v->if_string()) {
    const bool digits =
        !s->empty() && s->size() <= 18 && s->front() != '0' &&
        std::all_of(s->begin(), s->end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) return std::string{*s};
  }
  return argument_error(name, "must be a positive integer");
}

void percent_encode(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
}

// A query argument's value as text: strings as they are, integers in decimal, booleans as
// true/false (what the listing's "true"/"false" parameters expect).
core::Result<std::string> scalar_text(std::string_view name, const json::value& v) {
  if (const auto* s = v.if_string()) return std::string{*s};
  if (v.is_int64()) return std::to_string(v.as_int64());
  if (v.is_uint64()) return std::to_string(v.as_uint64());
  if (v.is_bool()) return std::string{v.as_bool() ? "true" : "false"};
  return argument_error(name, "must be a string, an integer or a boolean");
}

core::Status append_query(std::string& target, bool& first, std::string_view name,
                          const json::value& v) {
  const auto add = [&](const json::value& item) -> core::Status {
    auto text = scalar_text(name, item);
    if (!text) return text.error();
    target += first ? '?' : '&';
    first = false;
    percent_encode(target, name);
    target += '=';
    percent_encode(target, *text);
    return {};
  };
  if (v.is_null()) return {};
  if (const auto* items = v.if_array()) {
    for (const auto& item : *items) {
      if (item.is_array() || item.is_object())
        return argument_error(name, "must be a list of values");
      if (auto st = add(item); !st) return st;
    }
    return {};
  }
  return add(v);
}

std::string code_of(const json::object& error) {
  const auto* code = error.if_contains("code");
  return code && code->is_string() ? std::string{code->as_string()} : std::string{"error"};
}

}  // namespace

core::Result<ToolHttpRequest> tool_request(const ToolDefinition& tool,
                                           const json::object& arguments) {
  const auto* properties = tool.input_schema.if_contains("properties");
  for (const auto& [key, value] : arguments) {
    if (!properties || !properties->is_object() || !properties->as_object().contains(key)) {
      return argument_error(key, "is not an argument of " + tool.name);
    }
  }
  ToolHttpRequest out{tool.method, {}, {}, {}};
  json::object rest = arguments;
  // The path, its {name} segments filled from the arguments of that name.
  std::string_view path = tool.path;
  while (!path.empty()) {
    const auto open = path.find('{');
    out.target += path.substr(0, open);
    if (open == std::string_view::npos) break;
    const auto close = path.find('}', open);
    const auto name = path.substr(open + 1, close - open - 1);
    auto value = path_value(name, rest.if_contains(name));
    if (!value) return value.error();
    out.target += *value;
    rest.erase(name);
    path.remove_prefix(close + 1);
  }
  if (!tool.if_match.empty()) {
    if (const auto* version = rest.if_contains(tool.if_match); version && !version->is_null()) {
      auto text = path_value(tool.if_match, version);
      if (!text) return text.error();
      out.if_match = "\"" + *text + "\"";
    }
    rest.erase(tool.if_match);
  }
  if (out.method == "GET" || out.method == "DELETE") {
    bool first = true;
    for (const auto& [key, value] : rest) {
      if (auto st = append_query(out.target, first, key, value); !st) return st.error();
    }
    return out;
  }
  json::object body;
  for (const auto& [key, value] : rest) {
    const auto* renamed = tool.body_names.if_contains(key);
    const std::string_view member = renamed && renamed->is_string()
                                        ? std::string_view{renamed->as_string()}
                                        : std::string_view{key};
    body[member] = value;
  }
  out.body = json::serialize(body);
  return out;
}

ToolOutcome tool_outcome(const ToolDefinition& tool, const json::object& arguments, unsigned status,
                         std::string_view body) {
  ToolOutcome out;
  json::value parsed;
  boost::system::error_code ec;
  if (!body.empty()) parsed = json::parse(body, ec);
  if (status >= 200 && status < 300) {
    if (body.empty() && status == 204) {
      out.structured = tool.no_content;
      // The answer of a 204 names what it acted on: the path's arguments.
      for (std::string_view path = tool.path; path.find('{') != std::string_view::npos;) {
        const auto open = path.find('{');
        const auto close = path.find('}', open);
        const auto name = path.substr(open + 1, close - open - 1);
        if (auto v = path_value(name, arguments.if_contains(name))) {
          out.structured[name] = std::stoll(*v);
        }
        path.remove_prefix(close + 1);
      }
    } else if (!ec && parsed.is_object()) {
      out.structured = std::move(parsed.as_object());
    } else {
      return tool_error(
          core::make_error(core::Errc::internal, "the route answered no JSON object"));
    }
    out.text = json::serialize(out.structured);
    return out;
  }
  const auto* envelope =
      !ec && parsed.is_object() ? parsed.as_object().if_contains("error") : nullptr;
  if (envelope && envelope->is_object()) {
    const auto& error = envelope->as_object();
    const auto* message = error.if_contains("message");
    out.is_error = true;
    out.text = code_of(error) + ": " +
               (message && message->is_string() ? std::string{message->as_string()} : "");
    const auto* details = error.if_contains("details");
    if (details && details->is_object() && !details->as_object().empty()) {
      out.text += " " + json::serialize(*details);
    }
    out.structured = std::move(parsed.as_object());
    return out;
  }
  return tool_error(core::make_error(status >= 500 ? core::Errc::internal : core::Errc::not_found,
                                     "the route answered HTTP " + std::to_string(status)));
}

ToolOutcome tool_error(const core::Error& error) {
  const std::string code =
      error.code_name.empty() ? std::string{core::default_code_name(error.code)} : error.code_name;
  json::object details;
  for (const auto& [key, value] : error.details) {
    std::visit([&, &k = key](const auto& v) { details[k] = v; }, value);
  }
  ToolOutcome out;
  out.is_error = true;
  out.text = code + ": " + error.message;
  out.structured = {{"error", {{"code", code}, {"message", error.message}, {"details", details}}}};
  return out;
}

}  // namespace tickler::wire
