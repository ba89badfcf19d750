#include "http/redact.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace tickler::http {

namespace {

bool is_secret_parameter(std::string_view key) {
  constexpr std::array<std::string_view, 2> k_names{"token", "access_token"};
  return std::any_of(k_names.begin(), k_names.end(), [&](std::string_view name) {
    return key.size() == name.size() &&
           std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == b;
           });
  });
}

}  // namespace

// Works on the raw text (no decoding), so a malformed target is redacted as well as a valid one.
std::string redact_target(std::string_view target) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return std::string{target};
  std::string out{target.substr(0, q + 1)};
  std::string_view query = target.substr(q + 1);
  std::string_view fragment;
  if (const auto hash = query.find('#'); hash != std::string_view::npos) {
    fragment = query.substr(hash);
    query = query.substr(0, hash);
  }
  bool first = true;
  while (true) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    if (!first) out += '&';
    first = false;
    const auto eq = part.find('=');
    if (eq != std::string_view::npos && is_secret_parameter(part.substr(0, eq))) {
      out.append(part.substr(0, eq + 1));
      out += "[redacted]";
    } else {
      out.append(part);
    }
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
  out.append(fragment);
  return out;
}

}  // namespace tickler::http
