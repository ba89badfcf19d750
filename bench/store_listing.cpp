// Task listings measured at the store, without HTTP: seeds a SQLite store through the Store
// interface (the tasks bench/lua/seed_tasks.lua creates over the API, task i the same body) and
// times Reader::tasks for the queries of bench/scale.sh and a few more, in CPU time of the
// calling thread (the machine may be busy; CPU time is what a request costs it) and in wall time
// (PostgreSQL's work is the server's: read wall time there).
//
//   store_listing seed DB COUNT [USERS]   tasks 0..COUNT-1, task j to user j % USERS + 1
//   store_listing create DB COUNT [USER]  COUNT more tasks for USER (1), one write each (as the
//                                         API creates them); CPU and wall time per create
//   store_listing run DB REPS [USER [NAME]]
//                                         every query (or those whose name holds NAME) REPS
//                                         times; a line per query
//
// DB is a SQLite file, or a postgresql:// URL for run (a database the api role migrated, seeded
// by bench/pg_seed.sql). Built by bench/store_listing.py against the store's libraries (of this
// tree or another).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "core/validation.hpp"
#include "store/sqlite/sqlite_store.hpp"
#ifdef STORE_LISTING_POSTGRES  // built with the PostgreSQL store's library (store_listing.py)
#include "store/postgres/pg_store.hpp"
#endif

namespace {

using namespace tickler;

const char* const k_verbs[] = {"Pay",   "Call",   "Email", "Buy",    "Fix",    "Review",  "Write",
                               "Plan",  "Book",   "Clean", "Renew",  "Cancel", "Prepare", "Send",
                               "Check", "Update", "Water", "Return", "Order",  "Read"};
const char* const k_objects[] = {"rent",      "dentist",       "the landlord",     "groceries",
                                 "bike tyre", "pull request",  "report",           "holiday",
                                 "flights",   "kitchen",       "passport",         "gym membership",
                                 "slides",    "invoice",       "tax return",       "blog post",
                                 "plants",    "library books", "birthday present", "insurance"};
const char* const k_tags[] = {
    "home",  "work",    "money",    "health", "errands", "family", "travel", "garden",   "car",
    "admin", "reading", "shopping", "urgent", "someday", "phone",  "email",  "projects", "school",
    "sport", "friends", "kitchen",  "bills",  "music",   "code",   "ideas"};
const core::Priority k_priorities[] = {
    core::Priority::high, core::Priority::medium, core::Priority::medium, core::Priority::medium,
    core::Priority::low,  core::Priority::low,    core::Priority::low,    core::Priority::none,
    core::Priority::none, core::Priority::none,   core::Priority::none,   core::Priority::none};
const char* const k_descriptions[] = {"",
                                      "",
                                      "",
                                      "Remember to bring the papers.",
                                      "See the note from last week.",
                                      "Ask Ann first. Café on the corner, 3 pm.",
                                      "Needs about an hour."};
const int k_hours[] = {8, 9, 12, 17, 20};
constexpr std::int64_t k_base_seconds = 1796083200;  // 2026-12-01T00:00:00Z

// seed_tasks.lua's hash: xorshift32 over the index and a salt.
std::uint32_t mix(std::int64_t i, std::int64_t salt) {
  auto x = static_cast<std::uint32_t>(static_cast<std::uint64_t>(i) * 2654435761ULL +
                                      static_cast<std::uint64_t>(salt) * 2654435769ULL + 1);
  for (int k = 0; k < 3; ++k) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
  }
  return x >> 8;
}

core::TaskDraft draft_of(std::int64_t i) {
  core::TaskDraft d;
  d.title = std::string{k_verbs[mix(i, 1) % 20]} + " " + k_objects[mix(i, 2) % 20] + " #" +
            std::to_string(i);
  if (i % 20000 == 7) d.title += " zanzibar";
  d.priority = k_priorities[mix(i, 3) % 12];
  const int tag_counts[] = {0, 1, 1, 2, 2, 3};
  for (int k = 1; k <= tag_counts[mix(i, 4) % 6]; ++k) {
    std::string t = k_tags[mix(i, 10 + k) % 25];
    if (std::find(d.tags.begin(), d.tags.end(), t) == d.tags.end()) d.tags.push_back(t);
  }
  d.description = k_descriptions[mix(i, 5) % 7];
  if (mix(i, 6) % 10 < 8) {
    const auto at = k_base_seconds + (mix(i, 7) % 365) * 86400 + k_hours[mix(i, 8) % 5] * 3600;
    d.due_at = core::from_millis(static_cast<std::int64_t>(at) * 1000);
    if (mix(i, 9) % 10 < 3) d.reminders.push_back({60, std::nullopt});
  }
  d.time_zone = "Europe/Berlin";
  return d;
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "store_listing: %s\n", what.c_str());
  std::exit(1);
}

