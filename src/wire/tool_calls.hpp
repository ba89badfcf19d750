#pragma once
// A tool call as the REST request it stands for, and the route's answer as the tool's result:
// the one translation between tools and routes, used by the MCP server and the assistant, so a
// tool runs the route's own code (validation, events, audit, isolation) and nothing else.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "wire/tool_registry.hpp"

namespace tickler::wire {

struct ToolHttpRequest {
  std::string method;    // "GET", "POST", "PATCH", "DELETE"
  std::string target;    // path and query, e.g. "/api/tasks?status=pending&tag=home"
  std::string body;      // JSON for POST and PATCH, else empty
  std::string if_match;  // an If-Match value ("\"3\""), or empty
};

// The request a call of `tool` with `arguments` makes. validation_failed naming the argument
// for one the tool does not take, or a path or query argument of a type a URL cannot carry;
// the route checks the rest (values, body members) itself.
[[nodiscard]] core::Result<ToolHttpRequest> tool_request(const ToolDefinition& tool,
                                                         const boost::json::object& arguments);

struct ToolOutcome {
  bool is_error = false;
  // The route's answer (matching the tool's output schema), or its error {"error": {...}}.
  boost::json::object structured;
  std::string text;  // the same for a reader: the JSON, or "code: message"
};

// The result of a call from the route's answer (status and body).
[[nodiscard]] ToolOutcome tool_outcome(const ToolDefinition& tool,
                                       const boost::json::object& arguments, unsigned status,
                                       std::string_view body);
// The result of a call refused before the route ran.
[[nodiscard]] ToolOutcome tool_error(const core::Error& error);

}  // namespace tickler::wire
