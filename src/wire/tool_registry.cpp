#include "wire/tool_registry.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <stdexcept>

namespace tickler::wire {

const std::vector<std::pair<std::string_view, std::string_view>>& embedded_tool_documents();

namespace {

namespace json = boost::json;

constexpr std::string_view k_openapi_prefix = "openapi.json#";
constexpr int k_max_depth = 32;  // the documents nest far less; a cycle would not end

[[noreturn]] void fail(const std::string& what) {
  throw std::logic_error("tools.json: " + what);
}

std::string_view document(std::string_view name) {
  for (const auto& [file, content] : embedded_tool_documents()) {
    if (file == name) return content;
  }
  fail("no embedded document " + std::string{name});
}

// RFC 6901 JSON pointer ("/components/schemas/Task") into doc.
const json::value& pointee(const json::value& doc, std::string_view pointer) {
  const json::value* at = &doc;
  while (!pointer.empty()) {
    if (pointer.front() != '/') fail("bad pointer " + std::string{pointer});
    pointer.remove_prefix(1);
    const auto end = std::min(pointer.find('/'), pointer.size());
    std::string token{pointer.substr(0, end)};
    pointer.remove_prefix(end);
    for (std::size_t i = 0; (i = token.find('~', i)) != std::string::npos; ++i) {
      token.replace(i, 2, i + 1 < token.size() && token[i + 1] == '1' ? "/" : "~");
    }
    const auto* obj = at->if_object();
    const auto* next = obj ? obj->if_contains(token) : nullptr;
    if (!next) fail("no " + token + " in the referenced document");
    at = next;
  }
  return *at;
}

// Merges over into base: objects member by member, other values replace, null removes.
void merge_over(json::object& base, const json::object& over) {
  for (const auto& [key, value] : over) {
    if (value.is_null()) {
      base.erase(key);
    } else if (value.is_object() && base.contains(key) && base.at(key).is_object()) {
      merge_over(base.at(key).as_object(), value.as_object());
    } else {
      base[key] = value;
    }
  }
}

// value with every $ref replaced by what it points to. In tools.json a $ref points into the
// OpenAPI document ("openapi.json#/..."); inside the OpenAPI document "#/..." does.
json::value inline_refs(const json::value& value, const json::value& openapi, int depth) {
  if (depth > k_max_depth) fail("$ref nesting too deep (a cycle?)");
  if (const auto* arr = value.if_array()) {
    json::array out;
    for (const auto& v : *arr) out.push_back(inline_refs(v, openapi, depth + 1));
    return out;
  }
  const auto* obj = value.if_object();
  if (!obj) return value;
  json::object out;
  if (const auto* ref = obj->if_contains("$ref")) {
    if (!ref->is_string()) fail("$ref must be a string");
    std::string_view target = ref->as_string();
    if (target.starts_with(k_openapi_prefix)) {
      target.remove_prefix(k_openapi_prefix.size());
    } else if (target.starts_with("#")) {
      target.remove_prefix(1);
    } else {
      fail("unsupported $ref " + std::string{target});
    }
    auto resolved = inline_refs(pointee(openapi, target), openapi, depth + 1);
    if (!resolved.is_object()) fail("$ref to a non-schema " + std::string{target});
    out = std::move(resolved.as_object());
  }
  json::object siblings;
  for (const auto& [key, v] : *obj) {
    if (key != "$ref") siblings[key] = inline_refs(v, openapi, depth + 1);
  }
  if (!obj->contains("$ref")) return siblings;
  merge_over(out, siblings);
  return out;
}

std::string text_member(const json::object& o, std::string_view key, std::string_view tool) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string() || v->as_string().empty()) {
    fail(std::string{tool} + ": " + std::string{key} + " must be a non-empty string");
  }
  return std::string{v->as_string()};
}

json::object object_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return {};
  if (!v->is_object()) fail(std::string{key} + " must be an object");
  return v->as_object();
}

ToolDefinition load_tool(const json::object& t, const json::value& openapi) {
  ToolDefinition d;
  d.name = text_member(t, "name", "a tool");
  d.title = text_member(t, "title", d.name);
  d.description = text_member(t, "description", d.name);
  d.annotations = object_member(t, "annotations");
  for (const auto* hint : {"readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"}) {
    if (!d.annotations.contains(hint) || !d.annotations.at(hint).is_bool()) {
      fail(d.name + ": annotations." + hint + " must be a boolean");
    }
  }
  d.annotations["title"] = d.title;
  const auto route = text_member(t, "route", d.name);
  const auto space = route.find(' ');
  if (space == std::string::npos) fail(d.name + ": route must be \"METHOD /path\"");
  d.method = route.substr(0, space);
  d.path = route.substr(space + 1);
  if (t.contains("if_match")) d.if_match = text_member(t, "if_match", d.name);
  d.body_names = object_member(t, "body_names");
  d.no_content = object_member(t, "no_content");
  for (const auto* key : {"input", "output"}) {
    const auto* schema = t.if_contains(key);
    if (!schema || !schema->is_object()) fail(d.name + ": " + key + " must be a schema object");
    auto inlined = inline_refs(*schema, openapi, 0).as_object();
    if (!inlined.contains("type") || inlined.at("type") != "object") {
      fail(d.name + ": " + key + " must be of type object");
    }
    (std::string_view{key} == "input" ? d.input_schema : d.output_schema) = std::move(inlined);
  }
  return d;
}

}  // namespace

bool ToolDefinition::read_only() const {
  const auto* hint = annotations.if_contains("readOnlyHint");
  return hint && hint->is_bool() && hint->as_bool();
}

std::vector<ToolDefinition> load_tools(std::string_view tools_json, std::string_view openapi_json) {
  json::value tools_doc;
  json::value openapi;
  try {
    tools_doc = json::parse(tools_json);
    openapi = json::parse(openapi_json);
  } catch (const std::exception& e) {
    fail(std::string{"not JSON: "} + e.what());
  }
  const auto* list = tools_doc.is_object() ? tools_doc.as_object().if_contains("tools") : nullptr;
  if (!list || !list->is_array()) fail("no tools array");
  std::vector<ToolDefinition> out;
  for (const auto& t : list->as_array()) {
    if (!t.is_object()) fail("a tool must be an object");
    auto d = load_tool(t.as_object(), openapi);
    if (std::any_of(out.begin(), out.end(), [&](const auto& o) { return o.name == d.name; })) {
      fail("two tools named " + d.name);
    }
    out.push_back(std::move(d));
  }
  return out;
}

const std::vector<ToolDefinition>& tool_definitions() {
  static const std::vector<ToolDefinition> tools =
      load_tools(document("tools.json"), openapi_document());
  return tools;
}

const ToolDefinition* find_tool(std::string_view name) {
  const auto& tools = tool_definitions();
  const auto it =
      std::find_if(tools.begin(), tools.end(), [&](const auto& t) { return t.name == name; });
  return it == tools.end() ? nullptr : &*it;
}

std::string_view openapi_document() {
  return document("openapi.json");
}

}  // namespace tickler::wire
