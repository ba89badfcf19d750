#include "mail/message.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

namespace tickler::mail {
namespace {

std::string unbase64(std::string text) {
  std::erase(text, '\r');
  std::erase(text, '\n');
  std::string out(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return "<bad base64>";
  }
  out.resize(len);
  return out;
}

MailMessage sample() {
  MailMessage m;
  m.from = "Tickler <tickler@example.com>";
  m.to = "ana@example.com";
  m.subject = "Reminder: Pay rent";
  m.text = "Pay rent\nDue Mon 7 Dec 2026, 09:30 CET\n";
  m.html = "<p>Pay rent</p>";
  m.message_id = "<r1.email@tickler>";
  m.date = core::from_millis(1'796'000'000'000);
  return m;
}

TEST(MailMessage, ComposesHeadersAndTwoPartsWithCrlf) {
  const auto out = compose(sample(), "BOUNDARY");
  EXPECT_EQ(out.find("From: Tickler <tickler@example.com>\r\n"), 0U);
  EXPECT_NE(out.find("\r\nTo: ana@example.com\r\n"), std::string::npos);
  EXPECT_NE(out.find("\r\nSubject: Reminder: Pay rent\r\n"), std::string::npos);
  EXPECT_NE(out.find("\r\nMessage-ID: <r1.email@tickler>\r\n"), std::string::npos);
  EXPECT_NE(out.find("\r\nDate: " + rfc5322_date(sample().date) + "\r\n"), std::string::npos);
  EXPECT_NE(out.find("multipart/alternative; boundary=\"BOUNDARY\""), std::string::npos);
  const auto text_at = out.find("text/plain; charset=UTF-8");
  const auto html_at = out.find("text/html; charset=UTF-8");
  ASSERT_NE(text_at, std::string::npos);
  ASSERT_NE(html_at, std::string::npos);
  EXPECT_LT(text_at, html_at);
  EXPECT_TRUE(out.ends_with("--BOUNDARY--\r\n"));
  // Every line ends in CRLF and stays short; no bare LF.
  std::size_t start = 0;
  while (start < out.size()) {
    const auto end = out.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 78U);
    EXPECT_EQ(out.substr(start, end - start).find('\n'), std::string::npos);
    start = end + 2;
  }
  // The text part decodes back to the text.
  const auto body_at = out.find("\r\n\r\n", text_at) + 4;
  const auto body_end = out.find("--BOUNDARY", body_at);
  EXPECT_EQ(unbase64(out.substr(body_at, body_end - body_at)), sample().text);
}

TEST(MailMessage, HeadersCannotBeInjectedAndUnicodeSubjectsAreEncoded) {
  auto m = sample();
  m.subject = "Zahlen\r\nBcc: victim@example.com — Miete für März, bitte nicht vergessen!";
  const auto out = compose(m, "B");
  EXPECT_EQ(out.find("\r\nBcc:"), std::string::npos);
  EXPECT_NE(out.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_EQ(out.find("für"), std::string::npos);  // not raw 8-bit in a header
}

TEST(MailMessage, Date) {
  EXPECT_EQ(rfc5322_date(core::from_millis(0)), "Thu, 01 Jan 1970 00:00:00 +0000");
}

TEST(MailAddress, ValidAndInvalid) {
  for (const char* good : {"ana@example.com", "a.b+tag@mail.example.co.uk", "x_y-1@a-b.io"}) {
    EXPECT_TRUE(valid_address(good)) << good;
  }
  for (const char* bad : {"", "ana", "ana@", "@example.com", "ana@example", "a b@example.com",
                          "ana@@example.com", "ana@exa mple.com", "<ana@example.com>",
                          "ana@example.com\r\nBcc: x@y.z", "ana@-example.com", ".ana@example.com",
                          "a..b@example.com", "ana@example..com", "\"ana\"@example.com"}) {
    EXPECT_FALSE(valid_address(bad)) << bad;
  }
  EXPECT_FALSE(valid_address(std::string(250, 'a') + "@example.com"));
  EXPECT_EQ(address_of("Tickler <t@example.com>"), "t@example.com");
  EXPECT_EQ(address_of("t@example.com"), "t@example.com");
}

}  // namespace
}  // namespace tickler::mail
