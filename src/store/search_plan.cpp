#include "store/search_plan.hpp"

#include <algorithm>

namespace tickler::store {

bool has_candidate_sets(const core::TaskQuery& query) {
  return !query.words.empty() || !query.tags.empty() || !query.priorities.empty();
}

DrivingSet choose_driving_set(const SetSizes& sizes, std::int64_t cap) {
  DrivingSet best;
  std::int64_t best_size = cap + 1;
  const auto consider = [&](std::int64_t size, DrivingSet set) {
    if (size < best_size) {
      best_size = size;
      best = set;
    }
  };
  if (sizes.text) consider(*sizes.text, {Driver::text, 0});
  for (std::size_t i = 0; i < sizes.tags.size(); ++i) consider(sizes.tags[i], {Driver::tag, i});
  if (sizes.priority) consider(*sizes.priority, {Driver::priority, 0});
  return best;
}

std::int64_t driving_set_cap(std::int64_t walked, std::int64_t hits, int limit,
                             std::int64_t set_row_cost) {
  const std::int64_t wanted = std::max<std::int64_t>(1, std::int64_t{limit} + 1 - hits);
  const std::int64_t rest = wanted * walked / std::max<std::int64_t>(1, hits);
  return std::min(k_max_driving_set_cap, rest / std::max<std::int64_t>(1, set_row_cost));
}

}  // namespace tickler::store
