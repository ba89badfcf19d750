#include "http/fetch.hpp"

#include <gtest/gtest.h>

namespace tickler::http {
namespace {

FetchSettings quick() {
  FetchSettings s;
  s.timeout = std::chrono::milliseconds{2000};
  return s;
}

TEST(FetchHttps, OnlyHttpsUrlsAreFetched) {
  for (const char* url : {"http://example.com/c.json", "ftp://example.com/c.json", "not a url"}) {
    auto r = fetch_https(url, {}, DestinationPolicy{});
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code, core::Errc::invalid_parameter) << url;
  }
}

TEST(FetchHttps, TheAddressConnectedToIsCheckedByThePolicy) {
  // Nothing listens there, but the policy refuses before any connection is tried.
  for (const char* url : {"https://127.0.0.1:9/c.json", "https://[::1]:9/c.json",
                          "https://localhost:9/c.json", "https://169.254.169.254/latest"}) {
    auto r = fetch_https(url, quick(), DestinationPolicy{});
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code, core::Errc::unavailable) << url;
    EXPECT_NE(r.error().message.find("destination refused"), std::string::npos)
        << url << ": " << r.error().message;
  }
  // Allowed, the connection is tried (and fails: nothing listens).
  DestinationSettings open;
  open.allow_private = true;
  auto tried = fetch_https("https://127.0.0.1:9/c.json", quick(), DestinationPolicy{open});
  ASSERT_FALSE(tried);
  EXPECT_EQ(tried.error().message.find("destination refused"), std::string::npos);
}

}  // namespace
}  // namespace tickler::http
