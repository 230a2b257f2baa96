// scan_staged() and scan_git_history() through the library, on real repositories: what the
// command line cannot reach, such as a revision that looks like a git option.
#include <gtest/gtest.h>

#include <filesystem>

#include "devops_monitor/scan.hpp"
#include "support/git_repo.hpp"
#include "support/scan_keys.hpp"

namespace devops_monitor {
namespace {

using testing::GitRepo;
using testing::TempDir;

TEST(ScanGitLibrary, ARevisionThatLooksLikeAnOptionIsOnlyARevision) {
  GitRepo repo;
  repo.write("a.txt", "x\n");
  repo.commit_all("one");
  TempDir out;
  const std::filesystem::path written = out.path() / "written";
  GitScanOptions options{.directory = repo.path(), .revisions = {"--output=" + written.string()}};
  Result<ScanResult> result = scan_git_history(options, builtin_providers());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().detail.find("--output"), std::string::npos) << result.error().message();
  EXPECT_FALSE(std::filesystem::exists(written));
}

TEST(ScanGitLibrary, SeveralRevisionsAreOneWalkAndLinesAreInTheNewFile) {
  GitRepo repo;
  repo.write("a.txt", "1\n2\n3\n");
  repo.commit_all("one");
  repo.git({"checkout", "-q", "-b", "side"});
  std::mt19937 rng(21);
  const std::string key =
      std::string("gh") + "p_" + testing::random_chars(rng, testing::kAlnum, 36);
  repo.write("a.txt", "1\n2\nT=" + key + "\n3\n");
  const std::string side = repo.commit_all("side");
  repo.git({"checkout", "-q", "main"});
  GitScanOptions options{.directory = repo.path()};
  Result<ScanResult> head_only = scan_git_history(options, builtin_providers());
  ASSERT_TRUE(head_only) << head_only.error().message();
  EXPECT_TRUE(head_only->findings.empty());
  options.revisions = {"main", "side"};
  Result<ScanResult> both = scan_git_history(options, builtin_providers());
  ASSERT_TRUE(both) << both.error().message();
  ASSERT_EQ(both->findings.size(), 1u);
  EXPECT_EQ(both->findings[0].commit, side);
  EXPECT_EQ(both->findings[0].file, "a.txt");
  EXPECT_EQ(both->findings[0].line, 3u);
  EXPECT_EQ(both->findings[0].column, 3u);
  EXPECT_EQ(both->paths, (std::vector<std::string>{"main", "side"}));
}

}  // namespace
}  // namespace devops_monitor
