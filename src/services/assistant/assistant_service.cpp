#include "services/assistant/assistant_service.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <random>

#include "core/validation.hpp"
#include "http/json_fields.hpp"
#include "http/response.hpp"
#include "services/assistant/agent_loop.hpp"
#include "services/assistant/built_in.hpp"
#include "services/assistant/chat_stream.hpp"

namespace tickler::services::assistant {
namespace {

namespace json = boost::json;
namespace bh = http::beast_http;

// 128 random bits in hex: a conversation's id (not a secret: every read is scoped to its user).
std::string new_conversation_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 2; ++i) {
    auto bits = rng();
    for (int j = 0; j < 16; ++j, bits >>= 4) out += hex[bits & 15];
  }
  return out;
}

bool valid_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

core::Error no_conversation() {
  return core::make_error(core::Errc::not_found, "conversation not found");
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string{s};
}

// A title from the first message: its first line, cut at a character boundary.
std::string title_of(std::string_view message, std::size_t limit) {
  auto line = message.substr(0, message.find('\n'));
  if (line.size() <= limit) return std::string{line};
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  return std::string{line.substr(0, cut)} + "…";
}

json::object summary(const store::Conversation& c) {
  return {{"id", c.id},
          {"title", c.title},
          {"created_at", core::format_rfc3339(c.created_at)},
          {"updated_at", core::format_rfc3339(c.updated_at)}};
}

json::value actions_of(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return !ec && v.is_array() ? v : json::value(json::array{});
}

}  // namespace

void AssistantService::register_routes(http::Router& router) {
  router.add(bh::verb::post, "/api/chat", http::Access::tasks_write,
             std::bind_front(&AssistantService::chat, this));
  router.add(bh::verb::get, "/api/conversations", http::Access::tasks_read,
             std::bind_front(&AssistantService::list, this));
  router.add(bh::verb::get, "/api/conversations/{id}", http::Access::tasks_read,
             std::bind_front(&AssistantService::show, this));
  router.add(bh::verb::delete_, "/api/conversations/{id}", http::Access::tasks_write,
             std::bind_front(&AssistantService::remove, this));
}

// After inlining, GCC 12 pairs the coroutine frame's aligned allocation with Asio's sized
// operator delete and reports a mismatch (GCC bug 109224, as in notifier_handlers.cpp); Asio
// allocates and frees the frame with one matching pair.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
http::net::awaitable<http::Response> AssistantService::chat(http::RequestContext& ctx) {
  auto body = http::parse_json_object(ctx.request.body());
  if (!body) co_return http::error_response(body.error());
  const http::JsonFields fields{*body};
  if (auto st = fields.only({"conversation_id", "message", "time_zone"}); !st) {
    co_return http::error_response(st.error());
  }
  auto raw_message = fields.required_string("message");
  if (!raw_message) co_return http::error_response(raw_message.error());
  const auto message = trimmed(*raw_message);
  if (message.empty()) {
    co_return http::error_response(core::field_error("message", "must not be empty"));
  }
  if (core::utf8_length(message) > settings_.limits.message_chars) {
    co_return http::error_response(core::make_error(
        core::Errc::payload_too_large, "message is longer than " +
                                           std::to_string(settings_.limits.message_chars) +
                                           " characters"));
  }
  auto zone = fields.string("time_zone");
  if (!zone) co_return http::error_response(zone.error());
  const std::string time_zone = zone->value_or("UTC");
  if (!core::is_known_time_zone(time_zone)) {
    co_return http::error_response(core::field_error("time_zone", "is not a known IANA time zone"));
  }
  auto given = fields.string("conversation_id");
  if (!given) co_return http::error_response(given.error());

  const auto user = *ctx.user_id;
  const auto now = core::now();
  store::Conversation conversation;
  const bool fresh = !*given;
  if (*given) {
    if (!valid_id(**given)) co_return http::error_response(no_conversation());
    auto found = co_await conversations_->find(user, **given);
    if (!found) co_return http::error_response(found.error());
    if (!*found) co_return http::error_response(no_conversation());
    conversation = std::move(**found);
  } else {
    conversation = {new_conversation_id(),
                    user,
                    title_of(message, settings_.limits.title_chars),
                    "{}",
                    now,
                    now,
                    0};
    if (auto st = co_await conversations_->create(conversation); !st) {
      co_return http::error_response(st.error());
    }
  }

  auto principal = *ctx.principal;
  principal.actor = model_ ? llm_actor(settings_.llm) : std::string{k_built_in_actor};
  auto tools = tools_for(ctx, std::move(principal));
  auto state = state_from_json(conversation.state);
  const TurnInput input{message, time_zone, now};
  Reply reply;
  if (model_) {
    reply = co_await model_turn(conversation, fresh, input, state, *tools);
  } else {
    reply = co_await built_in_turn(input, state, *tools);
  }

  ConversationTurn turn;
  turn.messages = {{0, "user", message, "[]", now},
                   {0, "assistant", reply.text, json::serialize(reply.actions), now}};
  turn.state = state_to_json(state);
  turn.at = now;
  turn.expected_version = conversation.version;
  if (auto st = co_await conversations_->append(user, conversation.id, turn); !st) {
    co_return http::error_response(st.error());
  }
  if (wants_json(ctx.request[bh::field::accept])) {
    co_return http::json_response(bh::status::ok, chat_json(conversation.id, reply, now, state));
  }
  http::Response res{bh::status::ok, 11};
  res.set(bh::field::content_type, "text/event-stream; charset=utf-8");
  res.set(bh::field::cache_control, "no-cache");
  res.body() = chat_events(conversation.id, reply, now, state);
  res.prepare_payload();
  co_return res;
}
#pragma GCC diagnostic pop

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
http::net::awaitable<Reply> AssistantService::model_turn(const store::Conversation& conversation,
                                                         bool fresh, const TurnInput& input,
                                                         TurnState& state, ToolRunner& tools) {
  AgentInput agent{input, {}};
  if (!fresh) {
    auto earlier = co_await conversations_->messages(conversation.user_id, conversation.id);
    if (earlier) agent.history = std::move(*earlier);  // unreadable: the turn starts afresh
  }
  co_return co_await agent_turn(agent, state, tools, *model_, settings_.llm);
}
#pragma GCC diagnostic pop