std::unique_ptr<store::Store> open_store(const std::string& path) {
  if (path.starts_with("postgresql://")) {
#ifdef STORE_LISTING_POSTGRES
    auto store = store::postgres::PostgresStore::open({path, 2, {"api"}});
    if (!store) die(store.error().message);
    return std::move(*store);  // not migrated: the seeding migrated it
#else
    die("built without the PostgreSQL store");
#endif
  }
  auto store = store::sqlite::SqliteStore::open({path, 2});
  if (!store) die(store.error().message);
  if (auto m = (*store)->migrate(); !m) die(m.error().message);
  return std::move(*store);
}

int seed(const std::string& path, std::int64_t count, int users) {
  auto store = open_store(path);
  std::vector<core::UserId> ids;
  for (int u = 0; u < users; ++u) {
    auto user = store->write_value([&](store::Writer& w) {
      return w.insert_user({0, "u" + std::to_string(u) + "@example.com", "", "h", core::now()});
    });
    if (!user) die(user.error().message);
    ids.push_back(user->id);
  }
  constexpr std::int64_t k_batch = 5000;
  // Created one millisecond apart from a fixed instant, in index order, as the API would.
  const std::int64_t created0 = 1'795'000'000'000;
  for (std::int64_t from = 0; from < count; from += k_batch) {
    auto st = store->write([&](store::Writer& w) -> core::Status {
      for (std::int64_t i = from; i < std::min(count, from + k_batch); ++i) {
        auto d = draft_of(i);
        if (auto v = core::validate(d); !v) return v;
        const auto user = ids[static_cast<std::size_t>(i % users)];
        auto t = w.insert_task(core::make_task(user, d, core::from_millis(created0 + i)));
        if (!t) return t.error();
      }
      return {};
    });
    if (!st) die(st.error().message);
    if ((from / k_batch) % 20 == 19) std::fprintf(stderr, "%lld\n", static_cast<long long>(from));
  }
  return 0;
}

std::int64_t cpu_ns();

int create(const std::string& path, std::int64_t count, core::UserId user) {
  auto store = open_store(path);
  std::vector<std::int64_t> cpu;
  std::vector<std::int64_t> wall;
  const std::int64_t first = 10'000'000;  // task bodies the seed did not use
  for (std::int64_t i = first; i < first + count; ++i) {
    auto d = draft_of(i);
    if (auto v = core::validate(d); !v) die(v.error().message);
    const auto w0 = std::chrono::steady_clock::now();
    const auto c0 = cpu_ns();
    auto t = store->write_value(
        [&](store::Writer& w) { return w.insert_task(core::make_task(user, d, core::now())); });
    cpu.push_back(cpu_ns() - c0);
    wall.push_back(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - w0)
            .count());
    if (!t) die(t.error().message);
  }
  std::sort(cpu.begin(), cpu.end());
  std::sort(wall.begin(), wall.end());
  const auto at = [](const std::vector<std::int64_t>& v, double p) {
    return static_cast<double>(v[static_cast<std::size_t>(p * static_cast<double>(v.size()))]) /
           1000.0;
  };
  std::printf("%-28s %6lld %8s %10.1f %10.1f %10.1f %10.1f %10.1f\n", "create",
              static_cast<long long>(count), "-", at(cpu, 0.5), at(cpu, 0.9), at(cpu, 0.99),
              at(wall, 0.5), at(wall, 0.99));
  return 0;
}

std::int64_t cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

struct Named {
  std::string name;
  core::TaskQuery query;
};

