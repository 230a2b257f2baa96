// `scan --staged`, `scan --git` and `scan --install-hook` through the real binary, in real
// repositories the tests build: what the index adds, what history added, the hook under
// `git commit` and under the pre-commit framework. No key is in any output.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/fixtures.hpp"
#include "support/git_repo.hpp"
#include "support/key_leaks.hpp"
#include "support/monitor_world.hpp"
#include "support/scan_keys.hpp"

namespace devops_monitor::testing {
namespace {

namespace fs = std::filesystem;

/// A generated private key block (header, four body lines, footer).
std::string private_key_block() {
  for (const TestKey& key : generated_keys()) {
    if (key.kind == "private-key") return key.key;
  }
  return "";
}

RunResult scan_in(const GitRepo& repo, const std::vector<std::string>& args,
                  const fs::path& cwd = {}) {
  return run_scan(args, cwd.empty() ? repo.path() : cwd, repo.env());
}

TEST(ScanStaged, FindsAStagedKeyByPathAndLineAndNotAnUnstagedOne) {
  GitRepo repo;
  repo.write("config/app.env", "A=1\nB=2\n");
  repo.write("notes.txt", "plain\n");
  repo.commit_all("start");
  const std::string staged = generated_github_token(1);
  const std::string unstaged = generated_github_token(2);
  repo.write("config/app.env", "A=1\nB=2\nTOKEN=" + staged + "\n");
  repo.git({"add", "config/app.env"});
  repo.write("notes.txt", "plain\ntoken " + unstaged + "\n");  // changed, not staged
  repo.write("new.txt", unstaged + "\n");                      // untracked

  const RunResult run = scan_in(repo, {"--staged"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("config/app.env:3:7 github "), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("notes.txt"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("new.txt"), std::string::npos) << run.out;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1) << run.out;
  for (const std::string& key : {staged, unstaged}) {
    expect_no_key_piece("scan --staged", run.out + run.err, {key});
  }

  // From a subdirectory, and naming the repository: the same paths, from its top.
  const RunResult from_sub = scan_in(repo, {"--staged", "--json"}, repo / "config");
  EXPECT_EQ(from_sub.exit_code, 1) << from_sub.err;
  const nlohmann::json doc = nlohmann::json::parse(from_sub.out);
  ASSERT_EQ(doc["findings"].size(), 1u) << from_sub.out;
  EXPECT_EQ(doc["findings"][0]["file"], "config/app.env");
  EXPECT_EQ(doc["findings"][0]["line"], 3);
  EXPECT_FALSE(doc["findings"][0].contains("commit"));
  EXPECT_EQ(scan_in(repo, {"--staged", repo.path().string()}, "/").exit_code, 1);
  EXPECT_EQ(scan_in(repo, {"--staged", "--exclude", "config/*"}).exit_code, 0);
  // A user's diff.relative would hide files outside the directory: not from this scan.
  repo.git({"config", "diff.relative", "true"});
  fs::create_directories(repo / "docs");
  EXPECT_EQ(scan_in(repo, {"--staged"}, repo / "docs").exit_code, 1);
}

TEST(ScanStaged, OldKeysInDeletedOrUnchangedLinesAreNotNew) {
  GitRepo repo;
  const std::string old_key = generated_github_token(3);
  repo.write("a.env", "KEEP=" + old_key + "\nX=1\n");
  repo.write("b.env", "OLD=" + old_key + "\n");
  repo.write("c.env", "OLD=" + old_key + "\n");
  repo.commit_all("history already holds it");
  repo.write("a.env", "KEEP=" + old_key + "\nX=2\nY=3\n");  // the key's line unchanged
  repo.write("b.env", "\n");                                // the key's line deleted
  repo.git({"add", "a.env", "b.env"});
  repo.git({"rm", "-q", "c.env"});  // the whole file deleted
  const RunResult run = scan_in(repo, {"--staged"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.out, "");
  // A rename moves lines the history holds already: not new either.
  repo.commit_all("changes");
  repo.git({"mv", "a.env", "moved.env"});
  EXPECT_EQ(scan_in(repo, {"--staged"}).exit_code, 0);
}

TEST(ScanStaged, FirstCommitOfAnUnbornBranchAndAPrivateKeyBlockInOneHunk) {
  GitRepo repo;
  repo.write("README", "hello\n");
  repo.write("deploy/id_key", "# deploy key\n" + private_key_block() + "\n");
  repo.git({"add", "-A"});
  const RunResult run = scan_in(repo, {"--staged"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("deploy/id_key:2:1 private-key "), std::string::npos) << run.out;
  expect_no_key_piece("scan --staged", run.out + run.err, pem_body_lines(private_key_block()));
}

TEST(ScanStaged, BinaryFilesAreSkippedAndGitIndexFileIsHonoured) {
  GitRepo repo;
  repo.write("keep.txt", "x\n");
  repo.commit_all("start");
  repo.write("blob.bin", std::string("\x7f"
                                     "ELF\0\0",
                                     6) +
                             generated_github_token(4) + "\n");
  repo.git({"add", "blob.bin"});
  const RunResult binary = scan_in(repo, {"--staged"});
  EXPECT_EQ(binary.exit_code, 0) << binary.out << binary.err;
  EXPECT_EQ(binary.err, "");  // skipped without a warning, as git decides

  // A line over --max-file-size: its hunk is skipped, with one warning naming the file.
  repo.write("long.txt", std::string(2048, '#') + generated_github_token(8) + "\n");
  repo.git({"add", "long.txt"});
  const RunResult long_line = scan_in(repo, {"--staged", "--max-file-size", "1K"});
  EXPECT_EQ(long_line.exit_code, 0) << long_line.out << long_line.err;
  EXPECT_EQ(std::count(long_line.err.begin(), long_line.err.end(), '\n'), 1) << long_line.err;
  EXPECT_NE(long_line.err.find("long.txt"), std::string::npos) << long_line.err;
  EXPECT_EQ(scan_in(repo, {"--staged"}).exit_code, 1);
  repo.git({"rm", "-q", "--cached", "long.txt"});

  // Another index (what `git commit -a` hands its hook): it holds a key the default index
  // does not.
  const fs::path other_index = repo.path() / ".git/other-index";
  repo.write("keep.txt", "x\n" + generated_github_token(5) + "\n");
  repo.run("/usr/bin/git", {"add", "keep.txt"}, {{"GIT_INDEX_FILE", other_index.string()}});
  EXPECT_EQ(scan_in(repo, {"--staged"}).exit_code, 0);
  RunOptions options{.args = {"scan", "--staged"}, .env = repo.env(), .cwd = repo.path()};
  options.env["GIT_INDEX_FILE"] = other_index.string();
  const RunResult with_index = run_process(monitor_binary(), options);
  EXPECT_EQ(with_index.exit_code, 1) << with_index.out << with_index.err;
  EXPECT_NE(with_index.out.find("keep.txt:2:1 "), std::string::npos) << with_index.out;
}

TEST(ScanStaged, OutsideARepositoryIsExit3InOneLine) {
  TempDir plain;
  GitRepo repo;  // for its environment: no global git config
  const RunResult run = scan_in(repo, {"--staged"}, plain.path());
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_NE(run.err.find("not a git repository"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find(plain.path().string()), std::string::npos) << run.err;
  EXPECT_EQ(scan_in(repo, {"--staged", "a", "b"}).exit_code, 3);
  EXPECT_EQ(scan_in(repo, {"--staged", "--git"}).exit_code, 3);
}

TEST(ScanHistory, AKeyAddedThenRemovedIsFoundWithTheCommitThatAddedIt) {
  GitRepo repo;
  const std::string key = generated_github_token(6);
  repo.write("app.env", "A=1\n");
  repo.commit_all("clean");
  repo.write("app.env", "A=1\nTOKEN=" + key + "\n");
  const std::string added = repo.commit_all("add the token");
  repo.write("app.env", "A=1\n");
  repo.commit_all("remove the token");
  repo.write("app.env", "A=1\nTOKEN=" + key + "\n");
  repo.commit_all("add it back");  // the same key, the same path: reported once
  repo.write("app.env", "A=1\n");
  repo.write("other.env", "# copied\nT=" + key + "\n");
  const std::string copied = repo.commit_all("copy it elsewhere");
  EXPECT_EQ(scan_in(repo, {}).exit_code, 1);  // other.env in the tree

  const RunResult run = scan_in(repo, {"--git"});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find(added + ":app.env:2:7 github "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find(copied + ":other.env:2:3 github "), std::string::npos) << run.out;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 2) << run.out;
  expect_no_key_piece("scan --git", run.out + run.err, {key});

  const RunResult json = scan_in(repo, {"--git", "--json"});
  const nlohmann::json doc = nlohmann::json::parse(json.out);
  ASSERT_EQ(doc["findings"].size(), 2u) << json.out;
  bool named = false;
  for (const auto& finding : doc["findings"]) named |= finding["commit"] == added;
  EXPECT_TRUE(named) << json.out;
  const RunResult sarif = scan_in(repo, {"--git", "--sarif"});
  const nlohmann::json log = nlohmann::json::parse(sarif.out);
  const auto& results = log["runs"][0]["results"];
  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0]["properties"].contains("commit")) << sarif.out;
  EXPECT_TRUE(results[0].contains("partialFingerprints")) << sarif.out;
  expect_no_key_piece("scan --git --json/--sarif", json.out + sarif.out, {key});

  // A range: only the last commit, which added other.env's key.
  const RunResult last = scan_in(repo, {"--git", "HEAD~1..HEAD"});
  EXPECT_EQ(last.exit_code, 1) << last.err;
  EXPECT_EQ(last.out.find("app.env:"), std::string::npos) << last.out;
}

TEST(ScanHistory, ABadRangeIsExit3WithGitsReason) {
  GitRepo repo;
  repo.write("a.txt", "x\n");
  repo.commit_all("one");
  for (const std::string range : {"no-such-branch..HEAD", "HEAD~5"}) {
    const RunResult run = scan_in(repo, {"--git", range});
    EXPECT_EQ(run.exit_code, 3) << range << run.out << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_NE(run.err.find("git log failed"), std::string::npos) << run.err;
  }
  const RunResult run = scan_in(repo, {"--git", "no-such-branch..HEAD"});
  EXPECT_NE(run.err.find("no-such-branch"), std::string::npos) << run.err;
}

TEST(ScanHistory, FlagsThatMeanNothingForGitScansAreRefused) {
  GitRepo repo;
  repo.write("a.txt", "x\n");
  repo.commit_all("one");
  for (const std::vector<std::string>& args : {std::vector<std::string>{"--git", "--no-ignore"},
                                               {"--staged", "--no-ignore"},
                                               {"--install-hook", "--no-ignore"},
                                               {"--staged", "--git"}}) {
    const RunResult run = scan_in(repo, args);
    EXPECT_EQ(run.exit_code, 3) << args[0] << " " << args[1] << run.out << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  }
  EXPECT_FALSE(fs::exists(repo.path() / ".git/hooks/pre-commit"));
}

TEST(ScanHistory, AShallowCloneAndABareRepositoryAreScanned) {
  GitRepo origin;
  origin.write("a.env", "T=" + generated_github_token(7) + "\n");
  origin.commit_all("one");
  origin.write("b.txt", "x\n");
  origin.commit_all("two");
  TempDir clones;
  const fs::path target = clones.path() / "shallow";
  const RunResult cloned = origin.run(
      "/usr/bin/git",
      {"clone", "-q", "--depth", "1", "file://" + origin.path().string(), target.string()});
  ASSERT_EQ(cloned.exit_code, 0) << cloned.err;
  ASSERT_TRUE(fs::exists(target / ".git/shallow"));
  const RunResult run = scan_in(origin, {"--git"}, target);
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;  // the boundary commit adds every line
  EXPECT_NE(run.out.find(":a.env:1:3 github "), std::string::npos) << run.out;

  // A bare repository (a server's mirror) has history but no work tree.
  const fs::path bare = clones.path() / "bare.git";
  ASSERT_EQ(
      origin.run("/usr/bin/git", {"clone", "-q", "--bare", origin.path().string(), bare.string()})
          .exit_code,
      0);
  const RunResult in_bare = scan_in(origin, {"--git"}, bare);
  EXPECT_EQ(in_bare.exit_code, 1) << in_bare.out << in_bare.err;
}

}  // namespace
}  // namespace devops_monitor::testing
