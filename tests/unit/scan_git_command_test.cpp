// Running git for the scanner: output, failures and an early stop, on real repositories.
#include "scan/git_command.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "support/git_repo.hpp"

namespace devops_monitor::scan {
namespace {

using testing::GitRepo;
using testing::TempDir;

TEST(GitCommand, OutputOfARepository) {
  GitRepo repo;
  repo.write("a.txt", "one\n");
  const std::string commit = repo.commit_all("first");
  Result<std::string> head = git_output(repo.path(), {"rev-parse", "HEAD"}, 4096);
  ASSERT_TRUE(head) << head.error().detail;
  EXPECT_EQ(*head, commit + "\n");
}

TEST(GitCommand, FailureNamesTheDirectoryAndGitsReason) {
  TempDir plain;
  Result<std::string> out = git_output(plain.path(), {"rev-parse", "--show-toplevel"}, 4096);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().where, plain.path().string());
  EXPECT_NE(out.error().detail.find("not a git repository"), std::string::npos)
      << out.error().detail;
}

TEST(GitCommand, OutputOverTheBoundIsAnError) {
  GitRepo repo;
  for (int i = 0; i < 200; ++i) repo.write("f" + std::to_string(i) + ".txt", "x\n");
  repo.commit_all("many");
  Result<std::string> out = git_output(repo.path(), {"ls-files"}, 100);
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().detail.find("over 100 bytes"), std::string::npos) << out.error().detail;
}

TEST(GitCommand, StoppingEndsGitEarly) {
  GitRepo repo;
  for (int i = 0; i < 3000; ++i) repo.write("f" + std::to_string(i) + ".txt", "x\n");
  repo.commit_all("many");
  std::size_t calls = 0;
  Result<GitRun> run = run_git(repo.path(), {"log", "-p", "--no-color"}, [&](std::string_view) {
    ++calls;
    return false;
  });
  ASSERT_TRUE(run);
  EXPECT_EQ(calls, 1u);
}

TEST(GitCommand, ARepositorysFsmonitorIsNotRun) {
  GitRepo repo;
  repo.write("a.txt", "one\n");
  repo.commit_all("first");
  const std::filesystem::path marker = repo / "ran";
  repo.git({"config", "core.fsmonitor", "touch " + marker.string() + "; false"});
  Result<std::string> status = git_output(repo.path(), {"status", "--porcelain"}, 4096);
  ASSERT_TRUE(status) << status.error().detail;
  EXPECT_FALSE(std::filesystem::exists(marker));
}

}  // namespace
}  // namespace devops_monitor::scan
