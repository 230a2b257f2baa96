// The library never throws across its public API: every operation is run with the Nth call of
// one system function failing (fault_inject.c), for every N the operations reach. A failure
// may be an Error; it may never be an exception (the driver would die by SIGABRT).
#include <gtest/gtest.h>
#include <signal.h>

#include "support/faults.hpp"
#include "support/process.hpp"

namespace devops_monitor::testing {
namespace {

struct Fault {
  std::string function;
  std::string error;  // an errno name
};

class NoThrow : public ::testing::TestWithParam<Fault> {};

/// The next N to fail: every N in the normal build; in the sanitizer build the first few and
/// then a widening spread up to the same bound (tests/CMakeLists.txt says why).
int next_nth(int nth) {
#ifdef DEVOPS_MONITOR_SAMPLED_FAULT_SWEEP
  return nth < 4 ? nth + 1 : nth + nth / 2;
#else
  return nth + 1;
#endif
}

/// The sweep ends when the Nth call no longer happens; past this many calls of one function
/// it fails instead, so a driver that grows cannot quietly leave calls unswept.
constexpr int kSweepCap = 400;

TEST_P(NoThrow, EveryOperationSurvivesTheNthCallFailing) {
  const Fault fault = GetParam();
  int fired = 0;
  bool swept = false;
  for (int nth = 1; nth <= kSweepCap; nth = next_nth(nth)) {
    TempDir work;
    const std::filesystem::path log = work / "faults.log";
    RunOptions options;
    options.args = {work.path().string()};
    options.env =
        with_faults({{"PATH", "/usr/bin:/bin"}, {"HOME", work.path().string()}},
                    fault.function + ":" + std::to_string(nth) + ":errno=" + fault.error, log);
    options.timeout = std::chrono::seconds(60);
    const RunResult run = run_process(DEVOPS_MONITOR_LIBRARY_DRIVER, options);
    const std::string moment = fault.function + " #" + std::to_string(nth) + " " + fault.error;
    EXPECT_EQ(run.signal, 0) << moment << " killed the driver\n" << run.err;
    EXPECT_EQ(run.exit_code, 0) << moment << "\n" << run.err;
    EXPECT_NE(run.out.find("done"), std::string::npos) << moment << "\n" << run.out << run.err;
    if (fired_faults(log).empty()) {  // the operations make fewer calls than nth: all swept
      swept = true;
      break;
    }
    ++fired;
  }
  EXPECT_GE(fired, 1) << "the operations never called " << fault.function;
  EXPECT_TRUE(swept) << fault.function << " still fails at call " << kSweepCap
                     << ": the sweep stopped before the operations' last call";
}

INSTANTIATE_TEST_SUITE_P(SystemCalls, NoThrow,
                         ::testing::Values(Fault{"readdir", "EIO"}, Fault{"open", "EACCES"},
                                           Fault{"openat", "EIO"}, Fault{"write", "ENOSPC"},
                                           Fault{"fsync", "EIO"}, Fault{"mkdir", "EACCES"},
                                           Fault{"rename", "EIO"}, Fault{"link", "EIO"},
                                           Fault{"unlink", "EIO"}, Fault{"fcntl", "ENOLCK"},
                                           Fault{"statvfs", "EIO"}),
                         [](const ::testing::TestParamInfo<Fault>& info) {
                           return info.param.function + "_" + info.param.error;
                         });

}  // namespace
}  // namespace devops_monitor::testing
