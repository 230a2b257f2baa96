// read_procfs_file and the text helpers shared by the procfs parsers.
#include "system/procfs.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include "support/fixtures.hpp"

namespace devops_monitor {
namespace {

TEST(ProcfsRead, ReadsALiveFileWhoseReportedSizeIsZero) {
  ASSERT_EQ(std::filesystem::file_size("/proc/stat"), 0u) << "the premise of this test";
  Result<std::string> text = read_procfs_file("/proc", "stat");
  ASSERT_TRUE(text.ok()) << text.error().message();
  EXPECT_TRUE(text->starts_with("cpu ")) << *text;
  EXPECT_EQ(text->back(), '\n');
}

TEST(ProcfsRead, ReadsAFixtureFileWhole) {
  Result<std::string> text = read_procfs_file(testing::kProcfsFixtures / "busy", "loadavg");
  ASSERT_TRUE(text.ok()) << text.error().message();
  EXPECT_EQ(*text, "3.12 2.87 2.55 5/612 2210330\n");
}

TEST(ProcfsRead, MissingFileErrorNamesTheFullPath) {
  Result<std::string> text = read_procfs_file(testing::kProcfsFixtures / "busy", "no-such-file");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().what, "cannot read procfs file");
  EXPECT_EQ(text.error().detail, "No such file or directory");
  EXPECT_EQ(text.error().where, (testing::kProcfsFixtures / "busy" / "no-such-file").string());
}

TEST(ProcfsRead, DirectoryIsAnErrorNotAnEmptyFile) {
  Result<std::string> text = read_procfs_file(testing::kProcfsFixtures, "busy");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().detail, "Is a directory");
  EXPECT_EQ(text.error().where, (testing::kProcfsFixtures / "busy").string());
}

TEST(ProcfsRead, TrailingSlashOnTheRootDoesNotDoubleTheSeparator) {
  Result<std::string> text = read_procfs_file("/proc/", "no-such-file");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().where, "/proc/no-such-file");
}

TEST(ProcfsText, CompleteTextEndsWithANewline) {
  EXPECT_TRUE(require_complete_text("cpu 1 2 3 4\n", "/proc/stat").ok());
  Result<void> empty = require_complete_text("", "/proc/stat");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().what, "procfs file is empty");
  EXPECT_EQ(empty.error().where, "/proc/stat");
  Result<void> cut = require_complete_text("cpu 1 2 3 4\ncpu0 1 2", "/proc/stat");
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().what, "procfs file is truncated");
  EXPECT_EQ(cut.error().where, "/proc/stat");
}

TEST(ProcfsText, SplitsLinesWithoutTheirNewlines) {
  EXPECT_EQ(split_lines("a\nb c\n\nd\n"), (std::vector<std::string_view>{"a", "b c", "", "d"}));
  EXPECT_EQ(split_lines("a\nb"), (std::vector<std::string_view>{"a", "b"}));
  EXPECT_TRUE(split_lines("").empty());
}

TEST(ProcfsText, SplitsFieldsOnRunsOfSpacesAndTabs) {
  EXPECT_EQ(split_fields("cpu  1 \t2   3 "), (std::vector<std::string_view>{"cpu", "1", "2", "3"}));
  EXPECT_EQ(split_fields("MemTotal:       24683620 kB"),
            (std::vector<std::string_view>{"MemTotal:", "24683620", "kB"}));
  EXPECT_TRUE(split_fields("  \t ").empty());
}

TEST(ProcfsText, ParsesOnlyWholeUnsignedDecimals) {
  EXPECT_EQ(parse_u64("0"), 0u);
  EXPECT_EQ(parse_u64("18446744073709551615"), 18446744073709551615u);
  EXPECT_FALSE(parse_u64("18446744073709551616").has_value());
  EXPECT_FALSE(parse_u64("").has_value());
  EXPECT_FALSE(parse_u64("-1").has_value());
  EXPECT_FALSE(parse_u64("+1").has_value());
  EXPECT_FALSE(parse_u64("12x").has_value());
  EXPECT_FALSE(parse_u64("1.5").has_value());
  EXPECT_FALSE(parse_u64(" 1").has_value());
}

TEST(ProcfsText, ExplainsWhyANumberWasRefused) {
  EXPECT_EQ(describe_bad_u64("12x"), "'12x' is not a non-negative integer");
  EXPECT_EQ(describe_bad_u64("99999999999999999999"),
            "'99999999999999999999' does not fit in 64 bits");
}

TEST(ProcfsText, WhereLineIsOneBased) {
  EXPECT_EQ(where_line("/proc/stat", 0), "/proc/stat:1");
}

}  // namespace
}  // namespace devops_monitor
