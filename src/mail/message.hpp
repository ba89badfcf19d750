#pragma once
// An email as it goes over SMTP (RFC 5322 + MIME): a multipart/alternative of a plain-text and an
// HTML part, both UTF-8 in base64, the subject RFC 2047-encoded when it is not ASCII. Also the
// address checks that keep what a user typed out of the headers.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.hpp"

namespace tickler::mail {

struct MailMessage {
  std::string from;        // "Tickler <tickler@example.com>" or a bare address
  std::string to;          // a bare address (valid_address)
  std::string subject;     // UTF-8, any text: control characters are dropped
  std::string text;        // the plain-text part
  std::string html;        // the HTML part (already escaped where it shows user text)
  std::string message_id;  // "<id@host>"; the same id for the same mail lets clients dedupe
  core::Instant date{};
  std::vector<std::pair<std::string, std::string>> headers;  // extra, e.g. Auto-Submitted
};

// The message's bytes with CRLF line ends, ready for SMTP's DATA (lines never start with "." and
// stay under 78 characters: headers folded, bodies base64 in 76-character lines). `boundary`
// separates the parts (it must not occur in them; base64 and headers never hold "=_").
[[nodiscard]] std::string compose(const MailMessage& message,
                                  std::string_view boundary = "=_tickler_part_boundary");

// A deliverable address as people type them: local@domain, one '@', no spaces, quotes, angle
// brackets or control characters, a domain of dot-separated labels (letters, digits, hyphens)
// with at least one dot, at most 254 characters. Stricter than RFC 5321 on purpose.
[[nodiscard]] bool valid_address(std::string_view address);

// The address of "Name <address>" (or the text itself when there are no angle brackets).
[[nodiscard]] std::string_view address_of(std::string_view mailbox);

// RFC 5322 date-time, UTC: "Sun, 06 Dec 2026 18:07:28 +0000".
[[nodiscard]] std::string rfc5322_date(core::Instant at);

}  // namespace tickler::mail
