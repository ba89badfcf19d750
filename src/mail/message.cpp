#include "mail/message.hpp"

#include <date/date.h>
#include <sodium.h>

#include <algorithm>

namespace tickler::mail {
namespace {

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();  // the terminating NUL
  return out;
}

// base64 in lines of 76 characters, each ended by CRLF.
std::string base64_lines(std::string_view bytes) {
  const auto encoded = base64(bytes);
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); i += 76) {
    out.append(encoded, i, 76);
    out += "\r\n";
  }
  return out;
}

// Header text without control characters (CR and LF above all: no header injection).
std::string header_text(std::string_view text) {
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7f) out += ch;
  }
  return out;
}

bool ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x80; });
}

// The subject as one or more RFC 2047 encoded words (each at most 75 characters, never splitting
// a UTF-8 sequence), folded; plain when it is short ASCII.
std::string encode_subject(std::string_view subject) {
  const auto text = header_text(subject);
  if (ascii(text) && text.size() <= 68) return text;
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t n = std::min<std::size_t>(39, text.size() - i);  // 39 bytes → 52 base64 chars
    // Back off to a UTF-8 sequence's first byte.
    while (i + n < text.size() && n > 1 && (static_cast<unsigned char>(text[i + n]) & 0xc0) == 0x80)
      --n;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(std::string_view{text}.substr(i, n)) + "?=";
    i += n;
  }
  return out;
}

bool label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

}  // namespace

bool valid_address(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  const auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || a.find('@', at + 1) != std::string_view::npos)
    return false;
  const auto local = a.substr(0, at);
  const auto domain = a.substr(at + 1);
  if (local.size() > 64) return false;
  for (char ch : local) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f) return false;
    if (std::string_view{"\"(),:;<>[\\]"}.find(ch) != std::string_view::npos) return false;
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return false;
  if (domain.find('.') == std::string_view::npos) return false;
  std::size_t start = 0;
  while (start <= domain.size()) {
    const auto end = std::min(domain.find('.', start), domain.size());
    const auto label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    if (!std::all_of(label.begin(), label.end(), label_char)) return false;
    start = end + 1;
  }
  return true;
}

std::string_view address_of(std::string_view mailbox) {
  const auto open = mailbox.rfind('<');
  const auto close = mailbox.rfind('>');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return mailbox;
  return mailbox.substr(open + 1, close - open - 1);
}

std::string rfc5322_date(core::Instant at) {
  return date::format("%a, %d %b %Y %H:%M:%S +0000", date::floor<std::chrono::seconds>(at));
}

std::string compose(const MailMessage& m, std::string_view boundary) {
  const std::string b{boundary};
  std::string out;
  auto header = [&](std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append("\r\n");
  };
  header("From", header_text(m.from));
  header("To", header_text(m.to));
  header("Subject", encode_subject(m.subject));
  header("Date", rfc5322_date(m.date));
  header("Message-ID", header_text(m.message_id));
  for (const auto& [name, value] : m.headers) header(header_text(name), header_text(value));
  header("MIME-Version", "1.0");
  header("Content-Type", "multipart/alternative; boundary=\"" + b + "\"");
  out += "\r\n";
  auto part = [&](std::string_view type, std::string_view body) {
    out += "--" + b + "\r\n";
    header("Content-Type", std::string{type} + "; charset=UTF-8");
    header("Content-Transfer-Encoding", "base64");
    out += "\r\n";
    out += base64_lines(body);
  };
  part("text/plain", m.text);
  part("text/html", m.html);
  out += "--" + b + "--\r\n";
  return out;
}

}  // namespace tickler::mail
