#include "services/api/mcp_jsonrpc.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tickler::services::api::mcp {
namespace {

namespace json = boost::json;

TEST(McpJsonRpc, MessagesAreReadStrictly) {
  auto req = parse_message(json::parse(R"({"jsonrpc":"2.0","id":3,"method":"tools/list"})"));
  ASSERT_TRUE(req.message);
  EXPECT_EQ(req.message->kind, RpcMessage::Kind::request);
  EXPECT_EQ(req.message->id, 3);
  EXPECT_TRUE(req.message->params.empty());
  auto note =
      parse_message(json::parse(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"));
  ASSERT_TRUE(note.message);
  EXPECT_EQ(note.message->kind, RpcMessage::Kind::notification);
  auto resp = parse_message(json::parse(R"({"jsonrpc":"2.0","id":"a","result":{}})"));
  ASSERT_TRUE(resp.message);
  EXPECT_EQ(resp.message->kind, RpcMessage::Kind::response);
  for (const auto* bad :
       {R"([])", R"(1)", R"({})", R"({"jsonrpc":"1.0","id":1,"method":"x"})",
        R"({"jsonrpc":"2.0","id":null,"method":"x"})", R"({"jsonrpc":"2.0","id":1.5,"method":"x"})",
        R"({"jsonrpc":"2.0","id":{},"method":"x"})", R"({"jsonrpc":"2.0","id":1,"method":7})",
        R"({"jsonrpc":"2.0","id":1,"method":""})",
        R"({"jsonrpc":"2.0","id":1,"method":"x","params":[1]})", R"({"jsonrpc":"2.0","id":1})"}) {
    auto p = parse_message(json::parse(bad));
    EXPECT_FALSE(p.message) << bad;
    EXPECT_EQ(p.error.code, rpc::invalid_request) << bad;
  }
  // The id of a bad message with a usable id is kept, to answer it.
  EXPECT_EQ(parse_message(json::parse(R"({"jsonrpc":"2.0","id":9,"method":5})")).id, 9);
  EXPECT_EQ(json::value(error_message(9, {rpc::method_not_found, "no", nullptr})),
            json::parse(R"({"jsonrpc":"2.0","id":9,"error":{"code":-32601,"message":"no"}})"));
  EXPECT_EQ(http_status_of(rpc::method_not_found), 404u);
  EXPECT_EQ(http_status_of(rpc::invalid_params), 400u);
  EXPECT_EQ(http_status_of(rpc::internal_error), 200u);
}

}  // namespace
}  // namespace tickler::services::api::mcp
