// Tests that need something this machine may lack (root, mount namespaces, IPv6 loopback)
// skip where they cannot run, except where every test must run: `make test` sets
// DEVOPS_MONITOR_NO_SKIPS=1, and there a test that cannot run fails, never passes silently.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <string>

namespace devops_monitor::testing {

/// DEVOPS_MONITOR_NO_SKIPS is set and not empty.
inline bool skips_must_fail() {
  const char* value = std::getenv("DEVOPS_MONITOR_NO_SKIPS");
  return value != nullptr && value[0] != '\0';
}

/// Runs `work` as the unprivileged user nobody (uid and gid 65534) in a child process when
/// this process is root, else here; returns what `work` returned, or "child failed: ..." when
/// the child could not run it. For the half of a test that root would pass by privilege (a
/// file mode 000 is readable by root).
std::string run_as_nobody(const std::function<std::string()>& work);

}  // namespace devops_monitor::testing

/// GTEST_SKIP() with a reason, or a failure where every test must run. Returns from the test.
#define DEVOPS_MONITOR_SKIP_OR_FAIL(why)                                                   \
  do {                                                                                     \
    if (::devops_monitor::testing::skips_must_fail()) {                                    \
      FAIL() << "cannot run here, and every test must (DEVOPS_MONITOR_NO_SKIPS): " << why; \
    }                                                                                      \
    GTEST_SKIP() << why;                                                                   \
  } while (false)
