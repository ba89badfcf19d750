#include "http/router.hpp"

namespace tickler::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const auto j = path.find('/', i);
    const auto end = j == std::string_view::npos ? path.size() : j;
    out.push_back(path.substr(i, end - i));
    i = end;
  }
  return out;
}

bool match_pattern(std::string_view pattern, std::string_view path,
                   std::map<std::string, std::string>& params) {
  const auto ps = split_path(pattern);
  const auto xs = split_path(path);
  if (ps.size() != xs.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    if (ps[i].size() > 2 && ps[i].front() == '{' && ps[i].back() == '}') {
      found.emplace(std::string{ps[i].substr(1, ps[i].size() - 2)}, std::string{xs[i]});
    } else if (ps[i] != xs[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

void Router::add(beast_http::verb method, std::string pattern, Access access, Handler handler,
                 Body body) {
  routes_.push_back({method, std::move(pattern), access, std::move(handler), body});
}

RouteMatch Router::match(beast_http::verb method, std::string_view path) const {
  RouteMatch m;
  for (const auto& r : routes_) {
    std::map<std::string, std::string> params;
    if (!match_pattern(r.pattern, path, params)) continue;
    m.path_known = true;
    if (r.method == method) {
      m.route = &r;
      m.params = std::move(params);
      return m;
    }
    m.allowed.push_back(r.method);
  }
  return m;
}

}  // namespace tickler::http
