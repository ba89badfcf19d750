#include "wire/tool_registry.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

namespace tickler::wire {
namespace {

namespace json = boost::json;

bool has_ref(const json::value& v) {
  if (const auto* o = v.if_object()) {
    if (o->contains("$ref")) return true;
    for (const auto& [k, x] : *o) {
      if (has_ref(x)) return true;
    }
  }
  if (const auto* a = v.if_array()) {
    for (const auto& x : *a) {
      if (has_ref(x)) return true;
    }
  }
  return false;
}

std::set<std::string> property_names(const json::object& schema) {
  std::set<std::string> out;
  for (const auto& [k, v] : schema.at("properties").as_object()) out.emplace(k);
  return out;
}

const json::object& openapi() {
  static const json::object doc = json::parse(openapi_document()).as_object();
  return doc;
}

TEST(ToolRegistry, EveryToolIsCompleteAndSelfContained) {
  const std::set<std::string> expected{"add_task",    "list_tasks",        "get_task",
                                       "update_task", "complete_task",     "reopen_task",
                                       "delete_task", "task_history",      "parse_quick_add",
                                       "list_tags",   "list_notifications"};
  std::set<std::string> names;
  for (const auto& t : tool_definitions()) {
    names.insert(t.name);
    EXPECT_FALSE(t.title.empty()) << t.name;
    EXPECT_FALSE(t.description.empty()) << t.name;
    EXPECT_EQ(t.input_schema.at("type"), "object") << t.name;
    EXPECT_EQ(t.output_schema.at("type"), "object") << t.name;
    EXPECT_FALSE(has_ref(t.input_schema)) << t.name;
    EXPECT_FALSE(has_ref(t.output_schema)) << t.name;
    EXPECT_EQ(t.input_schema.at("additionalProperties"), false) << t.name;
    EXPECT_EQ(t.annotations.at("openWorldHint"), false) << t.name;
    EXPECT_EQ(find_tool(t.name), &t);
  }
  EXPECT_EQ(names, expected);
  EXPECT_EQ(find_tool("no_such_tool"), nullptr);
}

// Each tool's route is a route of the REST contract, and its path parameters are arguments.
TEST(ToolRegistry, RoutesAreRoutesOfTheContract) {
  const auto& paths = openapi().at("paths").as_object();
  for (const auto& t : tool_definitions()) {
    ASSERT_TRUE(paths.contains(t.path)) << t.name << " " << t.path;
    std::string method = t.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(paths.at(t.path).as_object().contains(method)) << t.name;
    if (t.path.find("{id}") != std::string::npos) {
      EXPECT_TRUE(property_names(t.input_schema).contains("id")) << t.name;
    }
  }
}

// list_tasks takes exactly the listing's query parameters, with the contract's schemas.
TEST(ToolRegistry, ListTasksTakesTheListingParameters) {
  const auto& components = openapi().at("components").as_object();
  const auto& params = components.at("parameters").as_object();
  std::set<std::string> query;
  for (const auto& p :
       openapi().at("paths").at("/api/tasks").at("get").at("parameters").as_array()) {
    std::string_view ref = p.at("$ref").as_string();
    const auto& param = params.at(ref.substr(ref.rfind('/') + 1)).as_object();
    if (param.at("in") == "query") query.emplace(param.at("name").as_string());
  }
  const auto* list = find_tool("list_tasks");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(property_names(list->input_schema), query);
  EXPECT_EQ(list->input_schema.at("properties").at("limit").at("maximum"), 200);
  EXPECT_EQ(list->input_schema.at("properties").at("sort").at("enum"),
            json::parse(R"(["due","priority","title","created"])"));
}

// add_task takes every member of the contract's task body, plus the quick-add line as `text`;
// its output is the contract's Task.
TEST(ToolRegistry, AddTaskTakesTheTaskBodyOrAQuickAddLine) {
  const auto& schemas = openapi().at("components").at("schemas").as_object();
  const auto* add = find_tool("add_task");
  ASSERT_NE(add, nullptr);
  auto expected = property_names(schemas.at("TaskCreate").as_object());
  expected.insert("text");
  EXPECT_EQ(property_names(add->input_schema), expected);
  EXPECT_FALSE(add->input_schema.contains("required"));
  EXPECT_EQ(add->input_schema.at("properties").at("text").at("maxLength"), 500);
  EXPECT_EQ(add->body_names.at("text"), "quick");
  EXPECT_EQ(property_names(add->output_schema), property_names(schemas.at("Task").as_object()));
  EXPECT_EQ(add->output_schema.at("required"), schemas.at("Task").at("required"));
  // Inlined: the priority of the output is the contract's Priority enum itself.
  EXPECT_EQ(add->output_schema.at("properties").at("priority").at("enum"),
            schemas.at("Priority").at("enum"));
}

TEST(ToolRegistry, AnnotationsTellReadsFromWrites) {
  for (const auto* name : {"list_tasks", "get_task", "task_history", "parse_quick_add", "list_tags",
                           "list_notifications"}) {
    EXPECT_TRUE(find_tool(name)->read_only()) << name;
  }
  for (const auto* name :
       {"add_task", "update_task", "complete_task", "reopen_task", "delete_task"}) {
    EXPECT_FALSE(find_tool(name)->read_only()) << name;
  }
  EXPECT_EQ(find_tool("delete_task")->annotations.at("destructiveHint"), true);
  EXPECT_EQ(find_tool("add_task")->annotations.at("destructiveHint"), false);
  EXPECT_EQ(find_tool("add_task")->annotations.at("idempotentHint"), false);
  EXPECT_EQ(find_tool("add_task")->annotations.at("title"), "Add a task");
}

TEST(ToolRegistry, LoaderMergesRefSiblingsAndRefusesBadDocuments) {
  const std::string api =
      R"({"components":{"schemas":{"A":{"type":"object","required":["x"],"properties":{"x":{"type":"string"}},"examples":[1]}}}})";
  const auto tool = [](const std::string& input) {
    return R"({"tools":[{"name":"t","title":"T","description":"d","route":"GET /a",)"
           R"("annotations":{"readOnlyHint":true,"destructiveHint":false,"idempotentHint":true,"openWorldHint":false},)"
           R"("input":)" +
           input + R"(,"output":{"type":"object","default":null}}]})";
  };
  auto tools = load_tools(
      tool(
          R"({"$ref":"openapi.json#/components/schemas/A","required":null,"examples":null,"properties":{"y":{"type":"integer"}}})"),
      api);
  ASSERT_EQ(tools.size(), 1u);
  EXPECT_EQ(
      tools[0].input_schema,
      json::parse(
          R"({"type":"object","properties":{"x":{"type":"string"},"y":{"type":"integer"}}})"));
  // Without a $ref, null is a value like any other.
  EXPECT_EQ(tools[0].output_schema, json::parse(R"({"type":"object","default":null})"));
  EXPECT_THROW((void)load_tools(tool(R"({"$ref":"openapi.json#/components/schemas/B"})"), api),
               std::logic_error);
  EXPECT_THROW((void)load_tools(tool(R"({"$ref":"http://elsewhere/x"})"), api), std::logic_error);
  EXPECT_THROW((void)load_tools(tool(R"({"type":"string"})"), api), std::logic_error);
  EXPECT_THROW((void)load_tools("[]", api), std::logic_error);
  const std::string cyclic =
      R"({"components":{"schemas":{"A":{"$ref":"#/components/schemas/A"}}}})";
  EXPECT_THROW((void)load_tools(tool(R"({"$ref":"openapi.json#/components/schemas/A"})"), cyclic),
               std::logic_error);
}

}  // namespace
}  // namespace tickler::wire
