#include "http/static_files.hpp"

#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>
#include <cctype>
#include <fstream>
#include <iterator>
#include <sstream>

#include "http/response.hpp"

namespace tickler::http {
namespace {

namespace fs = std::filesystem;
using beast_http::field;
using beast_http::verb;

constexpr std::string_view k_immutable = "public, max-age=31536000, immutable";
constexpr std::string_view k_revalidate = "no-cache";
// The UI loads only its own scripts and styles and talks only to its own origin.
constexpr std::string_view k_index_csp =
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

struct TypeByExtension {
  std::string_view extension;
  std::string_view type;
};

constexpr std::array k_types{
    TypeByExtension{".html", "text/html; charset=utf-8"},
    TypeByExtension{".js", "text/javascript; charset=utf-8"},
    TypeByExtension{".mjs", "text/javascript; charset=utf-8"},
    TypeByExtension{".css", "text/css; charset=utf-8"},
    TypeByExtension{".json", "application/json"},
    TypeByExtension{".map", "application/json"},
    TypeByExtension{".webmanifest", "application/manifest+json"},
    TypeByExtension{".svg", "image/svg+xml"},
    TypeByExtension{".png", "image/png"},
    TypeByExtension{".jpg", "image/jpeg"},
    TypeByExtension{".jpeg", "image/jpeg"},
    TypeByExtension{".gif", "image/gif"},
    TypeByExtension{".webp", "image/webp"},
    TypeByExtension{".ico", "image/x-icon"},
    TypeByExtension{".woff2", "font/woff2"},
    TypeByExtension{".woff", "font/woff"},
    TypeByExtension{".txt", "text/plain; charset=utf-8"},
};

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

core::Result<std::string> read_file(const fs::path& file) {
  std::ifstream in{file, std::ios::binary};
  if (!in) return core::make_error(core::Errc::not_found, "no such file");
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return core::make_error(core::Errc::internal, "cannot read " + file.string());
  return std::move(out).str();
}

Response text_response(beast_http::status status, std::string text) {
  Response res{status, 11};
  res.set(field::content_type, "text/plain; charset=utf-8");
  res.body() = std::move(text);
  res.prepare_payload();
  return res;
}

}  // namespace

std::optional<fs::path> safe_relative_path(std::string_view url_path) {
  fs::path out;
  std::size_t i = 0;
  while (i <= url_path.size()) {
    const auto j = std::min(url_path.find('/', i), url_path.size());
    const auto segment = url_path.substr(i, j - i);
    i = j + 1;
    if (segment.empty()) continue;
    if (segment.front() == '.') return std::nullopt;  // "..", "." and hidden files
    for (const char c : segment) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f || c == '\\' || c == ':') return std::nullopt;
    }
    out /= std::string{segment};
  }
  return out;
}

std::string_view content_type_for(const fs::path& file) {
  const auto ext = lower(file.extension().string());
  for (const auto& t : k_types) {
    if (t.extension == ext) return t.type;
  }
  return "application/octet-stream";
}

bool accepts_gzip(std::string_view accept_encoding) {
  // Elements like "gzip", "gzip;q=0.8", "*"; a q of 0 refuses.
  std::size_t i = 0;
  bool star = false;
  while (i < accept_encoding.size()) {
    const auto j = std::min(accept_encoding.find(',', i), accept_encoding.size());
    const auto element = lower(accept_encoding.substr(i, j - i));
    i = j + 1;
    const auto semi = element.find(';');
    std::string coding = element.substr(0, semi);
    std::erase(coding, ' ');
    bool refused = false;
    if (semi != std::string::npos) {
      std::string params = element.substr(semi + 1);
      std::erase(params, ' ');
      refused = params == "q=0" || params == "q=0.0" || params == "q=0.00" || params == "q=0.000";
    }
    if (coding == "gzip") return !refused;
    if (coding == "*") star = !refused;
  }
  return star;
}

StaticFiles::StaticFiles(StaticFilesSettings settings, base::Offload& offload)
    : settings_(std::move(settings)), offload_(offload) {}

bool StaticFiles::available() const {
  return !settings_.root.empty() && is_file(settings_.root / "index.html");
}

std::optional<StaticTarget> StaticFiles::locate(std::string_view url_path,
                                                bool client_accepts_gzip) const {
  auto relative = safe_relative_path(url_path);
  if (!relative || !available()) return std::nullopt;
  const bool asset = url_path.starts_with("/assets/");
  fs::path file = settings_.root / *relative;
  bool index = relative->empty() || *relative == "index.html";
  if (index) {
    file = settings_.root / "index.html";
  } else if (!is_file(file)) {
    // A client route ("/tasks/42") gets the app; a missing file ("/assets/x.js") does not.
    if (asset || relative->has_extension()) return std::nullopt;
    file = settings_.root / "index.html";
    index = true;
  }
  StaticTarget target;
  target.content_type = content_type_for(file);
  target.cache_control = asset ? k_immutable : k_revalidate;
  target.index = index;
  target.file = file;
  if (client_accepts_gzip) {
    auto gz = file;
    gz += ".gz";
    if (is_file(gz)) {
      target.file = std::move(gz);
      target.gzip = true;
    }
  }
  return target;
}

net::awaitable<Response> StaticFiles::handle(RequestContext& ctx) {
  const auto& req = ctx.request;
  if (req.method() != verb::get && req.method() != verb::head) {
    Response res = error_response(
        core::make_error(core::Errc::method_not_allowed, "the web UI answers GET and HEAD only"));
    res.set(field::allow, "GET, HEAD");
    co_return res;
  }
  if (!available()) {
    co_return text_response(
        beast_http::status::not_found,
        "The Tickler web UI is not built here (no index.html in '" + settings_.root.string() +
            "').\nBuild it with `make build` (needs Node.js and npm), or point --web-root "
            "(TICKLER_WEB_ROOT) at a built UI.\nThe API is unaffected: see /api/openapi.json.\n");
  }
  const auto path = boost::urls::parse_origin_form(req.target());
  const std::string url_path = path ? std::string{path->path()} : std::string{};
  auto target = locate(url_path, accepts_gzip(req[field::accept_encoding]));
  if (!target) co_return error_response(core::make_error(core::Errc::not_found, "no such file"));

  const fs::path file = target->file;
  auto body = co_await offload_.call(&read_file, file);
  if (!body) co_return error_response(body.error());

  Response res{beast_http::status::ok, 11};
  res.set(field::content_type, target->content_type);
  res.set(field::cache_control, target->cache_control);
  res.set(field::vary, "Accept-Encoding");
  if (target->gzip) res.set(field::content_encoding, "gzip");
  if (target->index) res.set("Content-Security-Policy", k_index_csp);
  const auto size = body->size();
  if (req.method() == verb::get) res.body() = std::move(*body);
  res.content_length(size);
  co_return res;
}

}  // namespace tickler::http
