// Which files a scan reads, in its pure parts: git's listing looked up as the walk does, the
// binary-by-content rule on real files, and SARIF fingerprints that stay put across runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "devops_monitor/scan.hpp"
#include "scan/git_listing.hpp"
#include "scan/read_file.hpp"
#include "support/process.hpp"

namespace devops_monitor {
namespace {

using testing::TempDir;
using testing::write_text;

TEST(ScanGitListing, LooksUpFilesDirectoriesAndNestedWorkTrees) {
  using namespace std::string_literals;
  // git's order: tracked first, then untracked; "nested/" is an untracked repository, "sub" a
  // submodule.
  const scan::GitListing listing = scan::GitListing::parse(
      "src/b.py\0src/a.py\0sub\0.gitignore\0docs/x y.md\0nested/\0src-old/z\0"s);
  EXPECT_TRUE(listing.has_file("src/a.py"));
  EXPECT_TRUE(listing.has_file("src/b.py"));
  EXPECT_TRUE(listing.has_file(".gitignore"));
  EXPECT_TRUE(listing.has_file("docs/x y.md"));
  EXPECT_FALSE(listing.has_file("src/c.py"));
  EXPECT_FALSE(listing.has_file("src"));
  EXPECT_TRUE(listing.has_below("src"));
  EXPECT_TRUE(listing.has_below("docs"));
  EXPECT_TRUE(listing.has_below("src-old"));
  EXPECT_FALSE(listing.has_below("sr"));     // a prefix of a name is not a parent
  EXPECT_FALSE(listing.has_below("build"));  // ignored or empty
  EXPECT_TRUE(listing.is_nested_work_tree("sub"));
  EXPECT_TRUE(listing.is_nested_work_tree("nested"));
  EXPECT_FALSE(listing.is_nested_work_tree("src"));
  EXPECT_TRUE(scan::GitListing::parse("").empty());
  EXPECT_TRUE(
      scan::GitListing::parse("last-without-terminator").has_file("last-without-terminator"));
}

TEST(ScanGitListing, ARepositoryIsAGitDirectoryWithHeadOrAGitFile) {
  TempDir dir;
  std::filesystem::create_directories(dir / "fake/.git");
  write_text(dir / "fake/.git/config", "[core]\n");
  std::filesystem::create_directories(dir / "fake/inner");
  EXPECT_FALSE(scan::holds_git_repository(dir / "fake"));
  EXPECT_FALSE(scan::inside_git_work_tree(dir / "fake/inner"));
  write_text(dir / "fake/.git/HEAD", "ref: refs/heads/main\n");
  EXPECT_TRUE(scan::holds_git_repository(dir / "fake"));
  EXPECT_TRUE(scan::inside_git_work_tree(dir / "fake/inner"));
  std::filesystem::create_directories(dir / "worktree");
  write_text(dir / "worktree/.git", "gitdir: /elsewhere\n");
  EXPECT_TRUE(scan::holds_git_repository(dir / "worktree"));
}

TEST(ScanReadFile, BinaryByContentBeforeTheSizeCap) {
  TempDir dir;
  scan::ScanBuffer buffer;
  const std::string big_binary = std::string(
                                     "\x7f"
                                     "ELF\0",
                                     5) +
                                 std::string(100000, 'a');
  write_text(dir / "blob.o", big_binary);
  scan::FileRead read = scan::read_for_scan((dir / "blob.o").string(), 1000, buffer);
  EXPECT_EQ(read.content, scan::FileContent::binary);
  EXPECT_EQ(read.size, big_binary.size());
  EXPECT_EQ(read.length, scan::kBinaryProbeBytes) << "a binary is not read past its probe";

  const std::string big_text(100000, 'a');
  write_text(dir / "big.txt", big_text);
  read = scan::read_for_scan((dir / "big.txt").string(), 1000, buffer);
  EXPECT_EQ(read.content, scan::FileContent::too_big);
  EXPECT_EQ(read.length, scan::kBinaryProbeBytes);

  read = scan::read_for_scan((dir / "big.txt").string(), 100000, buffer);
  EXPECT_EQ(read.content, scan::FileContent::text);
  EXPECT_EQ(std::string(buffer.data(), read.length), big_text);

  // A NUL past the first 8 KiB: text, as git decides.
  const std::string late_nul = std::string(scan::kBinaryProbeBytes, 'x') + std::string(1, '\0');
  write_text(dir / "late.txt", late_nul);
  read = scan::read_for_scan((dir / "late.txt").string(), 1 << 20, buffer);
  EXPECT_EQ(read.content, scan::FileContent::text);
  EXPECT_EQ(std::string(buffer.data(), read.length), late_nul);

  write_text(dir / "empty", "");
  read = scan::read_for_scan((dir / "empty").string(), 1000, buffer);
  EXPECT_EQ(read.content, scan::FileContent::text);
  EXPECT_EQ(read.length, 0u) << "what the buffer holds after it is an earlier file's";

  read = scan::read_for_scan((dir / "missing").string(), 1000, buffer);
  EXPECT_EQ(read.content, scan::FileContent::unreadable);
  EXPECT_EQ(read.error, "No such file or directory");
  std::filesystem::create_symlink(dir / "big.txt", dir / "link");
  read = scan::read_for_scan((dir / "link").string(), 1 << 20, buffer);
  EXPECT_EQ(read.content, scan::FileContent::unreadable) << "a symlink swapped in is refused";
}

ScanFinding sarif_sample_finding(const std::string& file, std::size_t line,
                                 const std::string& fingerprint) {
  return {.file = file,
          .line = line,
          .column = 5,
          .kind = "github",
          .provider = "GitHub",
          .rule = "github-token",
          .redacted = "ghp_AbCd…",
          .fingerprint = fingerprint};
}

std::vector<std::string> sarif_partial_fingerprints(const ScanResult& result) {
  const nlohmann::json doc = nlohmann::json::parse(render_scan_sarif(result, {}));
  std::vector<std::string> values;
  for (const nlohmann::json& one : doc["runs"][0]["results"]) {
    values.push_back(one["partialFingerprints"]["secretFingerprint/v2"]);
  }
  return values;
}

TEST(ScanSarif, PartialFingerprintsStayWhenLinesMoveAndDifferByPathOrKey) {
  ScanResult monday;
  monday.scanned_at = "2026-12-07T09:00:00.000Z";
  monday.findings = {sarif_sample_finding("src/a.env", 3, "1a2b3c4d"),
                     sarif_sample_finding("src/b.env", 9, "1a2b3c4d")};
  ScanResult tuesday;  // lines added above both keys, another time, files in another order
  tuesday.scanned_at = "2026-12-08T17:30:00.000Z";
  tuesday.findings = {sarif_sample_finding("./src/b.env", 40, "1a2b3c4d"),
                      sarif_sample_finding("src/a.env", 12, "1a2b3c4d")};
  const std::vector<std::string> before = sarif_partial_fingerprints(monday);
  const std::vector<std::string> after = sarif_partial_fingerprints(tuesday);
  ASSERT_EQ(before.size(), 2u);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(before[0], after[1]) << "same key, same file";
  EXPECT_EQ(before[1], after[0]) << "same key, same file (./ is the same path)";
  EXPECT_NE(before[0], before[1]) << "the same key in two files is two alerts";
  for (const std::string& value : before) {
    EXPECT_EQ(value.find("1a2b3c4d"), std::string::npos) << "hashed, not the bare fingerprint";
  }

  ScanResult rotated;
  rotated.findings = {sarif_sample_finding("src/a.env", 3, "99999999")};
  EXPECT_NE(sarif_partial_fingerprints(rotated)[0], before[0]) << "another key, another alert";

  ScanResult twice;  // the same key twice in one file: numbered in position order
  twice.findings = {sarif_sample_finding("src/a.env", 3, "1a2b3c4d"),
                    sarif_sample_finding("src/a.env", 8, "1a2b3c4d")};
  const std::vector<std::string> numbered = sarif_partial_fingerprints(twice);
  EXPECT_EQ(numbered[0], before[0]);
  EXPECT_TRUE(numbered[0].ends_with(":1")) << numbered[0];
  EXPECT_EQ(numbered[1], numbered[0].substr(0, numbered[0].size() - 2) + ":2");
}

}  // namespace
}  // namespace devops_monitor
