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

// 429 assistant_busy, with Retry-After.
http::Response busy_response(const core::Error& error) {
  auto res = http::error_response(error);
  if (const auto it = error.details.find("retry_after"); it != error.details.end()) {
    if (const auto* seconds = std::get_if<std::int64_t>(&it->second)) {
      res.set(bh::field::retry_after, std::to_string(*seconds));
    }
  }
  return res;
}

// The reply's text as delta events as the turn produces it; what was sent.
class EventStream final : public ReplyStream {
 public:
  explicit EventStream(http::StreamWriter& writer) : writer_(writer) {}
  http::net::awaitable<void> text(std::string piece) override {
    sent_ += piece;
    auto event = delta_event(piece);  // named: GCC 12 and temporaries in a co_await expression
    co_await writer_.write(std::move(event));
  }
  [[nodiscard]] std::shared_ptr<const std::atomic<bool>> gone() const override {
    return writer_.gone();
  }
  [[nodiscard]] const std::string& sent() const { return sent_; }

 private:
  http::StreamWriter& writer_;
  std::string sent_;
};

json::value actions_of(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return !ec && v.is_array() ? v : json::value(json::array{});
}

}  // namespace

// One turn between the request that starts it and its end (a streamed answer outlives the
// handler).
struct AssistantService::Turn {
  store::Conversation conversation;
  bool fresh = false;
  TurnInput input;
  TurnState state;
  std::unique_ptr<ToolRunner> tools;
  ModelSlots::Slot slot;  // held by a turn with the model until it is appended
};

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
  // A turn with the model takes a slot first (a fair share per user, a bounded wait).
  ModelSlots::Slot slot;
  if (model_) {
    auto got = co_await slots_.acquire(user, settings_.llm.slot_wait);
    if (!got) co_return busy_response(got.error());
    slot = std::move(*got);
  }
  const auto now = core::now();
  auto turn = std::make_shared<Turn>();
  turn->slot = std::move(slot);
  turn->fresh = !*given;
  if (*given) {
    if (!valid_id(**given)) co_return http::error_response(no_conversation());
    auto found = co_await conversations_->find(user, **given);
    if (!found) co_return http::error_response(found.error());
    if (!*found) co_return http::error_response(no_conversation());
    turn->conversation = std::move(**found);
  } else {
    turn->conversation = {new_conversation_id(),
                          user,
                          title_of(message, settings_.limits.title_chars),
                          "{}",
                          now,
                          now,
                          0};
    if (auto st = co_await conversations_->create(turn->conversation); !st) {
      co_return http::error_response(st.error());
    }
  }

  auto principal = *ctx.principal;
  principal.actor = model_ ? llm_actor(settings_.llm) : std::string{k_built_in_actor};
  turn->tools = tools_for(ctx, std::move(principal));
  turn->state = state_from_json(turn->conversation.state);
  turn->input = TurnInput{message, time_zone, now};
  const bool json_answer = wants_json(ctx.request[bh::field::accept]);
  if (ctx.stream && !json_answer && model_) {
    // The events go out as the turn produces them; the server writes them after these headers.
    // (The built-in assistant's reply is composed at once: it goes whole, in one write.)
    *ctx.stream = std::bind_front(&AssistantService::stream_turn, this, std::move(turn));
    http::Response res{bh::status::ok, 11};
    res.set(bh::field::content_type, "text/event-stream; charset=utf-8");
    res.set(bh::field::cache_control, "no-cache");
    res.set("X-Accel-Buffering", "no");  // a proxy passes each event on at once
    co_return res;
  }
  const auto reply = co_await run(*turn, nullptr);
  if (auto st = co_await append(*turn, reply); !st) co_return http::error_response(st.error());
  const auto& id = turn->conversation.id;
  if (json_answer) {
    co_return http::json_response(bh::status::ok, chat_json(id, reply, now, turn->state));
  }
  // The built-in assistant, or an in-process call (nothing to stream to): the events at once.
  http::Response res{bh::status::ok, 11};
  res.set(bh::field::content_type, "text/event-stream; charset=utf-8");
  res.set(bh::field::cache_control, "no-cache");
  res.body() = chat_events(id, reply, now, turn->state);
  res.prepare_payload();
  co_return res;
}

http::net::awaitable<Reply> AssistantService::run(Turn& turn, ReplyStream* out) {
  if (model_) {
    co_return co_await model_turn(turn.conversation, turn.fresh, turn.input, turn.state,
                                  *turn.tools, out);
  }
  co_return co_await built_in_turn(turn.input, turn.state, *turn.tools);
}

http::net::awaitable<core::Status> AssistantService::append(Turn& turn, const Reply& reply) {
  const auto now = turn.input.now;
  ConversationTurn appended;
  appended.messages = {{0, "user", turn.input.message, "[]", now},
                       {0, "assistant", reply.text, json::serialize(reply.actions), now}};
  appended.state = state_to_json(turn.state);
  appended.at = now;
  appended.expected_version = turn.conversation.version;
  auto st =
      co_await conversations_->append(turn.conversation.user_id, turn.conversation.id, appended);
  turn.slot = {};  // the model is done with: the next turn may start
  co_return st;
}

http::net::awaitable<void> AssistantService::stream_turn(std::shared_ptr<Turn> turn,
                                                         http::StreamWriter& writer) {
  const auto& id = turn->conversation.id;
  EventStream events{writer};
  // Each event is built before its co_await (GCC 12 and temporaries in a co_await expression).
  auto opening = conversation_event(id);
  co_await writer.write(std::move(opening));
  const auto reply = co_await run(*turn, &events);
  // What the turn did not stream as it went (the built-in assistant's whole reply).
  auto rest = unsent_events(reply.text, events.sent());
  if (!rest.empty()) co_await writer.write(std::move(rest));
  // Recorded even when the reader went away: the turn ended (stopped, saying so), and the
  // conversation says what its tools did.
  if (auto st = co_await append(*turn, reply); !st) {
    auto error = error_event(http::error_response(st.error()).body());
    co_await writer.write(std::move(error));
    co_return;
  }
  auto closing = closing_events(id, reply, turn->input.now, turn->state);
  co_await writer.write(std::move(closing));
}
#pragma GCC diagnostic pop

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
http::net::awaitable<Reply> AssistantService::model_turn(const store::Conversation& conversation,
                                                         bool fresh, const TurnInput& input,
                                                         TurnState& state, ToolRunner& tools,
                                                         ReplyStream* out) {
  AgentInput agent{input, {}};
  if (!fresh) {
    auto earlier = co_await conversations_->messages(conversation.user_id, conversation.id);
    if (earlier) agent.history = std::move(*earlier);  // unreadable: the turn starts afresh
  }
  co_return co_await agent_turn(agent, state, tools, *model_, settings_.llm, out);
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
