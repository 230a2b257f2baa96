// Which files `devops-monitor scan` reads in and around git work trees, through the real binary
// and real repositories: git's ignore rules (.gitignore, .git/info/exclude, global excludes),
// --no-ignore, tracked files, nested repositories and submodules, git missing, fsmonitor not
// run, and binary files told by content without a warning.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>

#include "support/git_repo.hpp"
#include "support/monitor_world.hpp"
#include "support/must_run.hpp"
#include "support/scan_keys.hpp"

namespace devops_monitor::testing {
namespace {

namespace fs = std::filesystem;

/// A line holding a key, for a file that must or must not be read.
std::string git_scan_line(unsigned seed) {
  return "token = " + generated_github_token(seed) + "\n";
}

/// The files named in a text report, in order.
std::vector<std::string> git_scan_files(const RunResult& run) {
  std::vector<std::string> files;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    files.push_back(line.substr(0, line.find(':')));
  }
  return files;
}

/// A repository with a key in files git tracks, would add, and ignores.
struct IgnoringRepo {
  GitRepo repo;
  IgnoringRepo() {
    repo.write(".gitignore", "build/\n*.log\n.env\n");
    repo.write("src/app.py", git_scan_line(1));
    repo.write("build/out.txt", git_scan_line(2));
    repo.write("debug.log", git_scan_line(3));
    repo.write(".env", git_scan_line(4));
    repo.write("kept.log", git_scan_line(5));
    repo.git({"add", ".gitignore", "src/app.py"});
    repo.git({"add", "-f", "kept.log"});  // tracked, though *.log matches it
    repo.git({"commit", "-q", "-m", "first"});
    repo.write("notes.txt", git_scan_line(6));  // untracked, not ignored: git would add it
  }
};

// A hook of another repository (or a linked worktree's) runs with GIT_DIR and GIT_INDEX_FILE
// set: the walk must still ask the work tree it found, not the one the environment names.
TEST(ScanIgnore, TheEnvironmentsRepositoryDoesNotReplaceTheOneFound) {
  IgnoringRepo tree;
  GitRepo other;
  other.write("x.txt", "x\n");
  other.commit_all("other");
  std::map<std::string, std::string> env = tree.repo.env();
  env["GIT_DIR"] = (other / ".git").string();
  env["GIT_INDEX_FILE"] = (other / ".git" / "index").string();
  env["GIT_WORK_TREE"] = other.path().string();
  const RunResult run = run_scan({"."}, tree.repo.path(), env);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(git_scan_files(run), (std::vector<std::string>{"kept.log", "notes.txt", "src/app.py"}));
}

TEST(ScanIgnore, IgnoredFilesAreNotReadUnlessNoIgnore) {
  IgnoringRepo tree;
  const RunResult run = run_scan({}, tree.repo.path(), tree.repo.env());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(git_scan_files(run), (std::vector<std::string>{"kept.log", "notes.txt", "src/app.py"}));

  const RunResult all = run_scan({"--no-ignore"}, tree.repo.path(), tree.repo.env());
  EXPECT_EQ(all.exit_code, 1) << all.err;
  EXPECT_EQ(git_scan_files(all), (std::vector<std::string>{".env", "build/out.txt", "debug.log",
                                                           "kept.log", "notes.txt", "src/app.py"}));

  // --exclude still applies on top of git's rules.
  const RunResult excluded =
      run_scan({"--exclude", "notes.txt", "--exclude", "src"}, tree.repo.path(), tree.repo.env());
  EXPECT_EQ(git_scan_files(excluded), (std::vector<std::string>{"kept.log"}));

  // Only ignored files hold keys: clean, exit 0.
  tree.repo.git({"rm", "-q", "--cached", "kept.log", "src/app.py"});
  fs::remove(tree.repo / "notes.txt");
  fs::rename(tree.repo / "src/app.py", tree.repo / "build/app.py");
  const RunResult clean = run_scan({}, tree.repo.path(), tree.repo.env());
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  EXPECT_EQ(clean.out, "");
}

TEST(ScanIgnore, InfoExcludeAndTheGlobalExcludesFileAreHonoured) {
  GitRepo repo;
  TempDir xdg;
  repo.write(".git/info/exclude", "local-only.txt\n");
  fs::create_directories(xdg / "git");
  write_text(xdg / "git/ignore", "from-xdg.txt\n");
  TempDir global;
  write_text(global / "excludes", "from-global.txt\n");
  repo.write("local-only.txt", git_scan_line(11));
  repo.write("from-xdg.txt", git_scan_line(12));
  repo.write("from-global.txt", git_scan_line(13));
  repo.write("read.txt", git_scan_line(14));

  std::map<std::string, std::string> env = repo.env();
  env["XDG_CONFIG_HOME"] = xdg.path().string();
  const RunResult with_xdg = run_scan({}, repo.path(), env);
  EXPECT_EQ(with_xdg.exit_code, 1) << with_xdg.err;
  EXPECT_EQ(git_scan_files(with_xdg), (std::vector<std::string>{"from-global.txt", "read.txt"}));

  // core.excludesFile in the user's ~/.gitconfig (HOME is the repository's own) replaces the
  // XDG file.
  repo.git({"config", "--global", "core.excludesFile", (global / "excludes").string()});
  const RunResult with_global = run_scan({}, repo.path(), env);
  EXPECT_EQ(git_scan_files(with_global), (std::vector<std::string>{"from-xdg.txt", "read.txt"}));
}

TEST(ScanIgnore, ASubdirectoryOrAFileOfAWorkTreeFromAnotherDirectory) {
  GitRepo repo;
  repo.write(".gitignore", "sub/cache/\n");
  repo.write("sub/.gitignore", "*.tmp\n");
  repo.write("sub/a.txt", git_scan_line(21));
  repo.write("sub/b.tmp", git_scan_line(22));
  repo.write("sub/cache/c.txt", git_scan_line(23));
  repo.write("sub/deeper/d.txt", git_scan_line(24));
  repo.commit_all("first");
  TempDir elsewhere;
  const std::string sub = (repo / "sub").string();
  const RunResult run = run_scan({sub}, elsewhere.path(), repo.env());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(git_scan_files(run), (std::vector<std::string>{sub + "/a.txt", sub + "/deeper/d.txt"}));

  // A named file is read even when git ignores it: the user asked for it.
  const RunResult named = run_scan({sub + "/b.tmp"}, elsewhere.path(), repo.env());
  EXPECT_EQ(named.exit_code, 1) << named.err;
  EXPECT_EQ(git_scan_files(named), (std::vector<std::string>{sub + "/b.tmp"}));

  // A named directory git ignores whole: nothing read, and a warning says why.
  const RunResult ignored = run_scan({"sub/cache"}, repo.path(), repo.env());
  EXPECT_EQ(ignored.exit_code, 0) << ignored.out;
  EXPECT_EQ(ignored.err,
            "devops-monitor: warning: nothing read in sub/cache: git ignores every file in it "
            "(--no-ignore reads them)\n");
  const RunResult forced = run_scan({"--no-ignore", "sub/cache"}, repo.path(), repo.env());
  EXPECT_EQ(git_scan_files(forced), (std::vector<std::string>{"sub/cache/c.txt"}));

  // A named path that does not exist is still exit 3.
  const RunResult missing = run_scan({"sub/nothing"}, repo.path(), repo.env());
  EXPECT_EQ(missing.exit_code, 3);
}

TEST(ScanIgnore, NestedRepositoriesAndSubmodulesAreReadWithTheirOwnRules) {
  GitRepo library;
  library.write(".gitignore", "*.log\n");
  library.write("lib.txt", git_scan_line(31));
  library.commit_all("library");
  GitRepo repo;
  repo.write(".gitignore", "*.secret\n");
  repo.write("top.txt", git_scan_line(32));
  repo.commit_all("first");
  repo.git({"-c", "protocol.file.allow=always", "submodule", "add", "-q", library.path().string(),
            "vendor/lib"});
  repo.commit_all("submodule");
  repo.write("vendor/lib/local.log", git_scan_line(33));  // ignored by the submodule
  repo.write("vendor/lib/new.txt", git_scan_line(34));    // untracked in the submodule
  // A repository of its own inside the tree, not a submodule: the outer rules do not reach it.
  repo.write("nested/.gitignore", "private.txt\n");
  repo.write("nested/private.txt", git_scan_line(35));
  repo.write("nested/a.secret", git_scan_line(36));
  repo.write("nested/code.txt", git_scan_line(37));
  RunOptions init{.args = {"init", "-q"}, .env = repo.env(), .cwd = repo / "nested"};
  ASSERT_EQ(run_process("/usr/bin/git", init).exit_code, 0);
  repo.write("top.secret", git_scan_line(38));

  const RunResult run = run_scan({}, repo.path(), repo.env());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(git_scan_files(run),
            (std::vector<std::string>{"nested/a.secret", "nested/code.txt", "top.txt",
                                      "vendor/lib/lib.txt", "vendor/lib/new.txt"}))
      << run.out;
}

/// A directory with a `git` that logs each run to `log` and hands over to the real one.
void git_scan_logging_git(const fs::path& bin, const fs::path& log) {
  fs::create_directories(bin);
  write_text(bin / "git",
             "#!/bin/sh\necho \"$*\" >> '" + log.string() + "'\nexec /usr/bin/git \"$@\"\n");
  fs::permissions(bin / "git", fs::perms::owner_all);
}

std::size_t git_scan_lines(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) return 0;
  std::istringstream text(read_text(file));
  std::size_t count = 0;
  for (std::string line; std::getline(text, line);) ++count;
  return count;
}

