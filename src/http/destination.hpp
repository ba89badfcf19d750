#pragma once
// The one outbound-destination policy: which addresses a request on behalf of a user (a webhook,
// any delivery channel) may connect to. By default only public unicast addresses: loopback,
// unspecified, private (RFC 1918), CGNAT, link-local (cloud metadata), unique-local, multicast,
// broadcast, reserved and the IPv6 forms that embed such an IPv4 address are refused. The
// operator may allow every private destination, or some address ranges (CIDR), for on-premises
// use. Checked when a URL is saved (check_url) and again on each address a request connects to
// (allows), so a name that resolves differently later (DNS rebinding) is still refused.
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace tickler::http {

// An address range: base address and prefix length.
struct Cidr {
  boost::asio::ip::address base;
  int prefix = 0;
  [[nodiscard]] bool contains(const boost::asio::ip::address& a) const;
};

// "10.0.0.0/8", "fd00::/8", "192.168.1.7" (a single address); invalid_parameter otherwise.
[[nodiscard]] core::Result<Cidr> parse_cidr(std::string_view text);

// Why an address is not a public destination ("loopback", "private (RFC 1918)", …); empty when it
// is one. IPv4-mapped, IPv4-compatible, NAT64 and 6to4 IPv6 addresses are judged by the IPv4
// address they carry.
[[nodiscard]] std::string non_public_reason(const boost::asio::ip::address& a);

// The host and port of an absolute http:// or https:// URL, with IPv6 brackets removed.
struct UrlTarget {
  std::string scheme;
  std::string host;  // a name, or an IP address without brackets
  std::string port;
  std::string target;  // path and query, at least "/"
  std::string host_header;
};
// invalid_parameter with a reason when the URL is not an absolute http(s) URL with a host, or has
// user information.
[[nodiscard]] core::Result<UrlTarget> parse_url_target(std::string_view url);

struct DestinationSettings {
  bool allow_private = false;  // every address allowed (on-premises use, tests)
  std::vector<Cidr> allowed;   // ranges allowed besides the public addresses
};

class DestinationPolicy {
 public:
  explicit DestinationPolicy(DestinationSettings settings = {});
  // What this policy allows, as text ("public", "public+10.0.0.0/8", "any"): equal for two
  // policies that allow the same addresses. A connection opened under one may carry a request
  // under the other (fetch.cpp keeps connections per identity), never under a different one.
  [[nodiscard]] const std::string& identity() const { return identity_; }
  // Empty when a request may connect to this address; else why not.
  [[nodiscard]] std::string refusal(const boost::asio::ip::address& a) const;
  [[nodiscard]] bool allows(const boost::asio::ip::address& a) const { return refusal(a).empty(); }
  // Checks a URL a user saves: its form, then every address its host resolves to now (blocking
  // DNS). validation_failed on field `field` with details.problem saying why. A name that does
  // not resolve now is accepted: every request checks the addresses it connects to.
  [[nodiscard]] core::Status check_url(std::string_view url, const std::string& field) const;
  // Resolves host:port and keeps the endpoints this policy allows (blocking DNS). unavailable
  // when the name does not resolve; forbidden-destination error (Errc::unavailable, message
  // "destination refused: …") when it resolves only to refused addresses.
  [[nodiscard]] core::Result<std::vector<boost::asio::ip::tcp::endpoint>> resolve(
      const std::string& host, const std::string& port) const;

 private:
  DestinationSettings settings_;
  std::string identity_;
};

}  // namespace tickler::http
