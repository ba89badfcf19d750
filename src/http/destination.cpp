#include "http/destination.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/url/parse.hpp>
#include <charconv>

namespace tickler::http {
namespace {

namespace ip = boost::asio::ip;

struct Range {
  const char* base;
  int prefix;
  const char* reason;
};

// Special-purpose IPv4 ranges (RFC 6890 and its updates) that are never a user's destination.
constexpr std::array k_v4_ranges{
    Range{"0.0.0.0", 8, "unspecified (0.0.0.0/8)"},
    Range{"10.0.0.0", 8, "private (RFC 1918)"},
    Range{"100.64.0.0", 10, "shared address space (CGNAT, 100.64.0.0/10)"},
    Range{"127.0.0.0", 8, "loopback"},
    Range{"169.254.0.0", 16, "link-local (169.254.0.0/16, cloud metadata)"},
    Range{"172.16.0.0", 12, "private (RFC 1918)"},
    Range{"192.0.0.0", 24, "IETF protocol assignments (192.0.0.0/24)"},
    Range{"192.168.0.0", 16, "private (RFC 1918)"},
    Range{"198.18.0.0", 15, "benchmarking (198.18.0.0/15)"},
    Range{"224.0.0.0", 4, "multicast"},
    Range{"255.255.255.255", 32, "broadcast"},
    Range{"240.0.0.0", 4, "reserved (240.0.0.0/4)"},
};

constexpr std::array k_v6_ranges{
    Range{"::", 128, "unspecified (::)"},          Range{"::1", 128, "loopback"},
    Range{"fe80::", 10, "link-local (fe80::/10)"}, Range{"fec0::", 10, "site-local (fec0::/10)"},
    Range{"fc00::", 7, "unique-local (fc00::/7)"}, Range{"ff00::", 8, "multicast"},
    Range{"100::", 64, "discard-only (100::/64)"}, Range{"2001::", 32, "Teredo tunnel (2001::/32)"},
};

bool prefix_matches(const unsigned char* a, const unsigned char* b, int prefix) {
  const int whole = prefix / 8;
  for (int i = 0; i < whole; ++i) {
    if (a[i] != b[i]) return false;
  }
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<unsigned char>(0xFF << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

// The IPv4 address an IPv6 address carries (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d,
// NAT64 64:ff9b::/96, 6to4 2002:AABB:CCDD::/48), if any.
std::optional<ip::address_v4> embedded_v4(const ip::address_v6& a) {
  const auto b = a.to_bytes();
  const auto tail = [&](std::size_t at) {
    return ip::address_v4{ip::address_v4::bytes_type{b[at], b[at + 1], b[at + 2], b[at + 3]}};
  };
  if (a.is_v4_mapped()) return tail(12);
  const bool zero96 =
      std::all_of(b.begin(), b.begin() + 12, [](unsigned char c) { return c == 0; });
  if (zero96 && !a.is_unspecified() && !a.is_loopback()) return tail(12);  // IPv4-compatible
  static const auto nat64 = ip::make_address_v6("64:ff9b::").to_bytes();
  if (prefix_matches(b.data(), nat64.data(), 96)) return tail(12);
  if (b[0] == 0x20 && b[1] == 0x02) return tail(2);  // 6to4
  return std::nullopt;
}

// Every endpoint of host:port (blocking DNS). No AI_ADDRCONFIG: an IPv6 literal resolves on a
// host whose only IPv6 address is ::1.
core::Result<std::vector<ip::tcp::endpoint>> lookup(const std::string& host,
                                                    const std::string& port) {
  boost::asio::io_context ioc;
  ip::tcp::resolver resolver{ioc};
  boost::system::error_code ec;
  const auto results = resolver.resolve(host, port, ip::resolver_base::numeric_service, ec);
  if (ec) return core::make_error(core::Errc::unavailable, "resolve " + host + ": " + ec.message());
  std::vector<ip::tcp::endpoint> out;
  for (const auto& entry : results) out.push_back(entry.endpoint());
  return out;
}

core::Error invalid(std::string message) {
  return core::make_error(core::Errc::invalid_parameter, std::move(message));
}

}  // namespace

bool Cidr::contains(const ip::address& a) const {
  if (a.is_v4() && base.is_v4()) {
    const auto x = a.to_v4().to_bytes();
    const auto y = base.to_v4().to_bytes();
    return prefix_matches(x.data(), y.data(), prefix);
  }
  if (a.is_v6() && base.is_v6()) {
    const auto x = a.to_v6().to_bytes();
    const auto y = base.to_v6().to_bytes();
    return prefix_matches(x.data(), y.data(), prefix);
  }
  // An IPv4 range also covers the IPv4-mapped form of its addresses.
  if (a.is_v6() && base.is_v4() && a.to_v6().is_v4_mapped()) {
    return contains(ip::make_address_v4(ip::v4_mapped, a.to_v6()));
  }
  return false;
}

core::Result<Cidr> parse_cidr(std::string_view text) {
  const auto slash = text.find('/');
  boost::system::error_code ec;
  const auto base = ip::make_address(std::string{text.substr(0, slash)}, ec);
  if (ec) return invalid("not an IP address range: " + std::string{text});
  const int max = base.is_v4() ? 32 : 128;
  int prefix = max;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    const auto [ptr, perr] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (perr != std::errc{} || ptr != digits.data() + digits.size() || prefix < 0 || prefix > max) {
      return invalid("bad prefix length in " + std::string{text});
    }
  }
  return Cidr{base, prefix};
}

std::string non_public_reason(const ip::address& a) {
  if (a.is_v4()) {
    const auto bytes = a.to_v4().to_bytes();
    for (const auto& r : k_v4_ranges) {
      const auto base = ip::make_address_v4(r.base).to_bytes();
      if (prefix_matches(bytes.data(), base.data(), r.prefix)) return r.reason;
    }
    return {};
  }
  const auto v6 = a.to_v6();
  if (auto v4 = embedded_v4(v6)) {
    auto inner = non_public_reason(ip::address{*v4});
    return inner.empty() ? inner : inner + ", inside an IPv6 address";
  }
  const auto bytes = v6.to_bytes();
  for (const auto& r : k_v6_ranges) {
    const auto base = ip::make_address_v6(r.base).to_bytes();
    if (prefix_matches(bytes.data(), base.data(), r.prefix)) return r.reason;
  }
  return {};
}

core::Result<UrlTarget> parse_url_target(std::string_view url) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u) return invalid("not an absolute URL");
  if (u->scheme() != "http" && u->scheme() != "https") return invalid("not an http(s) URL");
  if (u->has_userinfo()) return invalid("a URL with user information is not accepted");
  UrlTarget t;
  t.scheme = u->scheme();
  switch (u->host_type()) {
    case boost::urls::host_type::ipv4:
      t.host = u->host_ipv4_address().to_string();
      break;
    case boost::urls::host_type::ipv6:
      t.host = u->host_ipv6_address().to_string();
      break;
    case boost::urls::host_type::name:
      t.host = u->host();
      break;
    default:
      return invalid("the URL has no usable host");
  }
  if (t.host.empty()) return invalid("the URL has no host");
  t.port = u->has_port() ? std::string{u->port()} : (t.scheme == "https" ? "443" : "80");
  if (u->has_port() && (u->port_number() == 0 || u->port().size() > 5)) {
    return invalid("bad port");
  }
  t.target = u->encoded_path().empty() ? "/" : std::string{u->encoded_path()};
  if (u->has_query()) t.target += "?" + std::string{u->encoded_query()};
  t.host_header = u->encoded_host_and_port();
  return t;
}

