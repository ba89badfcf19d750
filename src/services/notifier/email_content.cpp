#include "services/notifier/email_content.hpp"

#include "core/local_time.hpp"
#include "http/link_page.hpp"

namespace tickler::services::notifier {
namespace {

using http::html_escape;

auth::LinkClaims claims(const LinkSigner& signer, std::string purpose, std::string action,
                        core::UserId user, std::string subject, core::Instant now) {
  return {std::move(purpose), std::move(action),   user,
          std::move(subject), auth::new_link_id(), now + signer.ttl};
}

std::string button(const std::string& url, const std::string& label) {
  return "<a href=\"" + html_escape(url) +
         "\" style=\"display:inline-block;margin:0 8px 8px 0;padding:8px 14px;border-radius:6px;"
         "background:#2457c5;color:#ffffff;text-decoration:none\">" +
         html_escape(label) + "</a>";
}

std::string html_page(const std::string& body) {
  return "<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.4\">" + body +
         "<p style=\"color:#666;font-size:12px\">Sent by Tickler. Each link works once and for "
         "7 days; opening one only shows a page, nothing happens until you press its "
         "button.</p></body></html>";
}

}  // namespace

std::string link_url(const LinkSigner& signer, const auth::LinkClaims& c) {
  return signer.public_url + "/links/" + c.purpose + "/" + auth::sign_link(signer.key, c);
}

std::string message_id_host(const std::string& public_url) {
  auto rest = std::string_view{public_url};
  if (auto p = rest.find("://"); p != std::string_view::npos) rest.remove_prefix(p + 3);
  rest = rest.substr(0, rest.find_first_of(":/"));
  return rest.empty() ? "tickler" : std::string{rest};
}

mail::MailMessage confirmation_mail(const LinkSigner& signer, const std::string& from,
                                    const store::EmailChannel& channel, core::Instant now) {
  const auto c = claims(signer, "email", "confirm", channel.user_id, channel.address, now);
  const auto url = link_url(signer, c);
  mail::MailMessage m;
  m.from = from;
  m.to = channel.address;
  m.subject = "Confirm your address for Tickler reminders";
  m.text = "Someone (hopefully you) asked Tickler to mail reminders to " + channel.address +
           ".\n\nConfirm it here (the page has a button; the link works once, for 7 days):\n" +
           url + "\n\nIf it was not you, ignore this mail: nothing will be sent.\n";
  m.html = html_page("<p>Someone (hopefully you) asked Tickler to mail reminders to <b>" +
                     html_escape(channel.address) + "</b>.</p><p>" +
                     button(url, "Confirm this address") +
                     "</p><p>If it was not you, ignore this mail: nothing will be sent.</p>");
  m.message_id = "<confirm-" + c.id + "@" + message_id_host(signer.public_url) + ">";
  m.date = now;
  m.headers = {{"Auto-Submitted", "auto-generated"}};
  return m;
}

mail::MailMessage digest_mail(const LinkSigner& signer, const std::string& from,
                              const std::string& to, const DigestContent& digest,
                              core::Instant now) {
  mail::MailMessage m;
  m.from = from;
  m.to = to;
  const auto count = std::to_string(digest.items.size());
  m.subject = "Tickler digest for " + digest.date + ": " + count +
              (digest.items.size() == 1 ? " task" : " tasks");
  m.text = "Your tasks overdue and due today (" + digest.date + ", " + digest.time_zone + "):\n\n";
  std::string rows;
  for (const auto& item : digest.items) {
    const auto open = signer.public_url + "/?task=" + std::to_string(item.task_id);
    const auto when = (item.overdue ? "Overdue since " : "Due ") +
                      core::local_time_text(item.due_at, item.time_zone);
    m.text += "- " + item.title + " (" + when + ")\n  " + open + "\n";
    rows += "<li style=\"margin:0 0 8px\"><a href=\"" + html_escape(open) + "\">" +
            html_escape(item.title) +
            "</a><br><span style=\"color:" + (item.overdue ? "#b00020" : "#555") + "\">" +
            html_escape(when) + "</span></li>";
  }
  if (digest.items.empty()) {
    m.text += "Nothing overdue, nothing due today.\n";
    rows = "<li>Nothing overdue, nothing due today.</li>";
  }
  m.text += "\nOpen Tickler: " + signer.public_url + "/\n";
  m.html =
      html_page("<h2 style=\"margin:0 0 4px\">Your day, " + html_escape(digest.date) +
                "</h2><p style=\"margin:0 0 16px\">Overdue and due today</p><ul>" + rows + "</ul>");
  const auto key = digest_id(digest.user_id, digest.date);
  m.message_id = "<" + key + ".email@" + message_id_host(signer.public_url) + ">";
  m.date = now;
  m.headers = {{"Auto-Submitted", "auto-generated"}, {"X-Tickler-Delivery", key + "/email"}};
  return m;
}

mail::MailMessage test_mail(const LinkSigner& signer, const std::string& from,
                            const std::string& to, core::Instant now) {
  mail::MailMessage m;
  m.from = from;
  m.to = to;
  m.subject = "Tickler: a test of your email channel";
  m.text = "This is a test sent from Tickler's settings: reminders mailed to " + to +
           " reach you.\n\nOpen Tickler: " + signer.public_url + "/\n";
  m.html = html_page("<p>This is a test sent from Tickler's settings: reminders mailed to <b>" +
                     html_escape(to) + "</b> reach you.</p><p><a href=\"" +
                     html_escape(signer.public_url) + "/\">Open Tickler</a></p>");
  // A test is not a delivery: no key to dedupe on; its time tells two tests apart.
  m.message_id = "<test-" + std::to_string(core::to_millis(now)) + "@" +
                 message_id_host(signer.public_url) + ">";
  m.date = now;
  m.headers = {{"Auto-Submitted", "auto-generated"}, {"X-Tickler-Test", "1"}};
  return m;
}

mail::MailMessage reminder_mail(const LinkSigner& signer, const std::string& from,
                                const std::string& to, const store::ReminderRow& r,
                                core::Instant now) {
  const auto task = std::to_string(r.task_id);
  auto link = [&](const char* action) {
    return link_url(signer, claims(signer, "task", action, r.user_id, task, now));
  };
  const std::string when = r.due_at
                               ? "Due " + core::local_time_text(*r.due_at, r.time_zone)
                               : "Reminder for " + core::local_time_text(r.remind_at, r.time_zone);
  const std::pair<const char*, const char*> actions[] = {
      {"done", "Done"},
      {"snooze-10m", "Snooze 10 min"},
      {"snooze-1h", "Snooze 1 h"},
      {"snooze-tomorrow", "Tomorrow 9:00"},
  };
  const auto open = signer.public_url + "/?task=" + task;
  mail::MailMessage m;
  m.from = from;
  m.to = to;
  m.subject = "Reminder: " + r.title;
  m.text = r.title + "\n" + when + "\n\n";
  std::string buttons;
  for (const auto& [action, label] : actions) {
    const auto url = link(action);
    m.text += std::string{label} + ": " + url + "\n";
    buttons += button(url, label);
  }
  m.text += "Open: " + open +
            "\n\nEach link opens a page with a button; it works once, for 7 "
            "days.\n";
  buttons += button(open, "Open");
  m.html = html_page("<h2 style=\"margin:0 0 4px\">" + html_escape(r.title) +
                     "</h2><p style=\"margin:0 0 16px\">" + html_escape(when) + "</p><p>" +
                     buttons + "</p>");
  m.message_id = "<" + r.id + ".email@" + message_id_host(signer.public_url) + ">";
  m.date = now;
  m.headers = {{"Auto-Submitted", "auto-generated"}, {"X-Tickler-Delivery", r.id + "/email"}};
  return m;
}

}  // namespace tickler::services::notifier
