#pragma once
// The small server-rendered pages behind links mailed to users. A mail scanner fetches every
// link, so a GET only shows a page whose form POSTs to the same URL; only that POST acts. The
// pages carry no script and a strict Content-Security-Policy; every text is escaped.
#include <string>
#include <string_view>

#include "http/types.hpp"

namespace tickler::http {

// Text made safe inside HTML elements and attribute values (& < > " ').
[[nodiscard]] std::string html_escape(std::string_view text);

// A page titled `heading` saying `message`; with a button labelled `button` (not empty), a form
// that POSTs to the page's own URL. Both texts are escaped here.
[[nodiscard]] Response link_page(beast_http::status status, std::string_view heading,
                                 std::string_view message, std::string_view button = {});

}  // namespace tickler::http
