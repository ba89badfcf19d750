#include "http/destination.hpp"

#include <gtest/gtest.h>

namespace tickler::http {
namespace {

namespace ip = boost::asio::ip;

std::string reason(const char* address) {
  return non_public_reason(ip::make_address(address));
}

TEST(Destination, RefusesEveryNonPublicIpv4Range) {
  for (const char* a :
       {"127.0.0.1", "127.255.0.9", "0.0.0.0", "0.1.2.3", "10.0.0.1", "172.16.0.1",
        "172.31.255.255", "192.168.1.1", "100.64.0.1", "100.127.255.254", "169.254.169.254",
        "224.0.0.1", "239.1.1.1", "255.255.255.255", "240.0.0.1", "192.0.0.8", "198.18.0.1"}) {
    EXPECT_FALSE(reason(a).empty()) << a;
  }
  EXPECT_EQ(reason("169.254.169.254"), "link-local (169.254.0.0/16, cloud metadata)");
  EXPECT_EQ(reason("255.255.255.255"), "broadcast");
}

TEST(Destination, AllowsPublicAddresses) {
  for (const char* a : {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "192.169.0.1",
                        "93.184.216.34", "2606:4700::1111", "2001:db8::1"}) {
    EXPECT_EQ(reason(a), "") << a;
  }
}

TEST(Destination, RefusesNonPublicIpv6AndEmbeddedIpv4) {
  for (const char* a : {"::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
                        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
                        "::127.0.0.1", "64:ff9b::a00:1", "2002:7f00:1::1", "fec0::1"}) {
    EXPECT_FALSE(reason(a).empty()) << a;
  }
  EXPECT_EQ(reason("::ffff:127.0.0.1"), "loopback, inside an IPv6 address");
  EXPECT_EQ(reason("::ffff:8.8.8.8"), "");
}

TEST(Destination, OperatorAllowList) {
  auto cidr = parse_cidr("127.0.0.0/8");
  ASSERT_TRUE(cidr);
  DestinationPolicy policy{{false, {*cidr}}};
  EXPECT_TRUE(policy.allows(ip::make_address("127.0.0.1")));
  EXPECT_TRUE(policy.allows(ip::make_address("::ffff:127.0.0.1")));
  EXPECT_FALSE(policy.allows(ip::make_address("10.0.0.1")));
  EXPECT_FALSE(policy.allows(ip::make_address("::1")));
  DestinationPolicy open{{true, {}}};
  EXPECT_TRUE(open.allows(ip::make_address("10.0.0.1")));
  EXPECT_FALSE(parse_cidr("10.0.0.0/33"));
  EXPECT_FALSE(parse_cidr("fd00::/129"));
  EXPECT_FALSE(parse_cidr("not-an-address"));
  EXPECT_FALSE(parse_cidr("10.0.0.0/8x"));
  auto single = parse_cidr("fd00::7");
  ASSERT_TRUE(single);
  EXPECT_TRUE(single->contains(ip::make_address("fd00::7")));
  EXPECT_FALSE(single->contains(ip::make_address("fd00::8")));
}

TEST(Destination, UrlTargets) {
  auto v6 = parse_url_target("http://[2001:db8::1]:8080/hook?x=1");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "2001:db8::1");
  EXPECT_EQ(v6->port, "8080");
  EXPECT_EQ(v6->target, "/hook?x=1");
  EXPECT_EQ(v6->host_header, "[2001:db8::1]:8080");
  auto plain = parse_url_target("http://example.com");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->port, "80");
  EXPECT_EQ(plain->target, "/");
  EXPECT_FALSE(parse_url_target("ftp://example.com/"));
  EXPECT_FALSE(parse_url_target("http://user:pw@example.com/"));
  EXPECT_FALSE(parse_url_target("http:///path"));
  EXPECT_FALSE(parse_url_target("/relative"));
}

// Numeric spellings of 127.0.0.1 resolve to loopback and are refused, whatever the form.
TEST(Destination, NumericSpellingsOfLoopbackAreRefused) {
  DestinationPolicy policy;
  for (const char* host : {"127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1",
                           "localhost", "::1", "0.0.0.0"}) {
    auto endpoints = policy.resolve(host, "80");
    ASSERT_FALSE(endpoints) << host;
    EXPECT_NE(endpoints.error().message.find("destination refused"), std::string::npos)
        << host << ": " << endpoints.error().message;
  }
  for (const char* url : {"http://2130706433/", "http://[::1]:9/", "http://localhost/x",
                          "http://[::ffff:169.254.169.254]/", "http://0x7f.1/"}) {
    auto st = policy.check_url(url, "url");
    ASSERT_FALSE(st) << url;
    EXPECT_EQ(st.error().code, core::Errc::validation_failed) << url;
  }
  EXPECT_TRUE(policy.check_url("http://[2001:db8::1]:8080/", "url"));
}

}  // namespace
}  // namespace tickler::http
