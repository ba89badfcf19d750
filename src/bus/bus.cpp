#include "bus/bus.hpp"

#include <algorithm>

namespace tickler::bus {

std::vector<Verdict> retry_from_first_kept(std::vector<Verdict> verdicts,
                                           const std::string& reason) {
  const auto first = std::find_if(verdicts.begin(), verdicts.end(),
                                  [](const Verdict& v) { return v.outcome != Outcome::drop; });
  if (first == verdicts.end()) return verdicts;
  *first = Verdict::retry(reason);
  verdicts.erase(first + 1, verdicts.end());
  return verdicts;
}

}  // namespace tickler::bus
