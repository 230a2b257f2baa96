// Which shared libraries a command maps: libcurl, libmicrohttpd and GnuTLS (some thirty
// libraries with their dependencies) and vectorscan (with the shared C++ runtime) are opened
// only by the commands that use them, so the others start in a few milliseconds and serve
// holds no scanner. Read from the dynamic loader's own account of each real process
// (LD_DEBUG=files).
#include <gtest/gtest.h>

#include "support/faults.hpp"
#include "support/monitor_world.hpp"
#include "support/scan_keys.hpp"

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

// ---- when a library cannot be loaded (its package missing): the fault library's dlopen fails

TEST(LazyLibraries, WithoutLibcurlACheckSaysWhichLibraryAndStillMeasuresTheMachine) {
  MonitorWorld world;
  world.set_key("openai", "CANARY-openai-no-libcurl-5678");
  const std::filesystem::path log = world.dir / "faults.log";
  world.env = with_faults(world.env, "dlopen@libcurl:*:fail", log);
  const RunResult run = world.check({"--check", "--json"});
  EXPECT_FALSE(fired_faults(log).empty());
  EXPECT_FALSE(run.timed_out);
  EXPECT_EQ(run.signal, 0);
  const nlohmann::json report = stdout_json(run);
  ASSERT_TRUE(report.is_object()) << run.err;
  EXPECT_TRUE(report.contains("system_health")) << report.dump();
  bool said = false;
  for (const nlohmann::json& key : report["api_keys"]) {
    if (key["id"] != "openai") continue;
    EXPECT_EQ(key["state"], "unknown") << key.dump();
    said =
        key["error_message"].get<std::string>().find("cannot load libcurl.so") != std::string::npos;
    EXPECT_TRUE(said) << key.dump();
  }
  EXPECT_TRUE(said) << report["api_keys"].dump();
  EXPECT_TRUE(world.server.requests().empty());
  EXPECT_EQ(run.out.find("CANARY-openai-no-libcurl-5678"), std::string::npos);
  EXPECT_EQ(run.err.find("CANARY-openai-no-libcurl-5678"), std::string::npos);
}

TEST(LazyLibraries, WithoutLibmicrohttpdServeSaysWhichLibraryAndExits3) {
  MonitorWorld world;
  const std::filesystem::path log = world.dir / "faults.log";
  world.env = with_faults(world.env, "dlopen@libmicrohttpd:*:fail", log);
  const RunResult run = world.check({"serve", "--listen", "127.0.0.1:0"});
  EXPECT_FALSE(fired_faults(log).empty());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("cannot load libmicrohttpd.so"), std::string::npos) << run.err;
}

TEST(LazyLibraries, WithoutVectorscanAScanFindsTheSameKeys) {
  MonitorWorld world;
  const std::string key = generated_github_token(20261207);
  write_text(world.dir / "settings.py", "TOKEN = \"" + key + "\"\n");
  const RunResult fast = run_scan({"--json", "settings.py"}, world.dir.path(), world.env);
  const std::filesystem::path log = world.dir / "faults.log";
  const RunResult plain = run_scan({"--json", "settings.py"}, world.dir.path(),
                                   with_faults(world.env, "dlopen@libhs:*:fail", log));
  EXPECT_FALSE(fired_faults(log).empty());
  EXPECT_EQ(fast.exit_code, 1) << fast.err;
  EXPECT_EQ(plain.exit_code, 1) << plain.err;
  const nlohmann::json a = stdout_json(fast);
  const nlohmann::json b = stdout_json(plain);
  ASSERT_TRUE(a.is_object() && b.is_object());
  EXPECT_EQ(a["findings"], b["findings"]);
  EXPECT_EQ(a["findings"].size(), 1u);
}

}  // namespace
}  // namespace devops_monitor::testing
