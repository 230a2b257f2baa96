// Reading git's unified diffs (-U0) for added lines: literal diffs as git writes them, fed
// whole and one byte at a time.
#include "scan/git_diff.hpp"

#include <gtest/gtest.h>

namespace devops_monitor::scan {
namespace {

struct Hunk {
  std::string commit;
  std::string path;
  std::size_t first_line;
  std::string added;
  bool operator==(const Hunk&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Hunk& hunk) {
  return out << "{" << hunk.commit << " " << hunk.path << ":" << hunk.first_line << " '"
             << hunk.added << "'}";
}

struct Read {
  std::vector<Hunk> hunks;
  std::vector<std::string> warnings;
};

Read read_diff(std::string_view diff, std::uint64_t max_size = 1024, bool bytewise = false) {
  Read read;
  DiffReader reader(
      max_size,
      [&read](const DiffHunk& hunk) {
        read.hunks.push_back({std::string(hunk.commit), std::string(hunk.path), hunk.first_line,
                              std::string(hunk.added)});
      },
      read.warnings);
  if (bytewise) {
    for (const char ch : diff) reader.feed(std::string_view(&ch, 1));
  } else {
    reader.feed(diff);
  }
  reader.finish();
  return read;
}

/// The same hunks whether git's output arrives at once or a byte at a time.
Read read_both_ways(std::string_view diff, std::uint64_t max_size = 1024) {
  Read whole = read_diff(diff, max_size, false);
  Read bytewise = read_diff(diff, max_size, true);
  EXPECT_EQ(whole.hunks, bytewise.hunks);
  EXPECT_EQ(whole.warnings, bytewise.warnings);
  return whole;
}

TEST(GitDiff, AddedLinesOfAModifiedFileWithTheirNewLineNumbers) {
  const Read read = read_both_ways(
      "diff --git a/src/app.py b/src/app.py\n"
      "index 1111111..2222222 100644\n"
      "--- a/src/app.py\n"
      "+++ b/src/app.py\n"
      "@@ -3 +3,2 @@ def main():\n"
      "-    old = 1\n"
      "+    new = 1\n"
      "+    more = 2\n"
      "@@ -10,2 +11,0 @@\n"
      "-gone\n"
      "-gone too\n"
      "@@ -20,0 +20 @@\n"
      "+last\n");
  ASSERT_EQ(read.hunks.size(), 2u);
  EXPECT_EQ(read.hunks[0], (Hunk{"", "src/app.py", 3, "    new = 1\n    more = 2\n"}));
  EXPECT_EQ(read.hunks[1], (Hunk{"", "src/app.py", 20, "last\n"}));
  EXPECT_TRUE(read.warnings.empty());
}

TEST(GitDiff, AnAddedLineThatLooksLikeAHeaderIsContent) {
  // "++ b/x" added shows as "+++ b/x"; "@@ -1 +1 @@" added as "+@@ ...": the hunk's counts
  // say they are lines, not headers.
  const Read read = read_both_ways(
      "diff --git a/x b/x\n"
      "--- a/x\n"
      "+++ b/x\n"
      "@@ -0,0 +1,3 @@\n"
      "+++ b/other\n"
      "+@@ -1 +1 @@\n"
      "+diff --git a/y b/y\n");
  ASSERT_EQ(read.hunks.size(), 1u);
  EXPECT_EQ(read.hunks[0], (Hunk{"", "x", 1, "++ b/other\n@@ -1 +1 @@\ndiff --git a/y b/y\n"}));
}

TEST(GitDiff, QuotedPathsAndNamesWithSpaces) {
  const Read read = read_both_ways(
      "diff --git \"a/t\\tab.txt\" \"b/t\\tab.txt\"\n"
      "new file mode 100644\n"
      "--- /dev/null\n"
      "+++ \"b/t\\tab.txt\"\n"
      "@@ -0,0 +1 @@\n"
      "+one\n"
      "diff --git a/my file.txt b/my file.txt\n"
      "new file mode 100644\n"
      "--- /dev/null\n"
      "+++ b/my file.txt\t\n"
      "@@ -0,0 +1 @@\n"
      "+two\n"
      "diff --git \"a/caf\\303\\251 \\\"q\\\"\" \"b/caf\\303\\251 \\\"q\\\"\"\n"
      "--- /dev/null\n"
      "+++ \"b/caf\\303\\251 \\\"q\\\"\"\n"
      "@@ -0,0 +1 @@\n"
      "+three\n");
  ASSERT_EQ(read.hunks.size(), 3u);
  EXPECT_EQ(read.hunks[0].path, "t\tab.txt");
  EXPECT_EQ(read.hunks[1].path, "my file.txt");
  EXPECT_EQ(read.hunks[2].path, "caf\xc3\xa9 \"q\"");
}

TEST(GitDiff, RenamesDeletionsBinariesAndModeChanges) {
  const Read read = read_both_ways(
      "diff --git a/old.txt b/new.txt\n"
      "similarity index 90%\n"
      "rename from old.txt\n"
      "rename to new.txt\n"
      "index 1111111..2222222 100644\n"
      "--- a/old.txt\n"
      "+++ b/new.txt\n"
      "@@ -5,0 +6 @@\n"
      "+renamed and added\n"
      "diff --git a/gone.txt b/gone.txt\n"
      "deleted file mode 100644\n"
      "index 3333333..0000000\n"
      "--- a/gone.txt\n"
      "+++ /dev/null\n"
      "@@ -1,2 +0,0 @@\n"
      "-was here\n"
      "-and here\n"
      "diff --git a/blob.bin b/blob.bin\n"
      "new file mode 100644\n"
      "index 0000000..87ae6b6\n"
      "Binary files /dev/null and b/blob.bin differ\n"
      "diff --git a/run.sh b/run.sh\n"
      "old mode 100644\n"
      "new mode 100755\n"
      "diff --git a/empty b/empty\n"
      "new file mode 100644\n"
      "index 0000000..e69de29\n");
  ASSERT_EQ(read.hunks.size(), 1u);
  EXPECT_EQ(read.hunks[0], (Hunk{"", "new.txt", 6, "renamed and added\n"}));
}

TEST(GitDiff, NoNewlineMarkerAndCrlfLines) {
  const Read read = read_both_ways(
      "diff --git a/w.txt b/w.txt\r\n"
      "--- a/w.txt\r\n"
      "+++ b/w.txt\r\n"
      "@@ -1 +1,2 @@\r\n"
      "-old\r\n"
      "\\ No newline at end of file\n"
      "+new\r\n"
      "+end\n"
      "\\ No newline at end of file\n"
      "diff --git a/n.txt b/n.txt\n"
      "--- a/n.txt\n"
      "+++ b/n.txt\n"
      "@@ -0,0 +1 @@\n"
      "+tail");  // git's output cut before its last newline
  ASSERT_EQ(read.hunks.size(), 2u);
  EXPECT_EQ(read.hunks[0], (Hunk{"", "w.txt", 1, "new\r\nend\n"}));
  EXPECT_EQ(read.hunks[1], (Hunk{"", "n.txt", 1, "tail\n"}));
}

TEST(GitDiff, CommitsOfALogNameTheirHunks) {
  const std::string first(40, 'a');
  const std::string second(40, 'b');
  const Read read = read_both_ways("commit " + first +
                                   "\n"
                                   "\n"
                                   "diff --git a/k.env b/k.env\n"
                                   "--- a/k.env\n"
                                   "+++ b/k.env\n"
                                   "@@ -1 +0,0 @@\n"
                                   "-KEY=x\n"
                                   "commit " +
                                   second +
                                   "\n"
                                   "\n"
                                   "diff --git a/k.env b/k.env\n"
                                   "new file mode 100644\n"
                                   "--- /dev/null\n"
                                   "+++ b/k.env\n"
                                   "@@ -0,0 +1 @@\n"
                                   "+KEY=x\n"
                                   "commit " +
                                   std::string(40, 'c') + "\n");
  ASSERT_EQ(read.hunks.size(), 1u);
  EXPECT_EQ(read.hunks[0], (Hunk{second, "k.env", 1, "KEY=x\n"}));
}

TEST(GitDiff, AnOverlongLineSkipsItsHunkWithOneWarning) {
  const std::string diff =
      "diff --git a/big b/big\n"
      "--- /dev/null\n"
      "+++ b/big\n"
      "@@ -0,0 +1,3 @@\n"
      "+short\n"
      "+" +
      std::string(300, 'x') +
      "\n"
      "+after\n"
      "diff --git a/small b/small\n"
      "--- /dev/null\n"
      "+++ b/small\n"
      "@@ -0,0 +1 @@\n"
      "+kept\n";
  const Read read = read_both_ways(diff, 100);
  ASSERT_EQ(read.hunks.size(), 1u);
  EXPECT_EQ(read.hunks[0], (Hunk{"", "small", 1, "kept\n"}));
  ASSERT_EQ(read.warnings.size(), 1u);
  EXPECT_NE(read.warnings[0].find("big"), std::string::npos) << read.warnings[0];
  EXPECT_NE(read.warnings[0].find("--max-file-size"), std::string::npos) << read.warnings[0];
}

TEST(GitDiff, AnOverlongHeaderEndingAHunkIsIgnored) {
  // A commit line over the bound, right after a hunk: neither its start (when it arrives in
  // pieces) nor anything else of it becomes the commit of the hunks after it.
  const std::string first(40, 'a');
  const Read read = read_both_ways("commit " + first +
                                       "\n"
                                       "diff --git a/x b/x\n"
                                       "+++ b/x\n"
                                       "@@ -1 +1,2 @@\n"
                                       "-old\n"
                                       "+new\n"
                                       "commit " +
                                       std::string(300, 'b') +
                                       "\n"
                                       "diff --git a/y b/y\n"
                                       "+++ b/y\n"
                                       "@@ -0,0 +1 @@\n"
                                       "+why\n",
                                   100);
  ASSERT_EQ(read.hunks.size(), 2u);
  EXPECT_EQ(read.hunks[0], (Hunk{first, "x", 1, "new\n"}));
  EXPECT_EQ(read.hunks[1], (Hunk{first, "y", 1, "why\n"}));
}

TEST(GitDiff, AHunkOverTheSizeIsSkippedWithOneWarning) {
  std::string diff = "diff --git a/many b/many\n--- /dev/null\n+++ b/many\n@@ -0,0 +1,50 @@\n";
  for (int i = 0; i < 50; ++i) diff += "+line " + std::to_string(i) + "\n";
  const Read read = read_both_ways(diff, 100);
  EXPECT_TRUE(read.hunks.empty());
  EXPECT_EQ(read.warnings.size(), 1u);
}

TEST(GitDiff, GarbageIsNoHunk) {
  const Read read = read_both_ways("@@ -x +y @@\n+no\n@@@ -1 -1 +1 @@@\n+no\n\n\0\n+++\n@@ -1");
  EXPECT_TRUE(read.hunks.empty());
}

TEST(GitDiff, HeaderPaths) {
  EXPECT_EQ(diff_header_path("b/src/a.py", "b/"), "src/a.py");
  EXPECT_EQ(diff_header_path("\"b/a\\nb\"", "b/"), "a\nb");
  EXPECT_EQ(diff_header_path("\"b/\\101\\\\\"", "b/"), "A\\");
  EXPECT_EQ(diff_header_path("b/with space\t", "b/"), "with space");
  EXPECT_EQ(diff_header_path("\"", "b/"), "\"");
}

}  // namespace
}  // namespace devops_monitor::scan
