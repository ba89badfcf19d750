#include "app/web_root.hpp"

#include <array>

namespace tickler::app {

std::filesystem::path default_web_root() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::weakly_canonical("/proc/self/exe", ec);
  const fs::path dir = ec ? fs::current_path(ec) : exe.parent_path();
  const std::array candidates{(dir / "../../web").lexically_normal(),
                              (dir / "../share/tickler/web").lexically_normal(),
                              fs::current_path(ec) / "build/web"};
  for (const auto& c : candidates) {
    if (fs::is_regular_file(c / "index.html", ec)) return c;
  }
  return candidates.front();
}

}  // namespace tickler::app
