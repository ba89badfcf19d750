#pragma once
// Where tickler serve finds the built web UI when --web-root (TICKLER_WEB_ROOT) is not given.
#include <filesystem>

namespace tickler::app {

// The first of these that holds an index.html, else the first: build/web of the build tree the
// binary sits in (build/release/src/tickler → build/web, where `make build` puts the UI),
// <prefix>/share/tickler/web of an installed binary (<prefix>/bin/tickler), ./build/web.
[[nodiscard]] std::filesystem::path default_web_root();

}  // namespace tickler::app
