#pragma once
// DaprClient: a blocking HTTP/1.1 client for the app's own Dapr sidecar on loopback, over a small
// pool of keep-alive connections. It sends the sidecar's API token (dapr-api-token) with every
// call and wraps the building blocks Tickler uses: pub/sub publish, secrets, state, the Jobs API,
// service invocation and health. Calls block: run them off the I/O threads.
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace tickler::bus::dapr {

struct DaprSettings {
  std::string host = "127.0.0.1";
  std::uint16_t http_port = 3500;  // DAPR_HTTP_PORT
  std::string api_token;           // DAPR_API_TOKEN; empty: none
  std::chrono::milliseconds timeout{5000};
  int max_idle_connections = 8;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

struct SidecarResponse {
  unsigned status = 0;
  std::string body;
  std::string content_type;
  // The end-to-end headers a caller may pass on (ETag, Location, Retry-After, Cache-Control,
  // Allow, Idempotent-Replayed, Mcp-Session-Id, WWW-Authenticate), when the answer has them.
  Headers headers{};
};

// A value of the state store and the ETag it is stored under.
struct StateEntry {
  std::string value;  // JSON
  std::string etag;
};

// A job of the Jobs API: one shot at due_time, data echoed back on POST /job/{name}.
struct JobSpec {
  core::Instant due_time{};
  std::string data = "{}";  // JSON
  int max_retries = 3;      // failurePolicy constant: retries when the app fails the trigger
  std::chrono::seconds retry_interval{5};
};

class DaprClient {
 public:
  explicit DaprClient(DaprSettings settings);
  ~DaprClient();
  DaprClient(const DaprClient&) = delete;
  DaprClient& operator=(const DaprClient&) = delete;

  // One request to the sidecar; unavailable when it cannot be reached or does not answer in time.
  core::Result<SidecarResponse> request(std::string_view method, std::string_view target,
                                        std::string body = {}, std::string_view content_type = {},
                                        const Headers& headers = {});

  // Publishes a structured CloudEvent (application/cloudevents+json), keyed by partition_key.
  // Succeeds only when the sidecar answered 204: the broker acknowledged the event.
  core::Status publish(std::string_view pubsub, std::string_view topic,
                       std::string_view cloudevent_json, std::string_view event_id,
                       std::string_view partition_key);
  // One entry of a bulk publish: a structured CloudEvent and its partition key.
  struct BulkEntry {
    std::string event_id;
    std::string cloudevent_json;
    std::string partition_key;
  };
  // Publishes several events to one topic in one call (Dapr's bulk publish: one Kafka batch).
  // Succeeds only when every entry was acknowledged; an error means some may not have been.
  core::Status publish_bulk(std::string_view pubsub, std::string_view topic,
                            const std::vector<BulkEntry>& entries);
  // The value of `key` in the secret store (a single-valued secret, or field `key` of it).
  core::Result<std::string> secret(std::string_view store, std::string_view key);
  core::Status schedule_job(std::string_view name, const JobSpec& job);
  // Succeeds also when the job does not exist (any more).
  core::Status delete_job(std::string_view name);
  // POST to app_id's method through service invocation; any answer the app gave is a value.
  core::Result<SidecarResponse> invoke(std::string_view app_id, std::string_view method,
                                       std::string body, const Headers& headers = {});
  core::Status save_state(std::string_view store, std::string_view key, std::string_view json);
  core::Result<std::optional<std::string>> get_state(std::string_view store, std::string_view key);
  // A value with its ETag (strong consistency: the latest write); nullopt when there is none.
  core::Result<std::optional<StateEntry>> get_state_entry(std::string_view store,
                                                          std::string_view key);
  // Saves `json` only while the stored ETag is still `etag` (empty: only while the key is absent,
  // first-write); conflict (code state_conflict) when another write came first.
  core::Status save_state_if(std::string_view store, std::string_view key, std::string_view json,
                             std::string_view etag);
  // Deletes the key (when `etag` is given: only while it is still that; else conflict); succeeds
  // also when there is no such key.
  core::Status delete_state(std::string_view store, std::string_view key,
                            std::string_view etag = {});
  // 204 from /v1.0/healthz (outbound: the sidecar's components are up).
  core::Status healthz();

  [[nodiscard]] const DaprSettings& settings() const { return settings_; }

 private:
  struct Connection;
  std::unique_ptr<Connection> checkout();
  void checkin(std::unique_ptr<Connection> conn);

  DaprSettings settings_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

// Percent-encodes one path segment or query value.
[[nodiscard]] std::string encode_component(std::string_view text);

}  // namespace tickler::bus::dapr
