#pragma once
// Prometheus metrics of the HTTP layer: requests by route, method and status, a latency histogram
// per route, the process RSS, and gauges that other parts add as callbacks (e.g. the DB pool).
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace tickler::http {

class Metrics {
 public:
  static constexpr std::array<double, 14> k_buckets{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

  void observe(std::string_view route, std::string_view method, unsigned status, double seconds);
  // A writer of extra exposition text, called on every scrape.
  void add_source(std::function<void(std::string&)> source);
  [[nodiscard]] std::string render() const;

 private:
  struct Histogram {
    std::array<std::uint64_t, k_buckets.size()> counts{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  // Transparent comparators: observe() looks up with string_views, allocating only new keys.
  std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t, std::less<>> requests_;
  std::map<std::string, Histogram, std::less<>> latency_;
  std::vector<std::function<void(std::string&)>> sources_;
};

// One histogram without labels (e.g. reminder lateness), safe across threads.
class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds)
      : bounds_(std::move(upper_bounds)), counts_(bounds_.size(), 0) {}
  void observe(double value);
  // The exposition text of `name` (HELP, TYPE, _bucket, _sum, _count).
  void render(std::string_view name, std::string_view help, std::string& out) const;

 private:
  mutable std::mutex mutex_;
  std::vector<double> bounds_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

// Resident set size of this process in bytes (0 if /proc is unreadable).
[[nodiscard]] std::uint64_t process_rss_bytes();

}  // namespace tickler::http
