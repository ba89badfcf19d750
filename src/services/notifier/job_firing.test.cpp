// JobFiring on SQLite with a scheduler that records what it is asked: a due reminder fires, one
// not due yet by a hair is waited for, one further out is scheduled again (the Jobs API's clock
// is not ours), and the in-process handler fires what is due.
#include "services/notifier/job_firing.hpp"

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_test_support.hpp"

namespace tickler::services::notifier {
namespace {

using namespace std::chrono_literals;

class RecordingScheduler final : public bus::Scheduler {
 public:
  void schedule(const std::string& name, core::Instant at) override {
    scheduled.emplace_back(name, at);
  }
  void cancel(const std::string& name) override { cancelled.push_back(name); }
  std::vector<std::pair<std::string, core::Instant>> scheduled;
  std::vector<std::string> cancelled;
};

class JobFiringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto user = store_->write_value([](store::Writer& w) {
      return w.insert_user({0, "ada@example.com", "", "hash", core::now()});
    });
    ASSERT_TRUE(user) << user.error().message;
    user_ = user->id;
    notifier_.emplace(NotifierSettings{}, *store_, offload_, std::function<void()>{});
    notifier_->set_scheduler(&scheduler_);
    firing_.emplace(*notifier_, *store_);
    firing_->set_scheduler(&scheduler_);
  }
  void TearDown() override {
    firing_.reset();
    notifier_.reset();
    store_.reset();
  }

  void add_reminder(const std::string& id, core::Instant at) {
    store::ReminderRow r;
    r.id = id;
    r.task_id = 1;
    r.user_id = user_;
    r.title = "Stand-up";
    r.remind_at = at;
    ASSERT_TRUE(store_->write([&](store::Writer& w) { return w.upsert_reminder(r); }));
  }

  store::ReminderRow reminder(const std::string& id) {
    auto r = store_->read_value([&](store::Reader& rd) { return rd.reminder(id); });
    EXPECT_TRUE(r && *r);
    return r && *r ? **r : store::ReminderRow{};
  }

  store::sqlite::ScratchSqlite scratch_{"tickler-job-firing"};
  std::unique_ptr<store::sqlite::SqliteStore>& store_ = scratch_.store;
  core::UserId user_ = 0;
  base::Offload offload_{1};
  RecordingScheduler scheduler_;
  std::optional<NotifierService> notifier_;
  std::optional<JobFiring> firing_;
};

TEST_F(JobFiringTest, FiresADueReminder) {
  add_reminder("r-due", core::now() - 1s);
  ASSERT_TRUE(firing_->fire_checked({"r-due"}));
  EXPECT_EQ(reminder("r-due").state, "fired");
  EXPECT_TRUE(scheduler_.scheduled.empty());
}

TEST_F(JobFiringTest, WaitsAHairForAReminderNotDueYetByOurClock) {
  const auto at = core::now() + 300ms;
  add_reminder("r-hair", at);
  ASSERT_TRUE(firing_->fire_checked({"r-hair"}));
  const auto fired = reminder("r-hair");
  EXPECT_EQ(fired.state, "fired");
  ASSERT_TRUE(fired.fired_at);
  EXPECT_GE(*fired.fired_at, at);  // never early
}

TEST_F(JobFiringTest, SchedulesAgainAReminderFurtherOut) {
  const auto at = core::now() + 1h;
  add_reminder("r-later", at);
  const auto before = std::chrono::steady_clock::now();
  ASSERT_TRUE(firing_->fire_checked({"r-later"}));
  EXPECT_LT(std::chrono::steady_clock::now() - before, 2s);  // not waited for
  EXPECT_EQ(reminder("r-later").state, "scheduled");
  ASSERT_FALSE(scheduler_.scheduled.empty());
  EXPECT_EQ(scheduler_.scheduled.back(), std::make_pair(std::string{"r-later"}, at));
}

TEST_F(JobFiringTest, SkipsWhatIsGoneOrFiredAlready) {
  add_reminder("r-once", core::now() - 1s);
  ASSERT_TRUE(firing_->fire_checked({"r-once"}));
  ASSERT_TRUE(firing_->fire_checked({"r-once", "r-unknown"}));
  EXPECT_EQ(reminder("r-once").state, "fired");
  EXPECT_TRUE(scheduler_.scheduled.empty());
}

TEST_F(JobFiringTest, TheInProcessHandlerFiresWhatIsDue) {
  add_reminder("r-a", core::now() - 2s);
  add_reminder("r-b", core::now() - 1s);
  firing_->fire({"r-a", "r-b"});
  EXPECT_EQ(reminder("r-a").state, "fired");
  EXPECT_EQ(reminder("r-b").state, "fired");
}

}  // namespace
}  // namespace tickler::services::notifier
