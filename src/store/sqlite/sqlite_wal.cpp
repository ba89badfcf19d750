// SqliteStore's WAL policy. Checkpoints run on their own connection and thread, so no write pays
// for copying the WAL back into the database; commits only nudge that thread when the WAL grows.
// PASSIVE checkpoints copy without blocking anyone, but under a writer that never pauses they
// never catch up with the WAL's end, so the WAL never starts over and grows without bound (12 GB
// while seeding). Past wal_reset_bytes the checkpointer therefore resets it: PASSIVE passes copy
// the bulk while writes go on, then, with writes held back (write_mutex_), a RESTART copies the
// few frames left and waits at most wal_reset_wait for readers still on the old WAL, so the next
// write starts the WAL over; journal_size_limit then shrinks the file. A reset that finds readers
// gives up and is tried again at a checkpoint k_retry_after later. Should the checkpointer still
// fall behind (a starved machine) and the WAL pass wal_limit_bytes, each commit first waits, up
// to wal_limit_wait, for a reset: writes slow down instead of the WAL growing.
#include <algorithm>
#include <filesystem>
#include <limits>
#include <thread>

#include "store/sqlite/sqlite_store.hpp"

namespace tickler::store::sqlite {
namespace {

// A reset holds writes only once the PASSIVE passes left at most this many frames to copy.
constexpr int k_rest_frames = 1024;
constexpr int k_catch_up_passes = 4;
// After a reset that found readers: writes are not held back again before this.
constexpr std::chrono::milliseconds k_retry_after{25};

}  // namespace

Status SqliteStore::init_wal() {
  auto q = writer_->prepare("PRAGMA page_size");
  if (!q) return q.error();
  if (auto row = q->step(); !row) return row.error();
  const auto page = std::max<std::int64_t>(q->int64(0), 512);
  const auto frames = [page](std::int64_t bytes) {
    return static_cast<int>(std::clamp<std::int64_t>(bytes / page, 1, 1 << 30));
  };
  reset_frames_ = frames(settings_.wal_reset_bytes);
  limit_frames_ = std::max(frames(settings_.wal_limit_bytes), reset_frames_);
  const auto limit = "PRAGMA journal_size_limit=" + std::to_string(settings_.wal_reset_bytes);
  for (auto* conn : {writer_.get(), checkpointer_.get()}) {
    if (auto st = conn->exec(limit); !st) return st;
  }
  // Replaces SQLite's automatic checkpoint on commit (which runs inside the committing write).
  sqlite3_wal_hook(writer_->handle(), &SqliteStore::on_wal_commit, this);
  sqlite3_busy_handler(checkpointer_->handle(), &SqliteStore::busy_until_deadline, this);
  checkpoint_thread_ = std::jthread{[this](std::stop_token stop) { checkpoint_loop(stop); }};
  return {};
}

int SqliteStore::on_wal_commit(void* self, sqlite3*, const char*, int pages) {
  auto* store = static_cast<SqliteStore*>(self);
  store->wal_frames_ = pages;
  if (pages >= store->settings_.checkpoint_pages || pages >= store->reset_frames_) {
    {
      std::lock_guard lock{store->checkpoint_mutex_};
      store->checkpoint_due_ = true;
    }
    store->checkpoint_cv_.notify_one();
  }
  return SQLITE_OK;
}

// Only RESTART waits (PASSIVE never calls it), and only until the deadline reset_wal() sets.
int SqliteStore::busy_until_deadline(void* self, int) {
  auto* store = static_cast<SqliteStore*>(self);
  if (std::chrono::steady_clock::now() >= store->busy_deadline_) return 0;
  std::this_thread::sleep_for(std::chrono::microseconds{200});
  return 1;
}

void SqliteStore::checkpoint_loop(std::stop_token stop) {
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock{checkpoint_mutex_};
      checkpoint_cv_.wait_for(lock, stop, settings_.checkpoint_interval,
                              [this] { return checkpoint_due_; });
      checkpoint_due_ = false;
    }
    if (wal_frames_ >= reset_frames_ && std::chrono::steady_clock::now() >= next_reset_) {
      reset_wal();
      continue;
    }
    // PASSIVE: copies what it can without blocking readers or the writer.
    int log = 0;
    int copied = 0;
    sqlite3_wal_checkpoint_v2(checkpointer_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log,
                              &copied);
  }
}

void SqliteStore::reset_wal() {
  auto* db = checkpointer_->handle();
  int rest = std::numeric_limits<int>::max();
  for (int pass = 0; pass < k_catch_up_passes; ++pass) {
    int log = 0;
    int copied = 0;
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    const int left = wal_frames_ - copied;
    if (left <= k_rest_frames || left >= rest) break;  // caught up, or not catching up
    rest = left;
  }
  std::lock_guard hold{write_mutex_};
  const auto from = std::chrono::steady_clock::now();
  busy_deadline_ = from + settings_.wal_reset_wait;
  int log = 0;
  int copied = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_RESTART, &log, &copied);
  const auto held =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - from)
          .count();
  if (held > longest_hold_us_) longest_hold_us_ = held;
  if (rc == SQLITE_OK) {
    ++wal_resets_;
    {
      std::lock_guard lock{checkpoint_mutex_};
      wal_frames_ = 0;
    }
    reset_cv_.notify_all();
  } else {
    ++wal_reset_busy_;
    next_reset_ = std::chrono::steady_clock::now() + k_retry_after;
  }
}

void SqliteStore::wait_for_wal_reset() {
  std::unique_lock lock{checkpoint_mutex_};
  checkpoint_due_ = true;
  checkpoint_cv_.notify_one();
  reset_cv_.wait_for(lock, settings_.wal_limit_wait,
                     [this] { return wal_frames_ < limit_frames_; });
}

std::optional<WalStats> SqliteStore::wal_stats() const {
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(settings_.path + "-wal", ec);
  return WalStats{ec ? 0 : static_cast<std::int64_t>(bytes), wal_resets_, wal_reset_busy_,
                  longest_hold_us_};
}

}  // namespace tickler::store::sqlite
