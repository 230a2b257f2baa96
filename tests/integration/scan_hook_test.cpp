// The pre-commit hook for real: `scan --install-hook` under `git commit` (staged files and
// `git commit -a`, whose hook reads another index), and the shipped .pre-commit-hooks.yaml
// under the pre-commit framework (`pre-commit try-repo`, no network: language system).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "support/fixtures.hpp"
#include "support/git_repo.hpp"
#include "support/key_leaks.hpp"
#include "support/monitor_world.hpp"
#include "support/scan_keys.hpp"

namespace devops_monitor::testing {
namespace {

namespace fs = std::filesystem;

RunResult install_hook(const GitRepo& repo) {
  return repo.run(monitor_binary(), {"scan", "--install-hook"});
}

TEST(ScanHook, InstalledHookStopsACommitOfAKeyAndLetsACleanOneThrough) {
  GitRepo repo;
  repo.write("app.env", "A=1\n");
  repo.commit_all("start");
  const RunResult installed = install_hook(repo);
  ASSERT_EQ(installed.exit_code, 0) << installed.err;
  const fs::path hook = repo.path() / ".git/hooks/pre-commit";
  EXPECT_NE(installed.out.find(hook.string()), std::string::npos) << installed.out;
  struct stat info {};
  ASSERT_EQ(::stat(hook.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0111, 0111u);
  const RunResult again = install_hook(repo);  // its own hook: fine, nothing changes
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("already installed"), std::string::npos) << again.out;

  const std::string token = generated_github_token(11);
  repo.write("app.env", "A=1\nTOKEN=" + token + "\n");
  repo.git({"add", "app.env"});
  const RunResult refused = repo.run("/usr/bin/git", {"commit", "-q", "-m", "leak"});
  EXPECT_NE(refused.exit_code, 0) << refused.out << refused.err;
  // git hands a hook's stdout to its own stderr.
  EXPECT_NE(refused.err.find("app.env:2:7 github"), std::string::npos) << refused.err;
  expect_no_key_piece("git commit", refused.out + refused.err, {token});

  repo.write("app.env", "A=1\nB=2\n");
  repo.git({"add", "app.env"});
  const RunResult clean = repo.run("/usr/bin/git", {"commit", "-q", "-m", "clean"});
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;

  // git commit -a: the hook gets GIT_INDEX_FILE, an index holding the modified tracked file.
  repo.write("app.env", "A=1\nB=2\nC=" + token + "\n");
  const RunResult all = repo.run("/usr/bin/git", {"commit", "-a", "-q", "-m", "leak -a"});
  EXPECT_NE(all.exit_code, 0) << all.out << all.err;
  EXPECT_NE(all.err.find("app.env:3:3 github"), std::string::npos) << all.err;
  expect_no_key_piece("git commit -a", all.out + all.err, {token});
  const RunResult head = repo.run("/usr/bin/git", {"log", "--format=%s", "-1"});
  EXPECT_EQ(head.out, "clean\n");
}

TEST(ScanHook, AnotherHookIsNotReplacedAndHooksPathIsHonoured) {
  GitRepo repo;
  repo.write(".git/hooks/pre-commit", "#!/bin/sh\necho theirs\n");
  const RunResult refused = install_hook(repo);
  EXPECT_EQ(refused.exit_code, 3) << refused.out << refused.err;
  EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1) << refused.err;
  EXPECT_NE(refused.err.find("not ours"), std::string::npos) << refused.err;
  EXPECT_EQ(read_text(repo.path() / ".git/hooks/pre-commit"), "#!/bin/sh\necho theirs\n");

  repo.git({"config", "core.hooksPath", "shared-hooks"});
  const RunResult installed = install_hook(repo);
  EXPECT_EQ(installed.exit_code, 0) << installed.err;
  EXPECT_TRUE(fs::exists(repo.path() / "shared-hooks/pre-commit"));
  TempDir plain;
  RunOptions options{.args = {"scan", "--install-hook"}, .env = repo.env(), .cwd = plain.path()};
  const RunResult outside = run_process(monitor_binary(), options);
  EXPECT_EQ(outside.exit_code, 3) << outside.err;
  EXPECT_NE(outside.err.find("not a git repository"), std::string::npos) << outside.err;
}

TEST(ScanHook, PreCommitFrameworkRunsTheShippedHook) {
  if (!fs::exists("/usr/bin/pre-commit")) {
    if (std::getenv("DEVOPS_MONITOR_NO_SKIPS") != nullptr) FAIL() << "pre-commit is missing";
    GTEST_SKIP() << "pre-commit not installed (make deps installs it)";
  }
  // The hooks repository: this repository's .pre-commit-hooks.yaml, committed in a copy.
  GitRepo hooks;
  fs::copy_file(kSourceTree / ".pre-commit-hooks.yaml", hooks.path() / ".pre-commit-hooks.yaml");
  hooks.commit_all("hooks");

  GitRepo repo;
  repo.write("app.env", "A=1\n");
  repo.commit_all("start");
  const std::string token = generated_github_token(12);
  repo.write("app.env", "A=1\nTOKEN=" + token + "\n");
  repo.git({"add", "app.env"});
  TempDir cache;
  const std::map<std::string, std::string> env = {
      {"PATH", fs::path(monitor_binary()).parent_path().string() + ":/usr/bin:/bin"},
      {"PRE_COMMIT_HOME", cache.path().string()}};
  const std::vector<std::string> try_repo = {"try-repo", hooks.path().string(),
                                             "devops-monitor-scan"};
  const RunResult blocked = repo.run("/usr/bin/pre-commit", try_repo, env);
  EXPECT_EQ(blocked.exit_code, 1) << blocked.out << blocked.err;
  EXPECT_NE(blocked.out.find("app.env:2:7 github"), std::string::npos) << blocked.out;
  expect_no_key_piece("pre-commit try-repo", blocked.out + blocked.err, {token});

  repo.write("app.env", "A=1\nB=2\n");
  repo.git({"add", "app.env"});
  const RunResult passed = repo.run("/usr/bin/pre-commit", try_repo, env);
  EXPECT_EQ(passed.exit_code, 0) << passed.out << passed.err;
}

}  // namespace
}  // namespace devops_monitor::testing
