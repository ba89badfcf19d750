#include "store/search_plan.hpp"

namespace tickler::store {

bool has_candidate_sets(const core::TaskQuery& query) {
  return !query.words.empty() || !query.tags.empty() || !query.priorities.empty();
}

DrivingSet choose_driving_set(const SetSizes& sizes) {
  DrivingSet best;
  std::int64_t best_size = k_driving_set_cap + 1;
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

}  // namespace tickler::store