TEST(ScanIgnore, OneGitRunPerWorkTreeAndNoneOutsideOne) {
  GitRepo repo;
  for (int dir = 0; dir < 20; ++dir) {
    for (int file = 0; file < 10; ++file) {
      repo.write("d" + std::to_string(dir) + "/f" + std::to_string(file) + ".txt", "text\n");
    }
  }
  repo.write("d3/key.txt", git_scan_line(71));
  repo.commit_all("first");
  repo.write("nested/a.txt", git_scan_line(72));
  RunOptions init{.args = {"init", "-q"}, .env = repo.env(), .cwd = repo / "nested"};
  ASSERT_EQ(run_process("/usr/bin/git", init).exit_code, 0);
  TempDir tools;
  const fs::path log = tools / "git.log";
  git_scan_logging_git(tools / "bin", log);
  std::map<std::string, std::string> env = repo.env();
  env["PATH"] = (tools / "bin").string() + ":" + env["PATH"];

  const RunResult run = run_scan({}, repo.path(), env);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(git_scan_files(run), (std::vector<std::string>{"d3/key.txt", "nested/a.txt"}));
  EXPECT_EQ(git_scan_lines(log), 2u) << "one listing for the repository, one for nested/: "
                                     << (fs::exists(log) ? read_text(log) : "");
  fs::remove(log);
  const RunResult named = run_scan({"d3/key.txt", "d4/f1.txt"}, repo.path(), env);
  EXPECT_EQ(named.exit_code, 1) << named.err;
  EXPECT_EQ(git_scan_lines(log), 0u) << "a named file needs no git";
  TempDir plain;
  write_text(plain / "a.txt", git_scan_line(73));
  const RunResult outside = run_scan({}, plain.path(), env);
  EXPECT_EQ(outside.exit_code, 1) << outside.err;
  EXPECT_EQ(git_scan_lines(log), 0u) << "outside a work tree git is not run";
}

