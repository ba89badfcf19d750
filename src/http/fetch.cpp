#include "http/fetch.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <sys/socket.h>

#include <array>
#include <map>
#include <memory>
#include <mutex>

namespace tickler::http {
namespace {

// What the callbacks of one transfer share.
struct Transfer {
  const DestinationPolicy* policy = nullptr;
  std::size_t max_bytes = 0;
  std::string body;
  bool too_large = false;
  std::string refused;  // why the last address was refused
  // A streamed answer: its pieces go here as they arrive; `stop` ends the transfer.
  const FetchPiece* on_piece = nullptr;
  const std::function<bool()>* stop = nullptr;
  CURL* curl = nullptr;
  bool stopped = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const auto n = size * count;
  if (t->body.size() + n > t->max_bytes) {
    t->too_large = true;
    return 0;  // ends the transfer (CURLE_WRITE_ERROR)
  }
  t->body.append(data, n);
  if (t->on_piece) {
    long status = 0;
    char* type = nullptr;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(t->curl, CURLINFO_CONTENT_TYPE, &type);
    if ((t->stop && (*t->stop)()) ||
        !(*t->on_piece)(static_cast<unsigned>(status), type ? type : "", {data, n})) {
      t->stopped = true;
      return 0;
    }
  }
  return n;
}

// Polled by libcurl while a streamed transfer runs (also while nothing arrives): non-zero stops it.
int on_progress(void* user, curl_off_t /*dltotal*/, curl_off_t /*dlnow*/, curl_off_t /*ultotal*/,
                curl_off_t /*ulnow*/) {
  auto* t = static_cast<Transfer*>(user);
  if (t->stop && (*t->stop)()) {
    t->stopped = true;
    return 1;
  }
  return 0;
}

// Called for each address libcurl is about to connect to: the policy decides.
curl_socket_t on_open_socket(void* user, curlsocktype /*purpose*/, curl_sockaddr* a) {
  auto* t = static_cast<Transfer*>(user);
  boost::asio::ip::address address;
  if (a->family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, &a->addr, sizeof in);
    address = boost::asio::ip::address_v4{ntohl(in.sin_addr.s_addr)};
  } else if (a->family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, &a->addr, sizeof in6);
    std::array<unsigned char, 16> bytes{};
    std::memcpy(bytes.data(), &in6.sin6_addr, bytes.size());
    address = boost::asio::ip::address_v6{bytes};
  } else {
    t->refused = "not an IP address";
    return CURL_SOCKET_BAD;
  }
  if (auto why = t->policy->refusal(address); !why.empty()) {
    t->refused = address.to_string() + " is " + why;
    return CURL_SOCKET_BAD;
  }
  return ::socket(a->family, a->socktype, a->protocol);
}

core::Error unavailable(std::string message) {
  return core::make_error(core::Errc::unavailable, std::move(message));
}

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

using HeaderList = std::unique_ptr<curl_slist, ListDeleter>;

// Appending to a list keeps its head; on failure (no memory) the list is left as it was.
void append(HeaderList& list, const char* line) {
  if (auto* head = curl_slist_append(list.get(), line)) {
    (void)list.release();
    list.reset(head);
  }
}

// How many idle connections one kept handle holds (libcurl's default is 5; a delivery worker
// serves many hosts in turn), and how long an idle one is kept before it is closed rather than
// reused. A server may close an idle connection sooner (some after 5 s): libcurl sees one it
// closed while idle before reusing it; only one closed just as a request goes out costs a second
// send on a new connection (a POST the server had received but not answered then arrives twice,
// under the same X-Tickler-Delivery key).
constexpr long kKeptConnections = 16;
constexpr long kKeptIdleSeconds = 30;
// At most this many destination classes get a kept handle per thread (a process has a few: the
// users' policy, the operator's endpoints); another is served by a handle of its own.
constexpr std::size_t kKeptClasses = 8;

// The calling thread's easy handle for one destination class — the identity of the policy the
// transfer runs under, or "operator" for the operator's endpoints — reset for the next transfer.
// What libcurl keeps in it across transfers makes a delivery cheaper than a handle made for
// each: its idle connections (a later request to the same host and port skips the TCP and TLS
// handshakes), the TLS session cache (a new connection's handshake is resumed) and the CA store
// parsed from the CA file (CURLOPT_CA_CACHE_TIMEOUT). A kept connection was checked by the
// destination policy when it was opened, so it is only reused under a policy that allows the same
// addresses: never by a transfer of another class (a user's webhook never rides on a connection
// opened for the operator's endpoint at the same address). A transfer started while the class's
// handle is in use (from a callback) gets a handle of its own that keeps nothing.
class ThreadHandle {
 public:
  explicit ThreadHandle(const std::string& kind) {
    struct Kept {
      std::unique_ptr<CURL, EasyDeleter> handle;
      bool busy = false;
    };
    thread_local std::map<std::string, Kept, std::less<>> kept;
    auto it = kept.find(kind);
    if (it == kept.end() && kept.size() < kKeptClasses) it = kept.try_emplace(kind).first;
    if (it != kept.end() && !it->second.busy) {
      auto& slot = it->second;
      if (slot.handle) {
        curl_easy_reset(slot.handle.get());
      } else {
        slot.handle.reset(curl_easy_init());
      }
      if (slot.handle) {
        busy_ = &slot.busy;
        slot.busy = true;
        handle_ = slot.handle.get();
        return;
      }
    }
    own_.reset(curl_easy_init());
    handle_ = own_.get();
  }
  ~ThreadHandle() {
    if (busy_) *busy_ = false;
  }
  ThreadHandle(const ThreadHandle&) = delete;
  ThreadHandle& operator=(const ThreadHandle&) = delete;
  [[nodiscard]] CURL* get() const { return handle_; }
  // Whether connections of this transfer may be kept for the next (false: a handle of its own).
  [[nodiscard]] bool keeps() const { return busy_ != nullptr; }

