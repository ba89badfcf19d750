// The WAL policy under a writer that never pauses (with a reader beside it): the WAL file stays
// near wal_reset_bytes, and under wal_limit_bytes but for what one late reset lets through, instead
// of growing with everything written; no write waits long for a reset. Bounds are generous (a
// loaded 2-core machine); the figures are printed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>

#include "core/validation.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace tickler::store::sqlite {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t k_mib = 1024 * 1024;

TEST(SqliteWal, AContinuousWriterKeepsTheWalBoundedWithoutLongStalls) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("tickler-wal-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  SqliteSettings settings{(dir / "t.db").string(), 2};
  settings.wal_reset_bytes = 16 * k_mib;
  settings.wal_limit_bytes = 32 * k_mib;
  const auto wal_path = settings.path + "-wal";
  auto opened = SqliteStore::open(settings);
  ASSERT_TRUE(opened) << opened.error().message;
  auto& store = **opened;
  ASSERT_TRUE(store.migrate());
  auto user = store.write_value([&](Writer& w) {
    return w.insert_user({0, "a@example.com", "", "h", core::now()});
  });
  ASSERT_TRUE(user);

  // The seeding shape: one task after another, each in its own transaction (tags, search index).
  const std::string description(1500, 'x');
  std::atomic<bool> writing{true};
  std::atomic<std::int64_t> reads{0};
  std::thread reader{[&] {
    core::TaskQuery q;
    q.user_id = user->id;
    q.limit = 20;
    while (writing) {  // a listing every millisecond: readers on the WAL, as under the API
      auto page = store.read_value([&](Reader& r) { return r.tasks(q); });
      if (page) ++reads;
      std::this_thread::sleep_for(1ms);
    }
  }};
  std::int64_t writes = 0;
  std::int64_t failed = 0;
  std::int64_t max_wal = 0;
  Clock::duration longest{};
  const auto until = Clock::now() + 4s;
  while (Clock::now() < until && writes < 60'000) {
    core::TaskDraft d;
    d.title = "seeded task " + std::to_string(writes) + " with a few words";
    d.description = description;
    d.tags = {"seed", "tag" + std::to_string(writes % 50)};
    const auto task = core::make_task(user->id, d, core::now());
    const auto start = Clock::now();
    auto st = store.write([&](Writer& w) -> Status {
      auto inserted = w.insert_task(task);
      if (!inserted) return inserted.error();
      return {};
    });
    longest = std::max(longest, Clock::now() - start);
    if (!st) ++failed;
    ++writes;
    if (writes % 16 == 0) {
      std::error_code ec;
      max_wal =
          std::max(max_wal, static_cast<std::int64_t>(std::filesystem::file_size(wal_path, ec)));
    }
  }
  writing = false;
  reader.join();
  const auto wal = store.wal_stats();
  ASSERT_TRUE(wal);
  const auto longest_ms = std::chrono::duration<double, std::milli>(longest).count();
  std::cout << "[ wal      ] " << writes << " writes, " << reads << " reads; WAL at most "
            << max_wal / k_mib << " MiB (reset at " << settings.wal_reset_bytes / k_mib
            << ", limit " << settings.wal_limit_bytes / k_mib << " MiB), " << wal->resets
            << " resets, " << wal->busy << " put off, longest hold "
            << static_cast<double>(wal->longest_hold_us) / 1000.0 << " ms; longest write "
            << longest_ms << " ms\n";
  RecordProperty("max_wal_bytes", std::to_string(max_wal));
  RecordProperty("longest_write_ms", std::to_string(longest_ms));

  EXPECT_EQ(failed, 0);
  EXPECT_GE(wal->resets, 2U) << "the writer did not push the WAL past the reset size twice";
  // Twice the limit: what a reset may let the WAL gain while writes wait at most wal_limit_wait
  // for it (an unbounded WAL passes 700 MB here).
  EXPECT_LT(max_wal, 2 * settings.wal_limit_bytes);
  EXPECT_LT(longest_ms, 500.0);
  opened->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tickler::store::sqlite
