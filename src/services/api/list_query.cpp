#include "services/api/list_query.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <set>
#include <sstream>

#include "auth/jwt.hpp"
#include "core/validation.hpp"

namespace tickler::services::api {
namespace {

constexpr std::size_t k_max_words = 16;
constexpr std::size_t k_max_query_chars = 500;
constexpr int k_max_limit = 200;

core::Error bad(const std::string& parameter, const std::string& problem) {
  return core::make_error(core::Errc::invalid_parameter, parameter + ": " + problem,
                          {{"parameter", parameter}, {"problem", problem}});
}

// Splits "a,b" lists and repeated parameters into one list of trimmed, non-empty items.
void append_list(std::vector<std::string>& out, const std::string& value) {
  std::stringstream in{value};
  for (std::string item; std::getline(in, item, ',');) {
    const auto b = item.find_first_not_of(' ');
    const auto e = item.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
}

core::Result<core::Instant> instant_param(const std::string& name, const std::string& value) {
  auto t = core::parse_rfc3339(value);
  if (!t) return bad(name, "must be an RFC 3339 date-time like 2026-12-01T00:00:00Z");
  return *t;
}

}  // namespace

core::Result<core::TaskQuery> parse_list_query(core::UserId user, const QueryParams& params) {
  static const std::set<std::string> known = {"q",          "status",    "priority", "tag",
                                              "due_before", "due_after", "sort",     "order",
                                              "limit",      "cursor",    "has_due"};
  static const std::set<std::string> repeatable = {"priority", "tag"};
  std::map<std::string, std::string> single;
  std::vector<std::string> priorities;
  std::vector<std::string> tags;
  for (const auto& [k, v] : params) {
    if (!known.contains(k)) return bad(k, "unknown parameter");
    if (k == "priority") {
      append_list(priorities, v);
    } else if (k == "tag") {
      append_list(tags, v);
    } else if (!single.emplace(k, v).second) {
      return bad(k, "given more than once");
    }
  }

  core::TaskQuery q;
  q.user_id = user;
  if (auto it = single.find("q"); it != single.end()) {
    if (it->second.size() > k_max_query_chars) return bad("q", "at most 500 characters");
    // Control characters (NUL among them) separate words like white space.
    std::string text = it->second;
    for (auto& c : text) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    }
    std::istringstream in{text};
    for (std::string w; in >> w;) q.words.push_back(std::move(w));
    if (q.words.size() > k_max_words) return bad("q", "at most 16 words");
  }
  if (auto it = single.find("status"); it != single.end() && it->second != "all") {
    q.status = core::parse_status(it->second);
    if (!q.status) return bad("status", "must be pending, completed or all");
  }
  for (const auto& p : priorities) {
    auto prio = core::parse_priority(p);
    if (!prio) return bad("priority", "must be high, medium, low or none");
    q.priorities.push_back(*prio);
  }
  for (const auto& t : tags) {
    auto tag = core::normalize_tag(t);
    if (!tag) return bad("tag", std::get<std::string>(tag.error().details.at("problem")));
    q.tags.push_back(std::move(*tag));
  }
  if (q.tags.size() > core::k_max_tags) return bad("tag", "at most 20 tags");
  if (auto it = single.find("due_before"); it != single.end()) {
    auto t = instant_param("due_before", it->second);
    if (!t) return t.error();
    q.due_before = *t;
  }
  if (auto it = single.find("due_after"); it != single.end()) {
    auto t = instant_param("due_after", it->second);
    if (!t) return t.error();
    q.due_after = *t;
  }
  if (auto it = single.find("has_due"); it != single.end()) {
    if (it->second != "true" && it->second != "false")
      return bad("has_due", "must be true or false");
    q.has_due = it->second == "true";
  }
  if (auto it = single.find("sort"); it != single.end()) {
    auto s = core::parse_sort_key(it->second);
    if (!s) return bad("sort", "must be due, priority, title or created");
    q.sort = *s;
  }
  q.order = core::default_order(q.sort);
  if (auto it = single.find("order"); it != single.end()) {
    auto o = core::parse_sort_order(it->second);
    if (!o) return bad("order", "must be asc or desc");
    q.order = *o;
  }
  if (auto it = single.find("limit"); it != single.end()) {
    const auto& v = it->second;
    int limit = 0;
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), limit);
    if (ec != std::errc{} || ptr != v.data() + v.size() || limit < 1 || limit > k_max_limit) {
      return bad("limit", "must be a whole number from 1 to 200");
    }
    q.limit = limit;
  }
  if (auto it = single.find("cursor"); it != single.end()) {
    auto k = decode_cursor(it->second, q.sort, q.order);
    if (!k) return k.error();
    q.after = std::move(*k);
  }
  return q;
}

std::string encode_cursor(core::SortKey sort, core::SortOrder order, const core::Keyset& keyset) {
  boost::json::object o{
      {"s", core::to_string(sort)}, {"o", core::to_string(order)}, {"i", keyset.id}};
  if (const auto* i = std::get_if<std::int64_t>(&keyset.key)) {
    o["k"] = *i;
  } else if (const auto* s = std::get_if<std::string>(&keyset.key)) {
    o["k"] = *s;
  } else {
    o["k"] = nullptr;
  }
  return auth::base64url_encode(boost::json::serialize(o));
}

core::Result<core::Keyset> decode_cursor(std::string_view cursor, core::SortKey sort,
                                         core::SortOrder order) {
  const auto invalid = bad("cursor", "is not a cursor this listing gave out");
  if (cursor.size() > 2048) return invalid;
  const auto raw = auth::base64url_decode(cursor);
  if (!raw) return invalid;
  boost::system::error_code ec;
  const auto v = boost::json::parse(*raw, ec);
  if (ec || !v.is_object()) return invalid;
  const auto& o = v.as_object();
  const auto* s = o.if_contains("s");
  const auto* ord = o.if_contains("o");
  const auto* id = o.if_contains("i");
  const auto* key = o.if_contains("k");
  if (!s || !ord || !id || !key || !id->is_int64() || !s->is_string() || !ord->is_string()) {
    return invalid;
  }
  if (s->as_string() != core::to_string(sort) || ord->as_string() != core::to_string(order)) {
    return bad("cursor", "was made for another sort or order");
  }
  core::Keyset k;
  k.id = id->as_int64();
  const bool string_key = sort == core::SortKey::title;
  if (string_key && key->is_string()) {
    k.key = std::string{key->as_string()};
  } else if (!string_key && key->is_int64()) {
    k.key = key->as_int64();
  } else if (sort == core::SortKey::due && key->is_null()) {
    k.key = std::monostate{};
  } else {
    return invalid;
  }
  return k;
}

}  // namespace tickler::services::api