TEST(ScanIgnore, ADirectoryOutsideAnyRepositoryIsReadWhole) {
  TempDir dir;
  write_text(dir / ".gitignore", "*.log\n");
  write_text(dir / "a.log", git_scan_line(41));
  fs::create_directories(dir / "not-a-repo/.git");  // a .git without HEAD is no repository
  write_text(dir / "not-a-repo/.git/config", "[core]\n");
  write_text(dir / "not-a-repo/b.log", git_scan_line(42));
  GitRepo home_only;  // for an environment with git in PATH and a HOME of its own
  const RunResult run = run_scan({}, dir.path(), home_only.env());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_EQ(git_scan_files(run), (std::vector<std::string>{"a.log", "not-a-repo/b.log"}));
}

TEST(ScanIgnore, WithoutGitInPathOneWarningAndEveryFileRead) {
  IgnoringRepo tree;
  std::map<std::string, std::string> env = tree.repo.env();
  env["PATH"] = (tree.repo / "no-bin").string();
  const RunResult run = run_scan({"src", "."}, tree.repo.path(), env);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.err,
            "devops-monitor: warning: git not found in PATH: ignore rules not applied, every file "
            "read\n");
  const std::vector<std::string> files = git_scan_files(run);
  EXPECT_EQ(std::count(files.begin(), files.end(), "build/out.txt"), 1) << run.out;
  EXPECT_EQ(std::count(files.begin(), files.end(), ".env"), 1) << run.out;
}

