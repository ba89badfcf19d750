#include "services/api/mcp_transport.hpp"

#include <gtest/gtest.h>

namespace tickler::services::api::mcp {
namespace {

TEST(McpTransport, HeaderValuesDecodeTheirBase64Form) {
  EXPECT_EQ(decode_header_value("add_task"), "add_task");
  EXPECT_EQ(decode_header_value("=?base64?dGlja2xlcjovL3Rhc2tzLzE=?="), "tickler://tasks/1");
  EXPECT_EQ(decode_header_value("=?base64?Y2Fmw6k=?="), "caf\xc3\xa9");
  EXPECT_EQ(decode_header_value("=?base64?***?="), std::nullopt);
}

}  // namespace
}  // namespace tickler::services::api::mcp
