#include "util/file_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <system_error>

namespace devops_monitor {
namespace {

/// Closes the descriptor on every path out of a reader.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

/// What a file that is not a regular file is, as words after "it is".
std::string file_type_words(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "of an unknown type";
}

/// "4 MiB", "64 KiB" or "100 bytes": caps as people write them.
std::string size_words(std::size_t bytes) {
  if (bytes >= kMiB && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

Error not_regular(const std::filesystem::path& file, const std::string& what_failed, mode_t mode) {
  return {what_failed, "it is " + file_type_words(mode) + ", not a regular file", file.string()};
}

Error symlink_refused(const std::filesystem::path& file, const std::string& what_failed) {
  return {what_failed, "it is a symbolic link, which is not followed here", file.string()};
}

Error too_large(const std::filesystem::path& file, const std::string& what_failed,
                const ReadRules& rules) {
  return {what_failed,
          "it is larger than " + size_words(rules.max_bytes) + ", the cap for " +
              (rules.kind.empty() ? std::string("this file") : "a " + std::string(rules.kind)),
          file.string()};
}

/// Refuses what must not even be opened: a device may do something on open, and a symlink
/// is not ours to follow. Looked at again after opening, since the path can change between.
Result<void> check_before_opening(const std::filesystem::path& file, const std::string& what_failed,
                                  const ReadRules& rules) {
  struct stat info {};
  const int looked = rules.symlinks == Symlinks::refuse ? ::lstat(file.c_str(), &info)
                                                        : ::stat(file.c_str(), &info);
  if (looked != 0) return Error{what_failed, errno_text(errno), file.string()};
  if (S_ISLNK(info.st_mode)) return symlink_refused(file, what_failed);
  if (!S_ISREG(info.st_mode)) return not_regular(file, what_failed, info.st_mode);
  return {};
}

}  // namespace

std::string errno_text(int error_number) {
  // generic_category().message is strerror's text without strerror's shared buffer.
  return std::generic_category().message(error_number);
}

Result<std::string> read_open_file(int fd, const std::filesystem::path& file,
                                   const std::string& what_failed) {
  std::string text;
  std::array<char, 8192> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n == 0) return text;
    if (n < 0) {
      if (errno == EINTR) continue;
      // EISDIR for a directory: "Is a directory"
      return Error{what_failed, errno_text(errno), file.string()};
    }
    text.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

Result<std::string> read_file(const std::filesystem::path& file, const std::string& what_failed) {
  FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return Error{what_failed, errno_text(errno), file.string()};
  return read_open_file(fd.get(), file, what_failed);
}

Result<RegularFileText> read_open_regular_file(int fd, const std::filesystem::path& file,
                                               const std::string& what_failed,
                                               const ReadRules& rules) {
  RegularFileText read;
  if (::fstat(fd, &read.info) != 0) return Error{what_failed, errno_text(errno), file.string()};
  if (!S_ISREG(read.info.st_mode)) return not_regular(file, what_failed, read.info.st_mode);
  const auto size = static_cast<std::uint64_t>(std::max<off_t>(read.info.st_size, 0));
  if (size > rules.max_bytes) return too_large(file, what_failed, rules);
  // O_NONBLOCK was for the open (a FIFO); a regular file is read blocking, so a file system
  // that honours the flag (some FUSE servers) cannot fail a read with EAGAIN.
  if (const int flags = ::fcntl(fd, F_GETFL); flags >= 0 && (flags & O_NONBLOCK) != 0) {
    (void)::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  }
  // Room for one byte past the size fstat gave, so the usual read ends at the first EOF; never
  // more than one byte past the cap, so a file that grows is caught without reading it all.
  std::string& text = read.text;
  text.resize(static_cast<std::size_t>(size) + 1);
  std::size_t used = 0;
  for (;;) {
    if (used == text.size()) {
      if (used > rules.max_bytes) return too_large(file, what_failed, rules);
      text.resize(std::min(text.size() * 2, rules.max_bytes + 1));
    }
    const ssize_t got = ::read(fd, text.data() + used, text.size() - used);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return Error{what_failed, errno_text(errno), file.string()};
    if (got == 0) break;
    used += static_cast<std::size_t>(got);
  }
  text.resize(used);
  return read;
}

Result<RegularFileText> read_regular_file(const std::filesystem::path& file,
                                          const std::string& what_failed, const ReadRules& rules) {
  if (Result<void> fine = check_before_opening(file, what_failed, rules); !fine) {
    return fine.error();
  }
  int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  if (rules.symlinks == Symlinks::refuse) flags |= O_NOFOLLOW;
  const FileDescriptor fd(::open(file.c_str(), flags));
  if (fd.get() < 0) {
    // ELOOP under O_NOFOLLOW: the file became a symlink after it was looked at.
    if (errno == ELOOP && rules.symlinks == Symlinks::refuse) {
      return symlink_refused(file, what_failed);
    }
    return Error{what_failed, errno_text(errno), file.string()};
  }
  return read_open_regular_file(fd.get(), file, what_failed, rules);
}

}  // namespace devops_monitor
