#pragma once
// The task tools an agent may call, defined once in tools.json (embedded at build) and served by
// the MCP server and the chat assistant. Each tool names the REST route it runs; its input and
// output JSON Schemas are those of the REST contract (openapi.json, also embedded), inlined at
// load so every schema is self-contained. tool_definitions() loads them on first use.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace tickler::wire {

struct ToolDefinition {
  std::string name;
  std::string title;
  std::string description;
  boost::json::object annotations;   // readOnlyHint, destructiveHint, idempotentHint, openWorldHint
  boost::json::object input_schema;  // JSON Schema 2020-12, no $ref
  boost::json::object output_schema;  // the structured result of a successful call
  // The REST route it runs: method and path ("/api/tasks/{id}"; {name} is an argument).
  std::string method;
  std::string path;
  boost::json::object body_names;  // argument → body member, where they differ
  std::string if_match;            // the argument sent as If-Match (empty: none)
  boost::json::object no_content;  // the structured result of a 204 (plus the path arguments)

  [[nodiscard]] bool read_only() const;
};

// Every tool, in the document's order. The embedded documents are part of the binary, so a
// malformed one is a bug: the first call throws std::logic_error naming the problem.
[[nodiscard]] const std::vector<ToolDefinition>& tool_definitions();
// The tool of that name, or null.
[[nodiscard]] const ToolDefinition* find_tool(std::string_view name);

// Loads tools from a tools document and the OpenAPI document its $refs point into (tests).
[[nodiscard]] std::vector<ToolDefinition> load_tools(std::string_view tools_json,
                                                     std::string_view openapi_json);

// The embedded OpenAPI document (services/api/openapi.json), served at /api/openapi.json.
[[nodiscard]] std::string_view openapi_document();

}  // namespace tickler::wire
