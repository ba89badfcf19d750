#pragma once
// Serves the built web UI (web/ → build/web) from a directory: GET and HEAD only, no path
// traversal, Content-Type by extension, long-lived caching for Vite's content-hashed /assets/*
// and revalidation for everything else, the precompressed `.gz` beside a file when the client
// accepts gzip, and index.html for client-side routes (the single-page app fallback). A root
// without index.html answers every request with a plain message that the UI is not built.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "base/offload.hpp"
#include "http/types.hpp"

namespace tickler::http {

struct StaticFilesSettings {
  std::filesystem::path root;  // the directory holding index.html and assets/
};

// The file that answers a request, and how.
struct StaticTarget {
  std::filesystem::path file;      // what to send (the .gz variant when gzip)
  std::string_view content_type;   // of the file asked for, not of its .gz
  std::string_view cache_control;  // immutable for hashed assets, no-cache otherwise
  bool gzip = false;               // send with Content-Encoding: gzip
  bool index = false;              // index.html (also as the fallback of a client route)
};

class StaticFiles {
 public:
  StaticFiles(StaticFilesSettings settings, base::Offload& offload);

  // True when the root holds a built UI (index.html).
  [[nodiscard]] bool available() const;
  [[nodiscard]] const std::filesystem::path& root() const { return settings_.root; }

  // Which file answers a decoded URL path, or nullopt (404). Missing files whose last segment
  // has no extension, outside /assets/, are client routes and get index.html.
  [[nodiscard]] std::optional<StaticTarget> locate(std::string_view url_path,
                                                   bool accepts_gzip) const;

  // The route handler (for Pipeline::set_fallback).
  net::awaitable<Response> handle(RequestContext& ctx);

 private:
  StaticFilesSettings settings_;
  base::Offload& offload_;
};

// The relative file path a decoded URL path names, or nullopt when it is not a safe one: "..",
// "." or hidden ("." first) segments, backslashes, NUL or other control characters. "/" and ""
// are the empty path.
[[nodiscard]] std::optional<std::filesystem::path> safe_relative_path(std::string_view url_path);

// Content-Type by file extension; application/octet-stream when unknown.
[[nodiscard]] std::string_view content_type_for(const std::filesystem::path& file);

// Whether an Accept-Encoding header value allows gzip (and does not refuse it with q=0).
[[nodiscard]] bool accepts_gzip(std::string_view accept_encoding);

}  // namespace tickler::http