 private:
  CURL* handle_ = nullptr;
  bool* busy_ = nullptr;
  std::unique_ptr<CURL, EasyDeleter> own_;
};

// How a transfer's answer is read: whole, or streamed to `on_piece` until `stop`.
struct Streaming {
  const FetchPiece* on_piece = nullptr;
  const std::function<bool()>* stop = nullptr;
};

// One transfer: a GET, or a POST of `body` when given; `policy` checks each address connected to
// (null: an endpoint the operator configured, any address).
core::Result<FetchResponse> perform(const std::string& address, std::string_view protocols,
                                    const FetchSettings& settings, const DestinationPolicy* policy,
                                    const std::string* body, const FetchHeaders& extra,
                                    Streaming streaming = {}) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  static const std::string operator_class = "operator";
  const ThreadHandle curl{policy ? policy->identity() : operator_class};
  if (!curl.get()) return unavailable("cannot start a transfer");
  Transfer t{policy,         settings.max_bytes, {},   false, {}, streaming.on_piece,
             streaming.stop, curl.get(),         false};
  HeaderList headers{curl_slist_append(nullptr, streaming.on_piece
                                                    ? "Accept: text/event-stream, application/json"
                                                    : "Accept: application/json")};
  for (const auto& [name, value] : extra) {
    const auto line = name + ": " + value;
    append(headers, line.c_str());
  }
  if (body) {
    // No "Expect: 100-continue" round trip before the body: servers that ignore it cost a second.
    append(headers, "Expect:");
  }
  const std::string allowed{protocols};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, address.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, allowed.c_str());
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (curl.keeps()) {
    curl_easy_setopt(c, CURLOPT_MAXCONNECTS, kKeptConnections);
    curl_easy_setopt(c, CURLOPT_MAXAGE_CONN, kKeptIdleSeconds);
  } else {
    curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
  }
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.timeout.count()));
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(settings.max_bytes));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Tickler");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  if (policy) {
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, &on_open_socket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &t);
  }
  if (body) {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  }
  if (streaming.stop) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
  }
  if (!settings.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, settings.ca_file.c_str());
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    if (t.stopped) {
      auto error = unavailable("the transfer was stopped");
      error.code_name = "cancelled";
      return error;
    }
    if (t.too_large || code == CURLE_FILESIZE_EXCEEDED) {
      return unavailable("the document is larger than " + std::to_string(settings.max_bytes) +
                         " bytes");
    }
    if (!t.refused.empty()) return unavailable("destination refused: " + t.refused);
    auto error = unavailable(std::string{curl_easy_strerror(code)});
    if (code == CURLE_OPERATION_TIMEDOUT) error.code_name = "timeout";
    return error;
  }
  FetchResponse out;
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  out.status = static_cast<unsigned>(status);
  char* type = nullptr;
  curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type);
  if (type) out.content_type = type;
  curl_header* retry_after = nullptr;
  if (curl_easy_header(c, "Retry-After", 0, CURLH_HEADER, -1, &retry_after) == CURLHE_OK &&
      retry_after) {
    out.retry_after = retry_after->value;
  }
  out.body = std::move(t.body);
  return out;
}

}  // namespace

core::Result<FetchResponse> fetch_https(std::string_view url, const FetchSettings& settings,
                                        const DestinationPolicy& policy) {
  auto target = parse_url_target(url);
  if (!target) return target.error();
  if (target->scheme != "https") {
    return core::make_error(core::Errc::invalid_parameter, "only https URLs are fetched");
  }
  return perform(std::string{url}, "https", settings, &policy, nullptr, {});
}

core::Result<FetchResponse> post_under_policy(std::string_view url, const std::string& body,
                                              const FetchHeaders& headers,
                                              const FetchSettings& settings,
                                              const DestinationPolicy& policy) {
  auto target = parse_url_target(url);
  if (!target) return target.error();
  return perform(std::string{url}, "http,https", settings, &policy, &body, headers);
}

core::Result<FetchResponse> post_to_operator_endpoint(std::string_view url, const std::string& body,
                                                      const FetchHeaders& headers,
                                                      const FetchSettings& settings) {
  auto target = parse_url_target(url);
  if (!target) return target.error();
  if (target->scheme != "https" && target->scheme != "http") {
    return core::make_error(core::Errc::invalid_parameter, "only http and https URLs are called");
  }
  return perform(std::string{url}, "http,https", settings, nullptr, &body, headers);
}

core::Result<FetchResponse> post_stream_to_operator_endpoint(
    std::string_view url, const std::string& body, const FetchHeaders& headers,
    const FetchSettings& settings, const FetchPiece& on_piece, const std::function<bool()>& stop) {
  auto target = parse_url_target(url);
  if (!target) return target.error();
  if (target->scheme != "https" && target->scheme != "http") {
    return core::make_error(core::Errc::invalid_parameter, "only http and https URLs are called");
  }
  return perform(std::string{url}, "http,https", settings, nullptr, &body, headers,
                 {&on_piece, &stop});
}

}  // namespace tickler::http
