#include "store/report_lock.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/process.hpp"

namespace devops_monitor {
namespace {

using testing::TempDir;

TEST(ReportDirLock, IsAFileOpenedReadWriteNotTheDirectory) {
  TempDir dir;
  {
    Result<ReportDirLock> lock = ReportDirLock::acquire(dir.path(), Milliseconds(100));
    ASSERT_TRUE(lock.ok()) << lock.error().message();
    EXPECT_TRUE(std::filesystem::is_regular_file(dir / ".devops-monitor.lock"));
  }
  // Released on destruction: it can be taken again at once.
  EXPECT_TRUE(ReportDirLock::acquire(dir.path(), Milliseconds(0)).ok());
}

TEST(ReportDirLock, ExcludesOtherThreadsOfTheSameProcess) {
  TempDir dir;
  Result<ReportDirLock> held = ReportDirLock::acquire(dir.path(), Milliseconds(100));
  ASSERT_TRUE(held.ok());
  std::atomic<bool> second_got_it{true};
  std::thread other(
      [&] { second_got_it = ReportDirLock::acquire(dir.path(), Milliseconds(150)).ok(); });
  other.join();
  EXPECT_FALSE(second_got_it) << "a classic POSIX lock would let a second thread in";
}

TEST(ReportDirLock, WaitsForTheHolderThenGetsIt) {
  TempDir dir;
  std::optional<Result<ReportDirLock>> held;
  held.emplace(ReportDirLock::acquire(dir.path(), Milliseconds(100)));
  ASSERT_TRUE(held->ok());
  std::atomic<bool> released{false};
  std::thread release([&] {
    std::this_thread::sleep_for(Milliseconds(100));
    released = true;  // before the unlock: whoever gets the lock must see it set
    held.reset();
  });
  const Result<ReportDirLock> waited = ReportDirLock::acquire(dir.path(), Milliseconds(10000));
  const bool after_release = released.load();
  release.join();
  EXPECT_TRUE(waited.ok());
  EXPECT_TRUE(after_release) << "got the lock while the holder still held it: it did not wait";
}

TEST(ReportDirLock, GivesUpAfterItsPatienceWithAClearMessage) {
  TempDir dir;
  Result<ReportDirLock> held = ReportDirLock::acquire(dir.path(), Milliseconds(100));
  ASSERT_TRUE(held.ok());
  std::optional<Result<ReportDirLock>> second;
  std::thread other([&] { second.emplace(ReportDirLock::acquire(dir.path(), Milliseconds(50))); });
  other.join();
  ASSERT_FALSE(second->ok());
  EXPECT_EQ(second->error().message(),
            "cannot lock report directory: another check held the lock for 50ms (" +
                (dir / ".devops-monitor.lock").string() + ")");
}

TEST(ReportDirLock, ADirectoryThatIsNotThereIsAnError) {
  TempDir dir;
  const Result<ReportDirLock> lock = ReportDirLock::acquire(dir / "missing", Milliseconds(10));
  ASSERT_FALSE(lock.ok());
  EXPECT_EQ(lock.error().detail, "No such file or directory");
}

}  // namespace
}  // namespace devops_monitor