DestinationPolicy::DestinationPolicy(DestinationSettings settings)
    : settings_(std::move(settings)) {
  if (settings_.allow_private) {
    identity_ = "any";
    return;
  }
  std::vector<std::string> ranges;
  ranges.reserve(settings_.allowed.size());
  for (const auto& c : settings_.allowed) {
    ranges.push_back(c.base.to_string() + "/" + std::to_string(c.prefix));
  }
  std::sort(ranges.begin(), ranges.end());
  ranges.erase(std::unique(ranges.begin(), ranges.end()), ranges.end());
  identity_ = "public";
  for (const auto& r : ranges) identity_ += "+" + r;
}

std::string DestinationPolicy::refusal(const ip::address& a) const {
  if (settings_.allow_private) return {};
  for (const auto& c : settings_.allowed) {
    if (c.contains(a)) return {};
  }
  return non_public_reason(a);
}

core::Result<std::vector<ip::tcp::endpoint>> DestinationPolicy::resolve(
    const std::string& host, const std::string& port) const {
  auto endpoints = lookup(host, port);
  if (!endpoints) return endpoints.error();
  std::vector<ip::tcp::endpoint> allowed;
  std::string why;
  for (const auto& endpoint : *endpoints) {
    if (auto reason = refusal(endpoint.address()); !reason.empty()) {
      why = "destination refused: " + endpoint.address().to_string() + " is " + reason;
    } else {
      allowed.push_back(endpoint);
    }
  }
  if (allowed.empty()) {
    return core::make_error(core::Errc::unavailable,
                            why.empty() ? "resolve " + host + ": no address" : why);
  }
  return allowed;
}

core::Status DestinationPolicy::check_url(std::string_view url, const std::string& field) const {
  auto t = parse_url_target(url);
  if (!t) return core::field_error(field, t.error().message);
  auto endpoints = lookup(t->host, t->port);
  if (!endpoints) return {};  // checked again on every request
  for (const auto& endpoint : *endpoints) {
    const auto& address = endpoint.address();
    if (auto reason = refusal(address); !reason.empty()) {
      return core::field_error(field, "the host " + t->host + " resolves to " +
                                          address.to_string() + ", which is " + reason +
                                          "; only public addresses are allowed");
    }
  }
  return {};
}

}  // namespace tickler::http
