#include "http/link_page.hpp"

namespace tickler::http {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Response link_page(beast_http::status status, std::string_view heading, std::string_view message,
                   std::string_view button) {
  std::string body =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"robots\" content=\"noindex\"><title>" +
      html_escape(heading) + " · Tickler</title></head>\n<body><main><h1>" + html_escape(heading) +
      "</h1><p>" + html_escape(message) + "</p>";
  // action="" posts to the page's own URL (its token included).
  if (!button.empty()) {
    body += "<form method=\"post\" action=\"\"><button type=\"submit\">" + html_escape(button) +
            "</button></form>";
  }
  body += "</main></body></html>\n";
  Response res{status, 11};
  res.set(beast_http::field::content_type, "text/html; charset=utf-8");
  res.set(beast_http::field::cache_control, "no-store");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Content-Security-Policy",
          "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace tickler::http
