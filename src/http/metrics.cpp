#include "http/metrics.hpp"

#include <unistd.h>

#include <fstream>

namespace tickler::http {
namespace {

std::string format_double(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void Metrics::observe(std::string_view route, std::string_view method, unsigned status,
                      double seconds) {
  std::lock_guard lock{mutex_};
  const auto key = std::make_tuple(route, method, status);
  auto r = requests_.find(key);
  if (r == requests_.end()) {
    r = requests_.emplace(std::make_tuple(std::string{route}, std::string{method}, status), 0)
            .first;
  }
  ++r->second;
  auto l = latency_.find(route);
  if (l == latency_.end()) l = latency_.emplace(std::string{route}, Histogram{}).first;
  auto& h = l->second;
  for (std::size_t i = 0; i < k_buckets.size(); ++i) {
    if (seconds <= k_buckets[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::add_source(std::function<void(std::string&)> source) {
  std::lock_guard lock{mutex_};
  sources_.push_back(std::move(source));
}

std::string Metrics::render() const {
  std::string out;
  std::lock_guard lock{mutex_};
  out += "# HELP tickler_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE tickler_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out += "tickler_http_requests_total{route=\"" + route + "\",method=\"" + method +
           "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP tickler_http_request_duration_seconds Time from request read to response ready.\n";
  out += "# TYPE tickler_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    const std::string label = "route=\"" + route + "\"";
    for (std::size_t i = 0; i < k_buckets.size(); ++i) {
      out += "tickler_http_request_duration_seconds_bucket{" + label + ",le=\"" +
             format_double(k_buckets[i]) + "\"} " + std::to_string(h.counts[i]) + "\n";
    }
    out += "tickler_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(h.count) + "\n";
    out +=
        "tickler_http_request_duration_seconds_sum{" + label + "} " + format_double(h.sum) + "\n";
    out += "tickler_http_request_duration_seconds_count{" + label + "} " + std::to_string(h.count) +
           "\n";
  }
  out += "# HELP tickler_process_resident_memory_bytes Resident set size.\n";
  out += "# TYPE tickler_process_resident_memory_bytes gauge\n";
  out += "tickler_process_resident_memory_bytes " + std::to_string(process_rss_bytes()) + "\n";
  for (const auto& source : sources_) source(out);
  return out;
}

void Histogram::observe(double value) {
  std::lock_guard lock{mutex_};
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (value <= bounds_[i]) ++counts_[i];
  }
  ++count_;
  sum_ += value;
}

void Histogram::render(std::string_view name, std::string_view help, std::string& out) const {
  const std::string n{name};
  std::lock_guard lock{mutex_};
  out += "# HELP " + n + " " + std::string{help} + "\n";
  out += "# TYPE " + n + " histogram\n";
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    out += n + "_bucket{le=\"" + format_double(bounds_[i]) + "\"} " + std::to_string(counts_[i]) +
           "\n";
  }
  out += n + "_bucket{le=\"+Inf\"} " + std::to_string(count_) + "\n";
  out += n + "_sum " + format_double(sum_) + "\n";
  out += n + "_count " + std::to_string(count_) + "\n";
}

std::uint64_t process_rss_bytes() {
  std::ifstream statm{"/proc/self/statm"};
  std::uint64_t size = 0;
  std::uint64_t resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace tickler::http
