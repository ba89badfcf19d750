#include "app/assistant_actor.hpp"

#include <gtest/gtest.h>

namespace tickler::app {
namespace {

http::Request tool_call(std::string_view app_token, std::string_view caller,
                        std::string_view actor) {
  http::Request req{http::beast_http::verb::post, "/api/tasks", 11};
  if (!app_token.empty()) req.set("dapr-api-token", app_token);
  if (!caller.empty()) req.set("dapr-caller-app-id", caller);
  if (!actor.empty()) req.set("X-Tickler-Actor", actor);
  return req;
}

std::string actor_after(const http::ActorOverride& override_actor, const http::Request& req,
                        std::string audience = {}) {
  http::Principal p{7, http::scope::all, "user:7", std::move(audience)};
  override_actor(req, p);
  return p.actor;
}

TEST(AssistantActor, AcceptsWellFormedActorsOnly) {
  EXPECT_TRUE(is_assistant_actor("assistant (built-in)"));
  EXPECT_TRUE(is_assistant_actor("assistant (llama3.1:8b)"));
  EXPECT_FALSE(is_assistant_actor("assistant ()"));
  EXPECT_FALSE(is_assistant_actor("user:7"));
  EXPECT_FALSE(is_assistant_actor("assistant (a) (b)"));
  EXPECT_FALSE(is_assistant_actor("assistant (a\nb)"));
  EXPECT_FALSE(is_assistant_actor("assistant (" + std::string(65, 'm') + ")"));
}

TEST(AssistantActor, NamedByTheAssistantThroughTheSidecar) {
  const auto o = assistant_actor_override("app-token", "tickler-assistant");
  EXPECT_EQ(actor_after(o, tool_call("app-token", "tickler-assistant", "assistant (built-in)")),
            "assistant (built-in)");
}

TEST(AssistantActor, IgnoredFromAnyoneElse) {
  const auto o = assistant_actor_override("app-token", "tickler-assistant");
  // A browser: no app token (straight to the api) or another caller (through the frontend).
  EXPECT_EQ(actor_after(o, tool_call("", "tickler-assistant", "assistant (built-in)")), "user:7");
  EXPECT_EQ(actor_after(o, tool_call("wrong", "tickler-assistant", "assistant (built-in)")),
            "user:7");
  EXPECT_EQ(actor_after(o, tool_call("app-token", "tickler-frontend", "assistant (built-in)")),
            "user:7");
  EXPECT_EQ(actor_after(o, tool_call("app-token", "tickler-assistant", "mcp:Evil")), "user:7");
  // An OAuth (audience-bound) credential keeps its client's name.
  EXPECT_EQ(actor_after(o, tool_call("app-token", "tickler-assistant", "assistant (built-in)"),
                        "https://t.example/mcp"),
            "user:7");
  // Without an app token nothing proves a request came through the sidecar.
  const auto open = assistant_actor_override("", "tickler-assistant");
  EXPECT_EQ(actor_after(open, tool_call("", "tickler-assistant", "assistant (built-in)")),
            "user:7");
}

}  // namespace
}  // namespace tickler::app
