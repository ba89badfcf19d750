#pragma once
// How the assistant calls a tool of the registry (wire/tool_registry): by name, with JSON
// arguments, answered with the tool's outcome. PipelineTools runs the tool's REST route
// in-process through the request pipeline as the user's principal, with the assistant as the
// audit actor (the same path as an MCP tools/call); a distributed assistant would run it against
// the api over service invocation instead.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string_view>

#include "http/pipeline.hpp"
#include "http/types.hpp"
#include "wire/tool_calls.hpp"

namespace tickler::services::assistant {

class ToolRunner {
 public:
  virtual ~ToolRunner() = default;
  // An unknown tool or refused arguments come back as an error outcome, never as an exception.
  virtual boost::asio::awaitable<wire::ToolOutcome> call(std::string_view tool,
                                                         const boost::json::object& arguments) = 0;
};

class PipelineTools final : public ToolRunner {
 public:
  // `principal` is the user's, its actor replaced by the assistant's ("assistant (built-in)").
  PipelineTools(const http::Pipeline& pipeline, http::Principal principal, std::string request_id)
      : pipeline_(pipeline), principal_(std::move(principal)), request_id_(std::move(request_id)) {}
  boost::asio::awaitable<wire::ToolOutcome> call(std::string_view tool,
                                                 const boost::json::object& arguments) override;

 private:
  const http::Pipeline& pipeline_;
  http::Principal principal_;
  std::string request_id_;
};

}  // namespace tickler::services::assistant
