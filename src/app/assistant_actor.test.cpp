#include "app/assistant_actor.hpp"

#include <gtest/gtest.h>

namespace tickler::app {
namespace {

const std::string k_secret(40, 's');

http::Request tool_call(std::string_view actor, std::string_view proof,
                        std::string_view authorization = "Bearer user-token") {
  http::Request req{http::beast_http::verb::post, "/api/tasks", 11};
  req.set(http::beast_http::field::authorization, authorization);
  if (!actor.empty()) req.set("X-Tickler-Actor", actor);
  if (!proof.empty()) req.set("X-Tickler-Actor-Proof", proof);
  return req;
}

std::string actor_after(const http::Request& req, std::string audience = {}) {
  http::Principal p{7, http::scope::all, "user:7", std::move(audience)};
  assistant_actor_override(k_secret)(req, p);
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

TEST(AssistantActor, NamedWithTheProofOfTheSecretsHolder) {
  const std::string actor = "assistant (built-in)";
  const auto proof = assistant_actor_proof(k_secret, actor, "Bearer user-token");
  EXPECT_EQ(actor_after(tool_call(actor, proof)), actor);
}

TEST(AssistantActor, IgnoredWithoutAValidProof) {
  const std::string actor = "assistant (built-in)";
  const auto proof = assistant_actor_proof(k_secret, actor, "Bearer user-token");
  EXPECT_EQ(actor_after(tool_call(actor, "")), "user:7");  // a browser: no proof
  EXPECT_EQ(actor_after(tool_call(actor, "forged")), "user:7");
  // A proof is for one actor and one credential.
  EXPECT_EQ(actor_after(tool_call("assistant (other)", proof)), "user:7");
  EXPECT_EQ(actor_after(tool_call(actor, proof, "Bearer another-token")), "user:7");
  EXPECT_EQ(actor_after(tool_call(
                actor, assistant_actor_proof(std::string(40, 'x'), actor, "Bearer user-token"))),
            "user:7");
  // Only assistant actors, and never for an OAuth (audience-bound) credential.
  EXPECT_EQ(actor_after(tool_call(
                "mcp:Evil", assistant_actor_proof(k_secret, "mcp:Evil", "Bearer user-token"))),
            "user:7");
  EXPECT_EQ(actor_after(tool_call(actor, proof), "https://t.example/mcp"), "user:7");
}

}  // namespace
}  // namespace tickler::app
