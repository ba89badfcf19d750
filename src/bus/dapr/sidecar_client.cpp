#include "bus/dapr/sidecar_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace tickler::bus::dapr {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

core::Error unavailable(std::string what, const boost::system::error_code& ec) {
  return {core::Errc::unavailable, "dapr sidecar: " + what + ": " + ec.message(), {}, {}};
}

core::Error refused(std::string_view what, const SidecarResponse& r) {
  return {core::Errc::unavailable,
          "dapr sidecar refused " + std::string{what} + " (" + std::to_string(r.status) +
              "): " + r.body.substr(0, 300),
          {},
          {}};
}

}  // namespace

struct DaprClient::Connection {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  bool used = false;  // has carried a request: the sidecar may have closed it meanwhile
};

std::string encode_component(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

DaprClient::DaprClient(DaprSettings settings) : settings_(std::move(settings)) {}
DaprClient::~DaprClient() = default;

std::unique_ptr<DaprClient::Connection> DaprClient::checkout() {
  std::lock_guard lock{mutex_};
  if (idle_.empty()) return nullptr;
  auto conn = std::move(idle_.back());
  idle_.pop_back();
  return conn;
}

void DaprClient::checkin(std::unique_ptr<Connection> conn) {
  std::lock_guard lock{mutex_};
  if (static_cast<int>(idle_.size()) < settings_.max_idle_connections) {
    idle_.push_back(std::move(conn));
  }
}

core::Result<SidecarResponse> DaprClient::request(std::string_view method, std::string_view target,
                                                  std::string body, std::string_view content_type,
                                                  const Headers& headers) {
  http::request<http::string_body> req{http::string_to_verb(method), std::string{target}, 11};
  req.set(http::field::host, settings_.host + ":" + std::to_string(settings_.http_port));
  req.set(http::field::user_agent, "tickler");
  if (!settings_.api_token.empty()) req.set("dapr-api-token", settings_.api_token);
  if (!content_type.empty()) req.set(http::field::content_type, content_type);
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = std::move(body);
  req.keep_alive(true);
  req.prepare_payload();

  // A pooled connection the sidecar closed while idle fails at once: then try a fresh one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto conn = checkout();
    const bool reused = conn != nullptr;
    boost::system::error_code ec;
    if (!conn) {
      conn = std::make_unique<Connection>();
      net::ip::tcp::endpoint ep{net::ip::make_address(settings_.host, ec), settings_.http_port};
      if (ec) return unavailable("address " + settings_.host, ec);
      conn->stream.expires_after(settings_.timeout);
      conn->stream.async_connect(ep, [&ec](boost::system::error_code e) { ec = e; });
      conn->ioc.run();
      conn->ioc.restart();
      if (ec) return unavailable("connect", ec);
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(8 * 1024 * 1024);
    conn->stream.expires_after(settings_.timeout);
    http::async_write(conn->stream, req, [&](boost::system::error_code e, std::size_t) {
      ec = e;
      if (ec) return;
      http::async_read(conn->stream, conn->buffer, parser,
                       [&ec](boost::system::error_code r, std::size_t) { ec = r; });
    });
    conn->ioc.run();
    conn->ioc.restart();
    if (ec) {
      if (reused && attempt == 0 && ec != beast::error::timeout) continue;
      return unavailable(std::string{method} + " " + std::string{target}, ec);
    }
    SidecarResponse out{parser.get().result_int(), std::move(parser.get().body()),
                        std::string{parser.get()[http::field::content_type]}};
    for (std::string_view name : {"ETag", "Location", "Retry-After", "Cache-Control", "Allow",
                                  "Idempotent-Replayed", "Mcp-Session-Id", "WWW-Authenticate"}) {
      if (auto v = parser.get()[name]; !v.empty()) out.headers.emplace_back(name, std::string{v});
    }
    if (parser.get().keep_alive()) checkin(std::move(conn));
    return out;
  }
  return core::make_error(core::Errc::unavailable, "dapr sidecar: no connection");
}

core::Status DaprClient::publish(std::string_view pubsub, std::string_view topic,
                                 std::string_view cloudevent_json, std::string_view event_id,
                                 std::string_view partition_key) {
  std::string target = "/v1.0/publish/" + encode_component(pubsub) + "/" + encode_component(topic) +
                       "?metadata.cloudevent.id=" + encode_component(event_id) +
                       "&metadata.partitionKey=" + encode_component(partition_key);
  auto r = request("POST", target, std::string{cloudevent_json}, "application/cloudevents+json");
  if (!r) return r.error();
  if (r->status != 204 && r->status != 200) return refused("publish", *r);
  return {};
}

core::Status DaprClient::publish_bulk(std::string_view pubsub, std::string_view topic,
                                      const std::vector<BulkEntry>& entries) {
  boost::json::array body;
  body.reserve(entries.size());
  for (const auto& e : entries) {
    body.push_back({{"entryId", e.event_id},
                    {"event", boost::json::parse(e.cloudevent_json)},
                    {"contentType", "application/cloudevents+json"},
                    {"metadata", {{"partitionKey", e.partition_key}}}});
  }
  auto r = request(
      "POST",
      "/v1.0-alpha1/publish/bulk/" + encode_component(pubsub) + "/" + encode_component(topic),
      boost::json::serialize(body), "application/json");
  if (!r) return r.error();
  if (r->status != 204 && r->status != 200) return refused("bulk publish", *r);
  return {};
}

core::Result<std::string> DaprClient::secret(std::string_view store, std::string_view key) {
  auto r = request("GET", "/v1.0/secrets/" + encode_component(store) + "/" + encode_component(key));
  if (!r) return r.error();
  if (r->status != 200) return refused("secret " + std::string{key}, *r);
  boost::system::error_code ec;
  auto v = boost::json::parse(r->body, ec);
  if (ec || !v.is_object() || v.as_object().empty()) {
    return core::make_error(core::Errc::unavailable, "secret " + std::string{key} + " is empty");
  }
  const auto& o = v.as_object();
  const auto* field = o.if_contains(key);
  const auto& value = field ? *field : o.begin()->value();
  if (!value.is_string()) {
    return core::make_error(core::Errc::unavailable, "secret " + std::string{key} + " not text");
  }
  return std::string{value.as_string()};
}

core::Status DaprClient::schedule_job(std::string_view name, const JobSpec& job) {
  boost::json::value data;
  boost::system::error_code ec;
  data = boost::json::parse(job.data, ec);
  if (ec) data = boost::json::string{job.data};
  boost::json::object body{{"dueTime", core::format_rfc3339(job.due_time)},
                           {"data", std::move(data)},
                           {"overwrite", true},
                           {"failurePolicy",
                            {{"constant",
                              {{"interval", std::to_string(job.retry_interval.count()) + "s"},
                               {"maxRetries", job.max_retries}}}}}};
  auto r = request("POST", "/v1.0-alpha1/jobs/" + encode_component(name),
                   boost::json::serialize(body), "application/json");
  if (!r) return r.error();
  if (r->status != 204 && r->status != 200) return refused("job " + std::string{name}, *r);
  return {};
}

core::Status DaprClient::delete_job(std::string_view name) {
  auto r = request("DELETE", "/v1.0-alpha1/jobs/" + encode_component(name));
  if (!r) return r.error();
  if (r->status != 204 && r->status != 200 && r->status != 404) {
    // The Jobs API answers 500 with "job not found" for a name it does not know.
    if (r->body.find("not found") == std::string::npos) return refused("delete job", *r);
  }
  return {};
}

core::Result<SidecarResponse> DaprClient::invoke(std::string_view app_id, std::string_view method,
                                                 std::string body, const Headers& headers) {
  std::string target = "/v1.0/invoke/" + encode_component(app_id) + "/method/";
  target += method.starts_with('/') ? method.substr(1) : method;
  return request("POST", target, std::move(body), "application/json", headers);
}

core::Status DaprClient::save_state(std::string_view store, std::string_view key,
                                    std::string_view json) {
  boost::system::error_code ec;
  auto value = boost::json::parse(json, ec);
  if (ec) return core::make_error(core::Errc::invalid_json, "state value is not JSON");
  boost::json::array body{{{"key", key}, {"value", std::move(value)}}};
  auto r = request("POST", "/v1.0/state/" + encode_component(store), boost::json::serialize(body),
                   "application/json");
  if (!r) return r.error();
  if (r->status != 204 && r->status != 200) return refused("save state", *r);
  return {};
}

core::Result<std::optional<std::string>> DaprClient::get_state(std::string_view store,
                                                               std::string_view key) {
  auto r = request("GET", "/v1.0/state/" + encode_component(store) + "/" + encode_component(key));
  if (!r) return r.error();
  if (r->status == 204 || (r->status == 200 && r->body.empty())) {
    return std::optional<std::string>{};
  }
  if (r->status != 200) return refused("get state", *r);
  return std::optional<std::string>{std::move(r->body)};
}

core::Result<std::optional<StateEntry>> DaprClient::get_state_entry(std::string_view store,
                                                                    std::string_view key) {
  auto r = request("GET", "/v1.0/state/" + encode_component(store) + "/" + encode_component(key) +
                              "?consistency=strong");
  if (!r) return r.error();
  if (r->status == 204 || (r->status == 200 && r->body.empty())) {
    return std::optional<StateEntry>{};
  }
  if (r->status != 200) return refused("get state", *r);
  StateEntry entry{std::move(r->body), {}};
  for (auto& [name, value] : r->headers) {
    if (name == "ETag") entry.etag = value;
  }
  return std::optional<StateEntry>{std::move(entry)};
}

namespace {

core::Error state_conflict(std::string_view key) {
  return {core::Errc::conflict,
          "state " + std::string{key} + " was changed by another write",
          {},
          "state_conflict"};
}

}  // namespace

core::Status DaprClient::save_state_if(std::string_view store, std::string_view key,
                                       std::string_view json, std::string_view etag) {
  boost::system::error_code ec;
  auto value = boost::json::parse(json, ec);
  if (ec) return core::make_error(core::Errc::invalid_json, "state value is not JSON");
  boost::json::object item{
      {"key", key},
      {"value", std::move(value)},
      {"options", {{"concurrency", "first-write"}, {"consistency", "strong"}}}};
  if (!etag.empty()) item["etag"] = etag;
  auto r = request("POST", "/v1.0/state/" + encode_component(store),
                   boost::json::serialize(boost::json::array{item}), "application/json");
  if (!r) return r.error();
  if (r->status == 409) return state_conflict(key);
  // A first write of a key that exists: state.postgresql reports the insert's failure as a 500
  // naming the duplicate key.
  if (etag.empty() && r->status == 500 && r->body.find("duplicate") != std::string::npos) {
    return state_conflict(key);
  }
  if (r->status != 204 && r->status != 200) return refused("save state", *r);
  return {};
}

core::Status DaprClient::delete_state(std::string_view store, std::string_view key,
                                      std::string_view etag) {
  Headers headers;
  if (!etag.empty()) headers.emplace_back("If-Match", std::string{etag});
  auto r = request("DELETE",
                   "/v1.0/state/" + encode_component(store) + "/" + encode_component(key) +
                       (etag.empty() ? "" : "?concurrency=first-write&consistency=strong"),
                   {}, {}, headers);
  if (!r) return r.error();
  if (r->status == 409) return state_conflict(key);
  if (r->status != 204 && r->status != 200) return refused("delete state", *r);
  return {};
}

core::Status DaprClient::healthz() {
  auto r = request("GET", "/v1.0/healthz");
  if (!r) return r.error();
  if (r->status != 204 && r->status != 200) return refused("healthz", *r);
  return {};
}

}  // namespace tickler::bus::dapr
