#include "mail/smtp.hpp"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>

#include "mail/message.hpp"

namespace tickler::mail {
namespace {

struct Upload {
  const std::string* data = nullptr;
  std::size_t sent = 0;
};

std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* u = static_cast<Upload*>(user);
  const auto n = std::min(size * count, u->data->size() - u->sent);
  std::memcpy(buffer, u->data->data() + u->sent, n);
  u->sent += n;
  return n;
}

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

core::Error unavailable(std::string message) {
  return core::make_error(core::Errc::unavailable, std::move(message));
}

}  // namespace

core::Status check_smtp_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  const auto scheme = url.substr(0, scheme_end);
  if (scheme_end == std::string_view::npos || (scheme != "smtp" && scheme != "smtps") ||
      url.size() == scheme_end + 3) {
    return core::make_error(core::Errc::invalid_parameter,
                            "an SMTP URL is smtp://[user:password@]host:port or smtps://…");
  }
  return {};
}

core::Status send_mail(const SmtpSettings& settings, std::string_view to,
                       const std::string& message) {
  if (auto st = check_smtp_url(settings.url); !st) return st;
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, EasyDeleter> curl{curl_easy_init()};
  if (!curl) return unavailable("cannot start a transfer");
  const std::string from = "<" + std::string{address_of(settings.from)} + ">";
  const std::string rcpt = "<" + std::string{to} + ">";
  std::unique_ptr<curl_slist, ListDeleter> recipients{curl_slist_append(nullptr, rcpt.c_str())};
  if (!recipients) return unavailable("out of memory");
  Upload upload{&message, 0};
  char error[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, settings.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.timeout.count()));
  curl_easy_setopt(c, CURLOPT_USE_SSL,
                   static_cast<long>(settings.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &on_read);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  if (!settings.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, settings.ca_file.c_str());
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    // libcurl's detail (e.g. "RCPT failed: 550") when it gave one; it never holds the URL.
    std::string why = error[0] ? std::string{error} : std::string{curl_easy_strerror(code)};
    auto e = unavailable("SMTP: " + why);
    if (code == CURLE_OPERATION_TIMEDOUT) e.code_name = "timeout";
    return e;
  }
  return {};
}

}  // namespace tickler::mail