std::unique_ptr<ToolRunner> AssistantService::tools_for(const http::RequestContext& ctx,
                                                        http::Principal principal) const {
  if (tools_) return tools_(ctx, std::move(principal));
  return std::make_unique<PipelineTools>(pipeline_, std::move(principal), ctx.request_id);
}

http::net::awaitable<http::Response> AssistantService::list(http::RequestContext& ctx) {
  auto found = co_await conversations_->list(*ctx.user_id);
  if (!found) co_return http::error_response(found.error());
  json::array items;
  for (const auto& c : *found) items.push_back(summary(c));
  co_return http::json_response(bh::status::ok, json::object{{"items", std::move(items)}});
}

http::net::awaitable<http::Response> AssistantService::show(http::RequestContext& ctx) {
  const auto& id = ctx.path_params.at("id");
  if (!valid_id(id)) co_return http::error_response(no_conversation());
  auto found = co_await conversations_->find(*ctx.user_id, id);
  if (!found) co_return http::error_response(found.error());
  if (!*found) co_return http::error_response(no_conversation());
  auto messages = co_await conversations_->messages(*ctx.user_id, id);
  if (!messages) co_return http::error_response(messages.error());
  json::array items;
  for (const auto& m : *messages) {
    items.push_back(json::object{{"seq", m.seq},
                                 {"role", m.role},
                                 {"text", m.text},
                                 {"actions", actions_of(m.actions)},
                                 {"created_at", core::format_rfc3339(m.created_at)}});
  }
  auto out = summary(**found);
  out["awaiting"] = awaiting(state_from_json((*found)->state));
  out["messages"] = std::move(items);
  co_return http::json_response(bh::status::ok, out);
}

http::net::awaitable<http::Response> AssistantService::remove(http::RequestContext& ctx) {
  const auto& id = ctx.path_params.at("id");
  if (!valid_id(id)) co_return http::error_response(no_conversation());
  auto deleted = co_await conversations_->remove(*ctx.user_id, id);
  if (!deleted) co_return http::error_response(deleted.error());
  if (!*deleted) co_return http::error_response(no_conversation());
  co_return http::empty_response(bh::status::no_content);
}

}  // namespace tickler::services::assistant
