// scan_staged() and scan_git_history() through the library, on real repositories: what the
// command line cannot reach, such as a revision that looks like a git option.
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

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

namespace devops_monitor {
namespace {

TEST(ScanGitOutput, AHistoryFindingNamesItsCommitInEveryFormat) {
  ScanResult result;
  const std::string commit(40, 'c');
  result.findings.push_back({.file = "a.env",
                             .line = 2,
                             .column = 3,
                             .kind = "github",
                             .provider = "GitHub",
                             .rule = "github-token",
                             .redacted = "ghp_AbCd…",
                             .fingerprint = "1a2b3c4d",
                             .commit = commit});
  ScanFinding file_finding = result.findings.front();
  file_finding.commit.clear();
  result.findings.push_back(file_finding);

  const std::string text = render_scan_text(result);
  EXPECT_EQ(text,
            commit + ":a.env:2:3 github ghp_AbCd… 1a2b3c4d\na.env:2:3 github ghp_AbCd… 1a2b3c4d\n");

  const nlohmann::json json = nlohmann::json::parse(render_scan_json(result));
  EXPECT_EQ(json["findings"][0]["commit"], commit);
  EXPECT_FALSE(json["findings"][1].contains("commit"));  // file scans keep their old shape

  const nlohmann::json sarif = nlohmann::json::parse(render_scan_sarif(result, {}));
  const nlohmann::json& first = sarif["runs"][0]["results"][0];
  const nlohmann::json& second = sarif["runs"][0]["results"][1];
  EXPECT_EQ(first["properties"]["commit"], commit);
  EXPECT_NE(first["locations"][0]["message"]["text"].get<std::string>().find(commit),
            std::string::npos);
  EXPECT_NE(first["message"]["text"].get<std::string>().find(commit), std::string::npos);
  // The alert is the key's in its file: a history scan and a file scan give the same value.
  ScanResult history_only;
  history_only.findings.push_back(result.findings[0]);
  ScanResult files_only;
  files_only.findings.push_back(result.findings[1]);
  const nlohmann::json from_history = nlohmann::json::parse(render_scan_sarif(history_only, {}));
  const nlohmann::json from_files = nlohmann::json::parse(render_scan_sarif(files_only, {}));
  EXPECT_EQ(from_history["runs"][0]["results"][0]["partialFingerprints"],
            from_files["runs"][0]["results"][0]["partialFingerprints"]);
  EXPECT_FALSE(second["properties"].contains("commit"));
}

}  // namespace
}  // namespace devops_monitor
