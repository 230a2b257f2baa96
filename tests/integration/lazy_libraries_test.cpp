// Which shared libraries a command maps: libcurl, libmicrohttpd and GnuTLS (some thirty
// libraries with their dependencies) are opened only by the commands that speak HTTP, so
// the others (scan in a commit hook, badge, report) start in a few milliseconds. Read from
// the dynamic loader's own account of each real process (LD_DEBUG=files).
#include <gtest/gtest.h>

#include "support/monitor_world.hpp"

namespace devops_monitor::testing {
namespace {

/// True when the loader's account in `err` shows `soname` loaded, either way (linked or
/// opened later).
bool loaded(const std::string& err, const std::string& soname) {
  return err.find("file=" + soname) != std::string::npos;
}

const char* const kHttpLibraries[] = {"libcurl.so", "libmicrohttpd.so", "libgnutls.so"};

TEST(LazyLibraries, CommandsWithoutHttpMapNone) {
  MonitorWorld world;
  world.env["LD_DEBUG"] = "files";
  write_text(world.dir / "code.py", "print('no keys here')\n");
  const RunResult scan = run_scan({"code.py"}, world.dir.path(), world.env);
  EXPECT_EQ(scan.exit_code, 0) << scan.err;
  RunOptions version_run;
  version_run.args = {"--version"};
  version_run.env = world.env;
  const RunResult version = run_process(monitor_binary(), version_run);
  EXPECT_EQ(version.exit_code, 0) << version.err;
  for (const char* library : kHttpLibraries) {
    EXPECT_FALSE(loaded(scan.err, library)) << library << " loaded by scan";
    EXPECT_FALSE(loaded(version.err, library)) << library << " loaded by --version";
  }
  // The loader's account is there to be read: a test that cannot fail proves nothing.
  EXPECT_TRUE(loaded(scan.err, "libhs.so")) << scan.err.substr(0, 2000);
}

TEST(LazyLibraries, ACheckOpensLibcurlAndReachesTheProvider) {
  MonitorWorld world;
  for (const std::string& id : builtin_ids()) world.set_key(id, "CANARY-" + id);
  world.env["LD_DEBUG"] = "files";
  const RunResult check = world.check({"--check"});
  EXPECT_TRUE(loaded(check.err, "libcurl.so")) << check.err.substr(0, 2000);
  EXPECT_FALSE(loaded(check.err, "libmicrohttpd.so"));
  EXPECT_FALSE(world.server.requests().empty());
}

}  // namespace
}  // namespace devops_monitor::testing
