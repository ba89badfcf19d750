#pragma once
// Sends one composed message over SMTP through libcurl: smtp://host:port (STARTTLS when the
// server offers it, or required with require_tls), smtps://host:port (TLS from the first byte),
// AUTH with the URL's user:password, certificates checked against the system's CAs or ca_file.
// Blocking: run it through base::Offload. The URL's password never appears in an error.
#include <chrono>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace tickler::mail {

struct SmtpSettings {
  std::string url;           // smtp://[user:pass@]host:port or smtps://…; empty: mail is off
  std::string from;          // "Tickler <tickler@example.com>"
  std::string ca_file;       // extra trusted CAs (PEM); empty: the system's
  bool require_tls = false;  // smtp://: refuse to send unless STARTTLS succeeds
  std::chrono::milliseconds timeout{30'000};  // the whole exchange
};

// invalid_parameter for a URL that is not smtp:// or smtps://host…
[[nodiscard]] core::Status check_smtp_url(std::string_view url);

// Sends `message` (mail::compose's bytes) from settings.from's address to `to`. unavailable when
// the server cannot be reached, refuses TLS, authentication or a recipient, or times out; the
// message names what failed (never the password).
[[nodiscard]] core::Status send_mail(const SmtpSettings& settings, std::string_view to,
                                     const std::string& message);

}  // namespace tickler::mail
