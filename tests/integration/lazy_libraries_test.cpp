// Which shared libraries a command maps: libcurl, libmicrohttpd and GnuTLS (some thirty
// libraries with their dependencies) and vectorscan (with the shared C++ runtime) are opened
// only by the commands that use them, so the others start in a few milliseconds and serve
// holds no scanner. Read from the dynamic loader's own account of each real process
// (LD_DEBUG=files).
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

TEST(LazyLibraries, VersionMapsNoneOfThem) {
  RunOptions run;
  run.args = {"--version"};
  run.env = {{"LD_DEBUG", "files"}, {"PATH", "/usr/bin:/bin"}};
  const RunResult version = run_process(monitor_binary(), run);
  EXPECT_EQ(version.exit_code, 0) << version.err;
  for (const char* library : kHttpLibraries) EXPECT_FALSE(loaded(version.err, library)) << library;
  EXPECT_FALSE(loaded(version.err, "libhs.so"));
  // The loader's account is there to be read: a test that cannot fail proves nothing.
  EXPECT_TRUE(loaded(version.err, "libc.so")) << version.err.substr(0, 2000);
}

TEST(LazyLibraries, AScanOpensVectorscanAndNoHttpLibrary) {
  MonitorWorld world;
  world.env["LD_DEBUG"] = "files";
  write_text(world.dir / "code.py", "print('no keys here')\n");
  const RunResult scan = run_scan({"code.py"}, world.dir.path(), world.env);
  EXPECT_EQ(scan.exit_code, 0) << scan.err;
  for (const char* library : kHttpLibraries) EXPECT_FALSE(loaded(scan.err, library)) << library;
  EXPECT_TRUE(loaded(scan.err, "libhs.so")) << scan.err.substr(0, 2000);
}

TEST(LazyLibraries, ACheckOpensLibcurlAndReachesTheProvider) {
  MonitorWorld world;
  for (const std::string& id : builtin_ids()) world.set_key(id, "CANARY-" + id);
  world.env["LD_DEBUG"] = "files";
  const RunResult check = world.check({"--check"});
  EXPECT_TRUE(loaded(check.err, "libcurl.so")) << check.err.substr(0, 2000);
  EXPECT_FALSE(loaded(check.err, "libmicrohttpd.so"));
  EXPECT_FALSE(loaded(check.err, "libhs.so"));
  EXPECT_FALSE(world.server.requests().empty());
}

}  // namespace
}  // namespace devops_monitor::testing
