// The bounded reader (util/file_io.hpp) over real files: FIFOs, devices, symlinks, directories
// and the exact size cap. Every read runs on a thread of its own with a deadline, so a reader
// that blocks fails the test instead of hanging the suite.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "support/process.hpp"
#include "util/bounded.hpp"
#include "util/file_io.hpp"

namespace devops_monitor {
namespace {

constexpr std::size_t kBoundedTestCap = 100;
constexpr ReadRules kBoundedFollow{
    .max_bytes = kBoundedTestCap, .symlinks = Symlinks::follow, .kind = "test file"};
constexpr ReadRules kBoundedRefuse{
    .max_bytes = kBoundedTestCap, .symlinks = Symlinks::refuse, .kind = "test file"};

/// read_regular_file, given two seconds; nullopt (and a failure) when it did not return.
std::optional<Result<RegularFileText>> bounded_read(const std::filesystem::path& file,
                                                    const ReadRules& rules) {
  std::optional<Result<RegularFileText>> read = run_bounded<Result<RegularFileText>>(
      [file, rules] { return read_regular_file(file, "cannot read test file", rules); },
      std::chrono::steady_clock::now() + std::chrono::seconds(2));
  if (!read) {
    ADD_FAILURE() << "read_regular_file(" << file << ") blocked";
    // Let the stuck open() of a FIFO return, so the thread ends.
    const int writer = ::open(file.c_str(), O_WRONLY | O_NONBLOCK);
    if (writer >= 0) ::close(writer);
  }
  return read;
}

/// The detail of the error a read gave; "" when it succeeded (a failure) or blocked.
std::string bounded_refusal(const std::filesystem::path& file, const ReadRules& rules) {
  std::optional<Result<RegularFileText>> read = bounded_read(file, rules);
  if (!read) return "";
  if (read->ok()) {
    ADD_FAILURE() << file << " was read, " << (*read)->text.size() << " bytes";
    return "";
  }
  EXPECT_EQ(read->error().what, "cannot read test file");
  EXPECT_EQ(read->error().where, file.string());
  return read->error().detail;
}

TEST(BoundedReader, ReadsARegularFileWholeWithItsStat) {
  testing::TempDir dir;
  testing::write_text(dir / "a.txt", "hello\n");
  std::optional<Result<RegularFileText>> read = bounded_read(dir / "a.txt", kBoundedRefuse);
  ASSERT_TRUE(read && read->ok());
  EXPECT_EQ((*read)->text, "hello\n");
  EXPECT_EQ((*read)->info.st_size, 6);
  EXPECT_TRUE(S_ISREG((*read)->info.st_mode));
  testing::write_text(dir / "empty.txt", "");
  read = bounded_read(dir / "empty.txt", kBoundedRefuse);
  ASSERT_TRUE(read && read->ok());
  EXPECT_EQ((*read)->text, "");
}

TEST(BoundedReader, TheCapIsExact) {
  testing::TempDir dir;
  testing::write_text(dir / "at_cap", std::string(kBoundedTestCap, 'x'));
  std::optional<Result<RegularFileText>> read = bounded_read(dir / "at_cap", kBoundedRefuse);
  ASSERT_TRUE(read && read->ok()) << (read && !read->ok() ? read->error().message() : "");
  EXPECT_EQ((*read)->text.size(), kBoundedTestCap);

  testing::write_text(dir / "over_cap", std::string(kBoundedTestCap + 1, 'x'));
  EXPECT_EQ(bounded_refusal(dir / "over_cap", kBoundedRefuse),
            "it is larger than 100 bytes, the cap for a test file");
}

TEST(BoundedReader, CapsAreNamedInMiBAndTheKind) {
  testing::TempDir dir;
  testing::write_text(dir / "big", std::string(kMaxEnvFileBytes + 1, '#'));
  std::optional<Result<RegularFileText>> read = bounded_read(
      dir / "big",
      {.max_bytes = kMaxEnvFileBytes, .symlinks = Symlinks::follow, .kind = ".env file"});
  ASSERT_TRUE(read && !read->ok());
  EXPECT_EQ(read->error().message(),
            "cannot read test file: it is larger than 1 MiB, the cap for "
            "a .env file (" +
                (dir / "big").string() + ")");
}

TEST(BoundedReader, AFifoIsRefusedAtOnceWithOrWithoutFollowing) {
  testing::TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  EXPECT_EQ(bounded_refusal(dir / "fifo", kBoundedRefuse), "it is a FIFO, not a regular file");
  EXPECT_EQ(bounded_refusal(dir / "fifo", kBoundedFollow), "it is a FIFO, not a regular file");
}

TEST(BoundedReader, AnOpenFifoIsRefusedByItsDescriptor) {
  // What a path swapped between the look and the open would give: fstat decides.
  testing::TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  const int fd = ::open((dir / "fifo").c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(fd, 0);
  Result<RegularFileText> read =
      read_open_regular_file(fd, dir / "fifo", "cannot read test file", kBoundedFollow);
  ::close(fd);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().detail, "it is a FIFO, not a regular file");
}

TEST(BoundedReader, DevicesAreRefusedWithoutReadingThem) {
  EXPECT_EQ(bounded_refusal("/dev/null", kBoundedFollow),
            "it is a character device, not a regular file");
  EXPECT_EQ(bounded_refusal("/dev/zero", kBoundedFollow),
            "it is a character device, not a regular file");
}

TEST(BoundedReader, SymlinksAreFollowedOnlyWhenAllowed) {
  testing::TempDir dir;
  testing::write_text(dir / "target", "through the link");
  std::filesystem::create_symlink(dir / "target", dir / "link");
  std::optional<Result<RegularFileText>> read = bounded_read(dir / "link", kBoundedFollow);
  ASSERT_TRUE(read && read->ok());
  EXPECT_EQ((*read)->text, "through the link");
  EXPECT_EQ(bounded_refusal(dir / "link", kBoundedRefuse),
            "it is a symbolic link, which is not followed here");

  std::filesystem::create_symlink("/dev/zero", dir / "zero");
  EXPECT_EQ(bounded_refusal(dir / "zero", kBoundedRefuse),
            "it is a symbolic link, which is not followed here");
  EXPECT_EQ(bounded_refusal(dir / "zero", kBoundedFollow),
            "it is a character device, not a regular file");

  std::filesystem::create_symlink(dir / "nowhere", dir / "dangling");
  EXPECT_EQ(bounded_refusal(dir / "dangling", kBoundedRefuse),
            "it is a symbolic link, which is not followed here");
  EXPECT_EQ(bounded_refusal(dir / "dangling", kBoundedFollow), "No such file or directory");
}

TEST(BoundedReader, ADirectoryAndAMissingFileAreRefused) {
  testing::TempDir dir;
  EXPECT_EQ(bounded_refusal(dir.path(), kBoundedFollow), "it is a directory, not a regular file");
  EXPECT_EQ(bounded_refusal(dir / "missing", kBoundedRefuse), "No such file or directory");
}

TEST(BoundedReader, ProcfsStaysWithReadFile) {
  // procfs files report a size of 0: both readers read them to EOF, the bounded one only up
  // to its cap.
  Result<std::string> stat = read_file("/proc/self/stat", "cannot read procfs file");
  ASSERT_TRUE(stat.ok());
  EXPECT_FALSE(stat->empty());
  std::optional<Result<RegularFileText>> bounded = bounded_read(
      "/proc/self/stat",
      {.max_bytes = kMaxReportBytes, .symlinks = Symlinks::follow, .kind = "procfs file"});
  ASSERT_TRUE(bounded && bounded->ok());
  EXPECT_FALSE((*bounded)->text.empty());
}

}  // namespace
}  // namespace devops_monitor