TEST(ScanIgnore, AWorkTreeGitRefusesToListIsReadWholeWithAWarning) {
  if (::geteuid() != 0) {
    DEVOPS_MONITOR_SKIP_OR_FAIL("needs root: another user's repository is what git refuses");
  }
  IgnoringRepo tree;  // owned by root; read by nobody, git says "dubious ownership"
  RunOptions options{.args = {"scan"}, .env = tree.repo.env(), .cwd = tree.repo.path()};
  options.env["HOME"] = "/nonexistent";
  options.as_nobody = true;
  const RunResult run = run_process(monitor_binary(), options);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_TRUE(
      run.err.starts_with("devops-monitor: warning: cannot apply git's ignore rules in . "
                          "(git failed: "))
      << run.err;
  EXPECT_TRUE(run.err.ends_with("): every file read\n")) << run.err;
  EXPECT_EQ(git_scan_files(run), (std::vector<std::string>{".env", "build/out.txt", "debug.log",
                                                           "kept.log", "notes.txt", "src/app.py"}));
}

TEST(ScanIgnore, ARepositorysFsmonitorCommandIsNotRun) {
  GitRepo repo;
  TempDir marks;
  const fs::path hook = marks / "fsmonitor.sh";
  const fs::path ran = marks / "ran";
  write_text(hook, "#!/bin/sh\ntouch '" + ran.string() + "'\n");
  fs::permissions(hook, fs::perms::owner_all);
  repo.write("a.txt", git_scan_line(51));
  repo.commit_all("first");
  repo.git({"config", "core.fsmonitor", hook.string()});
  // The control: git itself runs it for the same listing.
  repo.git({"ls-files", "--others", "--exclude-standard"});
  ASSERT_TRUE(fs::exists(ran)) << "git did not run the fsmonitor hook: the test proves nothing";
  fs::remove(ran);
  const RunResult run = run_scan({}, repo.path(), repo.env());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_FALSE(fs::exists(ran)) << "scan ran the repository's core.fsmonitor command";
}

TEST(ScanIgnore, LargeBinaryFilesAreSkippedSilentlyLargeTextFilesWarned) {
  GitRepo repo;
  const std::size_t twenty_mb = 20u * 1024 * 1024;
  std::string binary = std::string(
                           "\x7f"
                           "ELF\0\0",
                           6) +
                       git_scan_line(61);
  binary.resize(twenty_mb, 'x');
  repo.write("build.o", binary);
  std::string text = git_scan_line(62);
  text.resize(twenty_mb, '#');
  repo.write("huge.txt", text);
  repo.write("small.bin", std::string("\0", 1) + git_scan_line(63));

  const RunResult run = run_scan({"--json"}, repo.path(), repo.env());
  EXPECT_EQ(run.exit_code, 0) << "a skipped file does not change the status: " << run.err;
  EXPECT_EQ(run.err,
            "devops-monitor: warning: skipped huge.txt: larger than 10485760 bytes "
            "(--max-file-size)\n");
  const nlohmann::json doc = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << run.out;
  EXPECT_EQ(doc["files_skipped_binary"], 2);
  EXPECT_EQ(doc["files_scanned"], 0);
  EXPECT_EQ(doc["warnings"].size(), 1u);

  const RunResult bigger_cap = run_scan({"--max-file-size", "30M"}, repo.path(), repo.env());
  EXPECT_EQ(bigger_cap.exit_code, 1) << bigger_cap.err;
  EXPECT_EQ(bigger_cap.err, "");
  EXPECT_EQ(git_scan_files(bigger_cap), (std::vector<std::string>{"huge.txt"}));
}

}  // namespace
}  // namespace devops_monitor::testing
