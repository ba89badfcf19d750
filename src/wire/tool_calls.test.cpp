#include "wire/tool_calls.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tickler::wire {
namespace {

namespace json = boost::json;

ToolHttpRequest request_of(std::string_view tool, std::string_view arguments) {
  auto r = tool_request(*find_tool(tool), json::parse(arguments).as_object());
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? *r : ToolHttpRequest{};
}

core::Error refusal_of(std::string_view tool, std::string_view arguments) {
  auto r = tool_request(*find_tool(tool), json::parse(arguments).as_object());
  EXPECT_FALSE(r);
  return r ? core::Error{} : r.error();
}

TEST(ToolCalls, AddTaskPostsTheBodyOrTheQuickAddLine) {
  auto r = request_of("add_task", R"({"title":"Pay rent","tags":["home"]})");
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/api/tasks");
  EXPECT_EQ(json::parse(r.body), json::parse(R"({"title":"Pay rent","tags":["home"]})"));
  r = request_of("add_task", R"({"text":"Call mom tomorrow #family","time_zone":"Europe/Berlin"})");
  EXPECT_EQ(json::parse(r.body),
            json::parse(R"({"quick":"Call mom tomorrow #family","time_zone":"Europe/Berlin"})"));
}

TEST(ToolCalls, ListTasksBuildsTheQuery) {
  auto r = request_of("list_tasks", R"({})");
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/api/tasks");
  EXPECT_TRUE(r.body.empty());
  r = request_of("list_tasks",
                 R"({"q":"rent & bills","tag":["home","a b"],"priority":["high"],"limit":5,)"
                 R"("has_due":true,"cursor":null})");
  EXPECT_EQ(
      r.target,
      "/api/tasks?q=rent%20%26%20bills&tag=home&tag=a%20b&priority=high&limit=5&has_due=true");
  EXPECT_EQ(refusal_of("list_tasks", R"({"tag":[["x"]]})").details.at("field"),
            core::Detail{std::string{"tag"}});
  EXPECT_EQ(refusal_of("list_tasks", R"({"q":{"a":1}})").code, core::Errc::validation_failed);
  EXPECT_EQ(refusal_of("list_tasks", R"({"colour":"red"})").details.at("field"),
            core::Detail{std::string{"colour"}});
}

TEST(ToolCalls, IdsFillThePathAndVersionsBecomeIfMatch) {
  auto r = request_of("get_task", R"({"id":42})");
  EXPECT_EQ(r.target, "/api/tasks/42");
  r = request_of("task_history", R"({"id":"7"})");
  EXPECT_EQ(r.target, "/api/tasks/7/history");
  r = request_of("update_task", R"({"id":3,"priority":"low","expected_version":2})");
  EXPECT_EQ(r.method, "PATCH");
  EXPECT_EQ(r.target, "/api/tasks/3");
  EXPECT_EQ(r.if_match, "\"2\"");
  EXPECT_EQ(json::parse(r.body), json::parse(R"({"priority":"low"})"));
  r = request_of("delete_task", R"({"id":3})");
  EXPECT_EQ(r.method, "DELETE");
  EXPECT_EQ(r.target, "/api/tasks/3");
  EXPECT_TRUE(r.if_match.empty());
  r = request_of("complete_task", R"({"id":3})");
  EXPECT_EQ(r.target, "/api/tasks/3/complete");
  EXPECT_EQ(r.body, "{}");
  for (const auto* bad : {R"({})", R"({"id":0})", R"({"id":-1})", R"({"id":1.5})", R"({"id":"01"})",
                          R"({"id":"x"})", R"({"id":18446744073709551615})", R"({"id":true})"}) {
    EXPECT_EQ(refusal_of("get_task", bad).details.at("field"), core::Detail{std::string{"id"}})
        << bad;
  }
  EXPECT_EQ(refusal_of("update_task", R"({"id":1,"expected_version":"v"})").details.at("field"),
            core::Detail{std::string{"expected_version"}});
}

TEST(ToolCalls, OutcomesCarryTheAnswerOrTheError) {
  const auto* get = find_tool("get_task");
  auto ok = tool_outcome(*get, {}, 200, R"({"id":1,"title":"x"})");
  EXPECT_FALSE(ok.is_error);
  EXPECT_EQ(ok.structured.at("title"), "x");
  EXPECT_EQ(json::parse(ok.text), json::value(ok.structured));

  auto missing = tool_outcome(
      *get, {}, 404, R"({"error":{"code":"not_found","message":"no such task","details":{}}})");
  EXPECT_TRUE(missing.is_error);
  EXPECT_EQ(missing.text, "not_found: no such task");
  EXPECT_EQ(missing.structured.at("error").at("code"), "not_found");

  auto invalid = tool_outcome(
      *get, {}, 422,
      R"({"error":{"code":"validation_failed","message":"title: empty","details":{"field":"title"}}})");
  EXPECT_EQ(invalid.text, R"(validation_failed: title: empty {"field":"title"})");

  auto garbage = tool_outcome(*get, {}, 502, "<html>");
  EXPECT_TRUE(garbage.is_error);
  EXPECT_EQ(garbage.structured.at("error").at("code"), "internal");
  EXPECT_TRUE(tool_outcome(*get, {}, 200, "[1]").is_error);

  auto deleted =
      tool_outcome(*find_tool("delete_task"), json::parse(R"({"id":9})").as_object(), 204, "");
  EXPECT_FALSE(deleted.is_error);
  EXPECT_EQ(json::value(deleted.structured), json::parse(R"({"deleted":true,"id":9})"));

  auto refused = tool_error(core::field_error("id", "must be a positive integer"));
  EXPECT_TRUE(refused.is_error);
  EXPECT_EQ(refused.text, "validation_failed: id: must be a positive integer");
  EXPECT_EQ(refused.structured.at("error").at("details").at("field"), "id");
}

}  // namespace
}  // namespace tickler::wire