std::vector<Named> queries(core::UserId user) {
  std::vector<Named> out;
  const auto add = [&](std::string name, const std::function<void(core::TaskQuery&)>& set) {
    core::TaskQuery q;
    q.user_id = user;
    q.limit = 50;
    set(q);
    q.order = core::default_order(q.sort);
    out.push_back({std::move(name), q});
  };
  add("list", [](auto&) {});
  add("by title, from \"m\"", [](auto& q) {  // a page past the first, half way through
    q.sort = core::SortKey::title;
    q.after = core::Keyset{std::string{"m"}, 0};
  });
  add("q common (pay)", [](auto& q) { q.words = {"pay"}; });
  add("q rare (zanzibar)", [](auto& q) { q.words = {"zanzibar"}; });
  add("q two prefixes (pa re)", [](auto& q) { q.words = {"pa", "re"}; });
  add("q mid (boo fli)", [](auto& q) { q.words = {"boo", "fli"}; });
  add("q mid (pay ren)", [](auto& q) { q.words = {"pay", "ren"}; });
  add("tag+priority (home, high)", [](auto& q) {
    q.tags = {"home"};
    q.priorities = {core::Priority::high};
  });
  add("tag+priority by due", [](auto& q) {
    q.tags = {"home"};
    q.priorities = {core::Priority::high};
    q.sort = core::SortKey::due;
  });
  add("tag+priority by title", [](auto& q) {
    q.tags = {"home"};
    q.priorities = {core::Priority::high};
    q.sort = core::SortKey::title;
  });
  add("two tags (home, work)", [](auto& q) { q.tags = {"home", "work"}; });
  add("tag (home)", [](auto& q) { q.tags = {"home"}; });
  add("priority (high)", [](auto& q) { q.priorities = {core::Priority::high}; });
  add("tag+2 priorities", [](auto& q) {
    q.tags = {"home"};
    q.priorities = {core::Priority::high, core::Priority::low};
  });
  add("q+tag (pay, home)", [](auto& q) {
    q.words = {"pay"};
    q.tags = {"home"};
  });
  return out;
}

core::TaskPage list(store::Store& store, const core::TaskQuery& q) {
  auto page = store.read_value([&](store::Reader& r) { return r.tasks(q); });
  if (!page) die(page.error().message);
  return std::move(*page);
}

int run(const std::string& path, int reps, core::UserId user, const std::string& only) {
  auto store = open_store(path);
  auto named = queries(user);
  {  // the second page of the list, by its cursor
    auto first = list(*store, named[0].query);
    auto q = named[0].query;
    q.after = first.next;
    named.insert(named.begin() + 1, {"page", q});
  }
  std::printf("%-28s %6s %8s %10s %10s %10s %10s %10s\n", "query", "hits", "ids", "cpu p50",
              "cpu p90", "cpu p99", "wall p50", "wall p99");
  for (const auto& [name, q] : named) {
    if (name.find(only) == std::string::npos) continue;
    for (int i = 0; i < 3; ++i) list(*store, q);  // warm the pages it reads
    std::vector<std::int64_t> cpu;
    std::vector<std::int64_t> wall;
    core::TaskPage page;
    for (int i = 0; i < reps; ++i) {
      const auto w0 = std::chrono::steady_clock::now();
      const auto c0 = cpu_ns();
      page = list(*store, q);
      cpu.push_back(cpu_ns() - c0);
      wall.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::steady_clock::now() - w0)
                         .count());
    }
    std::sort(cpu.begin(), cpu.end());
    std::sort(wall.begin(), wall.end());
    const auto at = [&](const std::vector<std::int64_t>& v, double p) {
      return static_cast<double>(v[std::min(
                 v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))]) /
             1000.0;
    };
    // The page's ids, hashed (FNV-1a): the same query on the same data gives the same page.
    std::uint32_t ids = 2166136261u;
    for (const auto& t : page.items) ids = (ids ^ static_cast<std::uint32_t>(t.id)) * 16777619u;
    std::printf("%-28s %6zu %08x %10.1f %10.1f %10.1f %10.1f %10.1f\n", name.c_str(),
                page.items.size(), ids, at(cpu, 0.5), at(cpu, 0.9), at(cpu, 0.99), at(wall, 0.5),
                at(wall, 0.99));
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 3 && args[0] == "seed") {
    return seed(args[1], std::stoll(args[2]), args.size() > 3 ? std::stoi(args[3]) : 1);
  }
  if (args.size() >= 3 && args[0] == "create") {
    return create(args[1], std::stoll(args[2]), args.size() > 3 ? std::stoll(args[3]) : 1);
  }
  if (args.size() >= 3 && args[0] == "run") {
    return run(args[1], std::stoi(args[2]), args.size() > 3 ? std::stoll(args[3]) : 1,
               args.size() > 4 ? args[4] : "");
  }
  std::fprintf(
      stderr,
      "usage: store_listing seed DB COUNT [USERS] | store_listing create DB COUNT [USER] | "
      "store_listing run DB REPS [USER [NAME]]\n");
  return 2;
}
